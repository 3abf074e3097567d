// Owns the webview side of the host connection: the typed VS Code API handle, persisted state and the ready handshake.
import type { JsonText } from '../../src/shared/webviewProtocol';

interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export interface Host<Out, State> {
  post(message: Out): void;
  state(): State | undefined;
  saveState(state: State): void;
}

/**
 * Connects once (acquireVsCodeApi may be called only once per load), listens for host messages, then says "ready":
 * the host sends nothing before that, so no message is lost while the script loads.
 */
export function connect<In extends { type: string }, Out extends { type: string }, State>(
  onMessage: (message: In) => void,
  ready: Out,
): Host<Out, State> {
  const api = acquireVsCodeApi<State>();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data;
    // Only the host posts to this window; the shape check keeps a stray message from breaking rendering.
    if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') {
      onMessage(data as In);
    }
  });
  api.postMessage(ready);
  return {
    post: (message) => api.postMessage(message),
    state: () => api.getState(),
    saveState: (state) => api.setState(state),
  };
}

/** The value a host sent as JSON text; malformed text reads as `fallback` (only the host posts here). */
export function parseJsonText<T>(text: JsonText<T>, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
