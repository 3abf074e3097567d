// Owns matching replies to questions in a webview: only the reply to the question still awaited is the current one.

/** The question a webview waits for; ids it makes are 1, 2, … (the host's own, for command questions, are negative). */
export class LatestRequest {
  private next = 1;
  private awaited: number | undefined;

  /** A new question from this webview: its id, which replaces any question still awaited. */
  start(): number {
    this.awaited = this.next++;
    return this.awaited;
  }

  /** The host began work on `id` (possibly a question asked from a command): that is now the one awaited. */
  adopt(id: number): void {
    this.awaited = id;
  }

  /** A reply to `id`: true when it answers the awaited question (which is then no longer awaited). */
  settle(id: number | undefined): boolean {
    if (id === undefined || id !== this.awaited) return false;
    this.awaited = undefined;
    return true;
  }

  /** Nothing is awaited any more (the document changed). */
  clear(): void {
    this.awaited = undefined;
  }

  get busy(): boolean {
    return this.awaited !== undefined;
  }
}
