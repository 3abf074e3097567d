// Owns the error every hub and cache operation reports, with a code an editor can choose a button by.

export type HubErrorCode =
  | 'bad-repo-id'
  | 'insecure-url'
  | 'not-found'
  | 'unauthorized'
  | 'no-onnx'
  | 'incomplete-repo'
  | 'unsafe-listing'
  | 'too-large'
  | 'integrity'
  | 'network'
  | 'no-space'
  | 'busy';

/** A download problem the user can act on; `code` lets an editor choose a button (e.g. "Set token…"). */
export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    readonly code: HubErrorCode,
    message: string,
  ) {
    super(message);
  }
}
