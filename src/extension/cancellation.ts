// Owns turning the editor's cancellation (CancellationToken) into the core's AbortSignal, and chaining signals.

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

/**
 * One cancellable slot per key (e.g. per document): starting new work aborts the stale work in that slot, so that
 * live typing never queues one inference per keystroke.
 */
export class LatestWork<K> {
  private readonly running = new Map<K, AbortController>();

  start(key: K): AbortController {
    this.running.get(key)?.abort();
    const controller = new AbortController();
    this.running.set(key, controller);
    return controller;
  }

  finish(key: K, controller: AbortController): void {
    if (this.running.get(key) === controller) this.running.delete(key);
  }

  cancel(key: K): void {
    this.running.get(key)?.abort();
    this.running.delete(key);
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
    this.running.clear();
  }
}
