// Owns turning the editor's cancellation (CancellationToken) into the core's AbortSignal, and chaining signals.
// One slot of stale-work cancellation per document is core's LatestOnly (src/core/incremental.ts).

/** The part of vscode.CancellationToken used here; structural, so this module does not import 'vscode'. */
export interface CancellationLike {
  isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** An AbortSignal that aborts when any of the token or signals does; dispose() drops the token listener. */
export function abortSignalFrom(
  token: CancellationLike | undefined,
  ...signals: (AbortSignal | undefined)[]
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  const listener = token?.onCancellationRequested(abort);
  if (token?.isCancellationRequested) abort();
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) abort();
    else s.addEventListener('abort', abort, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => {
      listener?.dispose();
      for (const s of signals) s?.removeEventListener('abort', abort);
    },
  };
}
