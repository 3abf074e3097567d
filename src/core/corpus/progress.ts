// Owns progress arithmetic for long runs: documents per second and the time left, from the share of input read.
export interface ProgressSnapshot {
  documents: number;
  skipped: number;
  /** Input bytes read (compressed bytes for .gz) and the file size: the share done, for the ETA. */
  bytesRead: number;
  totalBytes: number;
  seconds: number;
  documentsPerSecond: number;
  /** Undefined until enough is read to say. */
  etaSeconds?: number;
}

export class ProgressMeter {
  private readonly started = performance.now();
  documents = 0;
  skipped = 0;
  bytesRead = 0;

  constructor(readonly totalBytes: number) {}

  snapshot(): ProgressSnapshot {
    const seconds = (performance.now() - this.started) / 1000;
    const share = this.totalBytes > 0 ? Math.min(1, this.bytesRead / this.totalBytes) : 0;
    const etaSeconds = share > 0.01 && seconds > 1 ? Math.max(0, (seconds * (1 - share)) / share) : undefined;
    return {
      documents: this.documents,
      skipped: this.skipped,
      bytesRead: this.bytesRead,
      totalBytes: this.totalBytes,
      seconds: round(seconds),
      documentsPerSecond: round(seconds > 0 ? this.documents / seconds : 0),
      ...(etaSeconds !== undefined ? { etaSeconds: Math.round(etaSeconds) } : {}),
    };
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** "1234 docs · 12.3 docs/s · ETA 4m05s" for a terminal line. */
export function formatProgress(name: string, p: ProgressSnapshot): string {
  const eta = p.etaSeconds === undefined ? '' : ` · ETA ${Math.floor(p.etaSeconds / 60)}m${String(p.etaSeconds % 60).padStart(2, '0')}s`;
  const skipped = p.skipped ? ` · ${p.skipped} skipped` : '';
  return `${name}: ${p.documents} docs · ${p.documentsPerSecond.toFixed(1)} docs/s${skipped}${eta}`;
}
