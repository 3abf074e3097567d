// Owns cross-request batching: model calls from concurrent requests on one model are packed into shared runs.
import type { InputRow, OutputTensor, SessionRunner } from '../core/runtime/onnxSession';
import { CancelledError } from '../core/errors';

export interface BatchLimits {
  /** Most rows (windows) in one shared call. */
  maxRows: number;
  /** Most padded tokens (rows x longest row) in one shared call. */
  maxTokens: number;
}

export interface CallReport {
  rows: number;
  callers: number;
}

interface PendingCall {
  rows: readonly InputRow[];
  padId: number;
  longest: number;
  signal: AbortSignal | undefined;
  resolve: (out: Record<string, OutputTensor>) => void;
  reject: (e: unknown) => void;
}

/**
 * A SessionRunner in front of one ModelSession. onnxruntime-node runs a session synchronously on the worker's
 * thread, so calls are serialised anyway; queueing them lets the calls of many texts that arrive while one runs
 * share the next model call. A caller's own rows are never split, so its output is exactly what it would get alone
 * apart from extra padding (masked, so only float rounding can move).
 */
export class SharedBatches implements SessionRunner {
  private readonly queue: PendingCall[] = [];
  private draining = false;

  constructor(
    private readonly session: SessionRunner,
    /**
     * False for int8 models: calls still queue, but each runs alone. Dynamically quantized models pick the activation scale
     * per batch, so a text's entities would depend on which other texts shared its batch (seen on ner-electra int8:
     * different spans), and cached paragraph results would no longer be a function of the paragraph alone.
     */
    private readonly share: boolean,
    private readonly limits: BatchLimits,
    private readonly onCall: (report: CallReport) => void = () => undefined,
  ) {}

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  run(rows: readonly InputRow[], padId: number, signal?: AbortSignal): Promise<Record<string, OutputTensor>> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      const longest = Math.max(1, ...rows.map((r) => r.ids.length));
      this.queue.push({ rows, padId, longest, signal, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // Wait one turn so that calls submitted in the same turn (other texts of a request) join the first run.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        if (group.length === 0) continue;
        await this.runGroup(group);
        // The run blocked the event loop; let cancels and newly tokenized texts in before packing the next one.
        await new Promise<void>((r) => setImmediate(r));
      }
    } finally {
      this.draining = false;
    }
  }

  /** Oldest call first (fairness), then any waiting calls that fit the limits. */
  private takeGroup(): PendingCall[] {
    const live = this.queue.filter((c) => {
      if (!c.signal?.aborted) return true;
      c.reject(new CancelledError());
      return false;
    });
    this.queue.length = 0;
    if (live.length === 0) return [];
    const first = live[0];
    const group = [first];
    if (!this.share) {
      this.queue.push(...live.slice(1));
      return group;
    }
    let rows = first.rows.length;
    let longest = first.longest;
    const rest: PendingCall[] = [];
    for (const c of live.slice(1)) {
      const nextRows = rows + c.rows.length;
      const nextLongest = Math.max(longest, c.longest);
      if (c.padId === first.padId && nextRows <= this.limits.maxRows && nextRows * nextLongest <= this.limits.maxTokens) {
        group.push(c);
        rows = nextRows;
        longest = nextLongest;
      } else {
        rest.push(c);
      }
    }
    this.queue.push(...rest);
    return group;
  }

  private async runGroup(group: PendingCall[]): Promise<void> {
    const rows = group.flatMap((c) => c.rows);
    let out: Record<string, OutputTensor>;
    try {
      out = await this.session.run(rows, group[0].padId);
    } catch (e) {
      for (const c of group) c.reject(e);
      return;
    }
    this.onCall({ rows: rows.length, callers: group.length });
    let offset = 0;
    for (const c of group) {
      const n = c.rows.length;
      if (c.signal?.aborted) {
        c.reject(new CancelledError());
      } else {
        const mine: Record<string, OutputTensor> = {};
        for (const [name, tensor] of Object.entries(out)) {
          const rowSize = tensor.dims.slice(1).reduce((a, b) => a * b, 1);
          mine[name] = { data: tensor.data.subarray(offset * rowSize, (offset + n) * rowSize), dims: [n, ...tensor.dims.slice(1)] };
        }
        c.resolve(mine);
      }
      offset += n;
    }
  }
}
