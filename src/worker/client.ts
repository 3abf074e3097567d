// Owns the host side of the inference worker: spawning, handshake, requests, cancel, watchdog and crash restarts.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CancelledError } from '../core/errors';
import { answersByPiece, entitiesByPiece, relationsByPiece } from '../core/tasks/segmented';
import { SEGMENT_CHARS } from '../core/text/segments';
import type { Aggregation, Answer, Entity, Relation } from '../core/types';
import type { NerMode } from '../core/tasks/ner';
import {
  WORKER_PROTOCOL_VERSION,
  type ModelSpec,
  type RequestKind,
  type RequestOf,
  type WorkerErrorKind,
  type WorkerMessage,
  type WorkerRequest,
  type WorkerResults,
  type WorkerSettings,
  type WorkerStats,
} from '../shared/workerProtocol';

export interface WorkerClientOptions {
  /** The worker entry: dist/worker.js (default: next to this bundle) or src/worker/main.ts with tsx in execArgv. */
  workerPath?: string;
  /** Node flags for the worker, e.g. ['--import', 'tsx'] to run the TypeScript entry in tests. */
  execArgv?: string[];
  settings?: Partial<WorkerSettings>;
  /**
   * The worker is declared hung when it sends nothing (result, progress, ping answer) for this long while a request
   * is in flight. onnxruntime-node runs a model call on the worker's only JS thread, so this must exceed the longest
   * single model call (a batch of 4096 tokens on BioM-ALBERT-xxlarge at ~50 tokens/s is 80 s).
   */
  hangTimeoutMs?: number;
  /** A request running longer than this is failed and the worker restarted; 0 = no limit (default). */
  requestTimeoutMs?: number;
  /** How long a fresh worker may take to say it is ready. */
  startTimeoutMs?: number;
  /** Restart delays after consecutive crashes: initial, doubled each time, capped. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Told about restarts and worker stderr, for a log channel. */
  onLog?: (line: string) => void;
  /** Told whenever the worker process changes state, for a status bar. */
  onStatus?: (status: WorkerStatus) => void;
}

/**
 * The worker process as a user would describe it. `restarting`: a running worker crashed or hung and a new one starts
 * after `inMs` (its requests are retried once); `error`: a worker could not start at all (missing or stale
 * dist/worker.js, a broken install), so nothing is retried until the next request.
 */
export type WorkerStatus =
  | { state: 'starting' }
  | { state: 'ready'; pid: number }
  | { state: 'restarting'; reason: string; inMs: number }
  | { state: 'error'; message: string }
  | { state: 'stopped' };

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Overrides the client's requestTimeoutMs for this call. */
  timeoutMs?: number;
}

/** A request the worker could not do; `kind` says whose problem it is (see WorkerErrorKind). */
export class WorkerRequestError extends Error {
  override readonly name = 'WorkerRequestError';
  constructor(
    readonly kind: WorkerErrorKind,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  id: number;
  request: WorkerRequest;
  resolve: (result: WorkerResults[RequestKind]) => void;
  reject: (e: Error) => void;
  options: CallOptions;
  attempts: number;
  /** The worker generation the request was sent to; undefined while waiting for a worker. */
  sentTo: number | undefined;
  deadline: number | undefined;
  cleanup: () => void;
}

interface Live {
  child: ChildProcess;
  generation: number;
  ready: Promise<void>;
  lastHeard: number;
  pingSent: number | undefined;
  stderrTail: string[];
  /** Why we killed it, when we did; undefined for a crash. */
  killedFor: string | undefined;
  /** Killed because it stopped answering (not a crash, not a deadline). */
  hung: boolean;
  /** The worker announced a model call that blocks it until about then (Date.now() ms): silence is not a hang. */
  busyUntil?: number;
  /** It said ready: its exit is a crash to recover from, not a failed start to report. */
  wasReady: boolean;
}

const PING_ID = -1;

/** Talks to one worker process and keeps it alive; requests survive one crash or hang (retried once). */
export class WorkerClient {
  private readonly options: Required<Omit<WorkerClientOptions, 'onLog' | 'onStatus' | 'settings'>> & { settings: Partial<WorkerSettings> };
  private readonly pending = new Map<number, Pending>();
  private live: Live | undefined;
  private starting: Promise<Live> | undefined;
  private nextId = 1;
  private generation = 0;
  private consecutiveCrashes = 0;
  private notBefore = 0;
  private disposed = false;
  private readonly watchdog: NodeJS.Timeout;
  private readonly log: (line: string) => void;
  private readonly status: (status: WorkerStatus) => void;
  /** Restarts so far (crashes and hangs). */
  restarts = 0;

  constructor(options: WorkerClientOptions = {}) {
    this.options = {
      workerPath: options.workerPath ?? join(__dirname, 'worker.js'),
      execArgv: options.execArgv ?? [],
      settings: options.settings ?? {},
      hangTimeoutMs: options.hangTimeoutMs ?? 180_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 0,
      startTimeoutMs: options.startTimeoutMs ?? 30_000,
      backoffInitialMs: options.backoffInitialMs ?? 250,
      backoffMaxMs: options.backoffMaxMs ?? 30_000,
    };
    this.log = options.onLog ?? (() => undefined);
    this.status = options.onStatus ?? (() => undefined);
    const tick = Math.max(20, Math.min(1000, this.options.hangTimeoutMs / 4));
    this.watchdog = setInterval(() => this.checkHealth(), tick);
    this.watchdog.unref();
  }

  /** The worker's process id (for diagnostics and tests), if one is running. */
  get pid(): number | undefined {
    return this.live?.child.pid;
  }

  // ---- typed conveniences (what an AnnotationBackend needs) --------------------------------------------------

  /**
   * Texts over SEGMENT_CHARS are sent piece by piece (one message per piece, sentence-aligned), so neither this
   * process nor the worker ever serializes or holds a huge document in one message.
   */
  async recognizeEntities(
    model: ModelSpec,
    texts: string[],
    options: { aggregation?: Aggregation; stride?: number; batchSize?: number; mode?: NerMode } = {},
    call: CallOptions = {},
  ): Promise<Entity[][]> {
    const long = texts.map((t) => t.length > SEGMENT_CHARS && options.stride !== undefined);
    if (!long.some(Boolean)) return this.request({ kind: 'ner', model, texts, ...options }, call);
    const short = texts.filter((_, i) => !long[i]);
    const shortResults = short.length > 0 ? await this.request({ kind: 'ner', model, texts: short, ...options }, call) : [];
    const out: Entity[][] = [];
    let k = 0;
    for (const [i, text] of texts.entries()) {
      out.push(
        long[i]
          ? await entitiesByPiece(
              text,
              SEGMENT_CHARS,
              async (piece) => (await this.request({ kind: 'ner', model, texts: [piece], ...options }, call))[0],
              call.signal,
            )
          : shortResults[k++],
      );
    }
    return out;
  }

  extractRelations(
    model: ModelSpec,
    text: string,
    entities: Entity[],
    options: { includeNegative?: boolean; batchSize?: number } = {},
    call: CallOptions = {},
  ): Promise<Relation[]> {
    if (text.length <= SEGMENT_CHARS) return this.request({ kind: 'relations', model, text, entities, ...options }, call);
    return relationsByPiece(
      text,
      entities,
      SEGMENT_CHARS,
      (piece, inside) => this.request({ kind: 'relations', model, text: piece, entities: inside, ...options }, call),
      call.signal,
    );
  }

  answerQuestion(
    model: ModelSpec,
    question: string,
    context: string,
    options: { topK?: number; docStride?: number; maxSeqLen?: number; maxAnswerLen?: number } = {},
    call: CallOptions = {},
  ): Promise<Answer[]> {
    if (context.length <= SEGMENT_CHARS) return this.request({ kind: 'qa', model, question, context, ...options }, call);
    return answersByPiece(
      context,
      options.topK ?? 3,
      SEGMENT_CHARS,
      async (piece, offset) =>
        (await this.request({ kind: 'qa', model, question, context: piece, ...options }, call)).map((a) => ({
          ...a,
          start: a.start + offset,
          end: a.end + offset,
        })),
      call.signal,
    );
  }

  disposeModel(model?: ModelSpec): Promise<{ released: number }> {
    return this.request({ kind: 'dispose-model', model });
  }

  ping(call: CallOptions = {}): Promise<{ pid: number }> {
    return this.request({ kind: 'ping' }, call);
  }

  stats(): Promise<WorkerStats> {
    return this.request({ kind: 'stats' });
  }

  // ---- core ------------------------------------------------------------------------------------------------

  /** Sends one request; resolves with its result, rejects with CancelledError or WorkerRequestError. */
  request<K extends RequestKind>(request: RequestOf<K>, options: CallOptions = {}): Promise<WorkerResults[K]> {
    if (this.disposed) return Promise.reject(new WorkerRequestError('internal', 'the inference worker client is disposed'));
    if (options.signal?.aborted) return Promise.reject(new CancelledError());
    const id = this.nextId++;
    return new Promise<WorkerResults[K]>((resolve, reject) => {
      const onAbort = (): void => this.cancel(id);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const timeout = options.timeoutMs ?? this.options.requestTimeoutMs;
      const entry: Pending = {
        id,
        request,
        resolve: resolve as (r: WorkerResults[RequestKind]) => void,
        reject,
        options,
        attempts: 0,
        sentTo: undefined,
        deadline: timeout > 0 ? Date.now() + timeout : undefined,
        cleanup: () => options.signal?.removeEventListener('abort', onAbort),
      };
      this.pending.set(id, entry);
      void this.dispatch(entry);
    });
  }

  /** Stops the worker; pending requests are cancelled. */
  async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.watchdog);
    for (const p of [...this.pending.values()]) this.settle(p, new CancelledError('the inference worker was shut down'));
    const live = this.live;
    this.live = undefined;
    this.status({ state: 'stopped' });
    if (!live) return;
    await new Promise<void>((resolve) => {
      if (live.child.exitCode !== null || live.child.signalCode !== null) return resolve();
      const force = setTimeout(() => live.child.kill('SIGKILL'), 2000);
      live.child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      // Closing the channel lets the worker exit on its own ('disconnect'), releasing its sessions cleanly.
      if (live.child.connected) live.child.disconnect();
      else live.child.kill('SIGKILL');
    });
  }

  private cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    const live = this.live;
    if (p.sentTo !== undefined && live && live.generation === p.sentTo && live.child.connected) {
      live.child.send({ type: 'cancel', id });
    }
    // The caller is told at once; the worker's late "cancelled" answer finds no pending entry and is dropped.
    this.settle(p, new CancelledError());
  }

  private settle(p: Pending, outcome: Error | { result: WorkerResults[RequestKind] }): void {
    if (!this.pending.delete(p.id)) return;
    p.cleanup();
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome.result);
  }

  private async dispatch(p: Pending): Promise<void> {
    let live: Live;
    try {
      live = await this.ensureWorker();
    } catch (e) {
      this.settle(p, e instanceof Error ? e : new Error(String(e)));
      return;
    }
    if (!this.pending.has(p.id)) return;
    p.attempts++;
    p.sentTo = live.generation;
    live.child.send({ type: 'request', id: p.id, request: p.request });
  }

  private ensureWorker(): Promise<Live> {
    if (this.live) {
      const live = this.live;
      return live.ready.then(() => live);
    }
    if (!this.starting) {
      this.starting = this.start().finally(() => {
        this.starting = undefined;
      });
    }
    return this.starting;
  }

  private async start(): Promise<Live> {
    const wait = this.notBefore - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (this.disposed) throw new CancelledError('the inference worker was shut down');
    this.status({ state: 'starting' });
    const generation = ++this.generation;
    const child = fork(this.options.workerPath, [JSON.stringify(this.options.settings)], {
      execArgv: this.options.execArgv,
      serialization: 'json',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const stderrTail: string[] = [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter((l) => l.trim() !== '')) {
        stderrTail.push(line);
        if (stderrTail.length > 20) stderrTail.shift();
        this.log(`[worker ${child.pid}] ${line}`);
      }
    });
    let readyResolve: () => void = () => undefined;
    let readyReject: (e: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    const live: Live = {
      child,
      generation,
      ready,
      lastHeard: Date.now(),
      pingSent: undefined,
      stderrTail,
      killedFor: undefined,
      hung: false,
      wasReady: false,
    };
    const startTimer = setTimeout(() => {
      live.killedFor = `it did not start within ${this.options.startTimeoutMs} ms`;
      child.kill('SIGKILL');
    }, this.options.startTimeoutMs);
    child.on('message', (message: WorkerMessage) => {
      live.lastHeard = Date.now();
      if (message.type === 'ready') {
        clearTimeout(startTimer);
        if (message.protocolVersion !== WORKER_PROTOCOL_VERSION) {
          live.killedFor = `it speaks protocol ${message.protocolVersion}, expected ${WORKER_PROTOCOL_VERSION} (rebuild dist/worker.js)`;
          child.kill('SIGKILL');
          return;
        }
        live.wasReady = true;
        readyResolve();
        this.status({ state: 'ready', pid: message.pid });
        return;
      }
      this.onWorkerMessage(live, message);
    });
    child.on('error', (e) => this.log(`inference worker error: ${e.message}`));
    child.once('exit', (code, signal) => {
      clearTimeout(startTimer);
      const why = live.killedFor ?? (signal ? `it was killed by ${signal}` : `it exited with code ${code}`);
      readyReject(new WorkerRequestError('crash', `The inference worker could not start: ${why}${tail(live)}`));
      this.onExit(live, why);
    });
    this.live = live;
    // A start failure must not leave a rejected promise unobserved when nothing awaits it.
    ready.catch(() => undefined);
    try {
      await ready;
    } catch (e) {
      if (!this.disposed) this.status({ state: 'error', message: e instanceof Error ? e.message : String(e) });
      throw e;
    }
    return live;
  }

  private onWorkerMessage(live: Live, message: WorkerMessage): void {
    if (message.type === 'ready') return;
    if (message.type === 'busy') {
      live.busyUntil = Date.now() + message.expectMs;
      return;
    }
    if (message.id === PING_ID) {
      live.pingSent = undefined;
      return;
    }
    const p = this.pending.get(message.id);
    if (!p || p.sentTo !== live.generation) return;
    if (message.type === 'progress') {
      p.options.onProgress?.(message.done, message.total);
    } else if (message.type === 'result') {
      this.consecutiveCrashes = 0;
      this.settle(p, { result: message.result });
    } else if (message.type === 'error') {
      const e =
        message.error.kind === 'cancelled'
          ? new CancelledError(message.error.message)
          : new WorkerRequestError(message.error.kind, message.error.message);
      this.settle(p, e);
    }
  }

  /** The worker is gone: requests it held are retried once on a fresh worker (after backoff) or failed clearly. */
  private onExit(live: Live, why: string): void {
    if (this.live === live) this.live = undefined;
    if (this.disposed) return;
    this.restarts++;
    this.consecutiveCrashes++;
    const delay = Math.min(this.options.backoffMaxMs, this.options.backoffInitialMs * 2 ** (this.consecutiveCrashes - 1));
    this.notBefore = Date.now() + delay;
    this.log(`inference worker ${live.child.pid} stopped: ${why}; restarting in ${delay} ms`);
    // Before the retries below: they may start the replacement, whose "starting" must come after this.
    if (live.wasReady) this.status({ state: 'restarting', reason: why, inMs: delay });
    for (const p of [...this.pending.values()]) {
      if (p.sentTo !== live.generation) continue;
      const timedOut = p.deadline !== undefined && Date.now() >= p.deadline;
      // A request that was running when the worker hung is not retried: the hang most likely came from that work,
      // and a retry would make the user wait a second full hang timeout for the same failure.
      const hung = live.hung;
      if (p.attempts >= 2 || timedOut || hung) {
        const what = timedOut
          ? `took longer than its time limit`
          : hung
            ? `was not retried, since the worker hung on it`
            : `was retried once and the worker stopped again`;
        this.settle(
          p,
          new WorkerRequestError(
            'crash',
            `The inference worker stopped while running "${p.request.kind}" (${why}); the request ${what}.${tail(live)}`,
          ),
        );
      } else {
        p.sentTo = undefined;
        void this.dispatch(p);
      }
    }
    if (live.wasReady) {
      // Start the replacement now rather than on the next request, so the status is true and the next request is quick.
      // Not after a failed start: a worker that cannot start would be retried forever with nobody waiting for it.
      void this.ensureWorker().catch(() => undefined);
    }
  }

  /** Kills a worker that stopped answering or holds a request past its deadline; onExit restarts it. */
  private checkHealth(): void {
    const live = this.live;
    if (!live || live.killedFor) return;
    const now = Date.now();
    const inFlight = [...this.pending.values()].filter((p) => p.sentTo === live.generation);
    const overdue = inFlight.find((p) => p.deadline !== undefined && now >= p.deadline);
    if (overdue) {
      live.killedFor = `request "${overdue.request.kind}" exceeded its time limit`;
      live.child.kill('SIGKILL');
      return;
    }
    if (inFlight.length === 0 && live.pingSent === undefined) {
      live.lastHeard = now;
      return;
    }
    // Silence during an announced model call is the call, not a hang; after its generous bound it is a hang again.
    const busy = live.busyUntil !== undefined && now < live.busyUntil;
    if (now - live.lastHeard > this.options.hangTimeoutMs && !busy) {
      live.killedFor = `it sent nothing for ${this.options.hangTimeoutMs} ms (hung)`;
      live.hung = true;
      live.child.kill('SIGKILL');
      return;
    }
    // A quiet worker is asked for a sign of life; a blocked event loop cannot answer, a busy model load can.
    if (live.pingSent === undefined && now - live.lastHeard > this.options.hangTimeoutMs / 3 && live.child.connected) {
      live.pingSent = now;
      live.child.send({ type: 'request', id: PING_ID, request: { kind: 'ping' } });
    }
  }
}

function tail(live: Live): string {
  return live.stderrTail.length > 0 ? `\nLast worker output:\n${live.stderrTail.slice(-5).join('\n')}` : '';
}
