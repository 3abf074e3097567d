// Owns the error types that every layer (CLI, worker, editor) shows to the user as they are.

/** A problem with a model folder: names the folder and what is wrong, so the user can fix it. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly folder: string,
    readonly problem: string,
  ) {
    super(`Model folder ${folder}: ${problem}`);
  }
}

/** Bad input to a task (not a model problem): the message says what to change. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Thrown when an AbortSignal stops work; callers treat it as "cancelled", never as a failure. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'cancelled') {
    super(message);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
