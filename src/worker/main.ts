// Owns the inference worker process: model sessions (lazy, cached, released when idle), request execution, cancel.
import { Engine, type LoadedModel } from '../core/engine';
import type { ModelTask } from '../core/models/modelFolder';
import { extractRelationsSegmented, recognizeEntitiesSegmented } from '../core/tasks/segmented';
import { answerQuestion } from '../core/tasks/qa';
import { CancelledError, InputError, ModelError } from '../core/errors';
import { normalizeDocument } from '../core/normalize/bundled';
import { observeModelRuns, type SessionRunner } from '../core/runtime/onnxSession';
import { SharedBatches } from './sharedBatches';
import {
  WORKER_PROTOCOL_VERSION,
  type HostMessage,
  type ModelSpec,
  type WorkerErrorKind,
  type WorkerMessage,
  type WorkerRequest,
  type WorkerResults,
  type WorkerSettings,
} from '../shared/workerProtocol';

const DEFAULT_SETTINGS: WorkerSettings = {
  threads: 0,
  idleReleaseMs: 5 * 60_000,
  maxBatchRows: 8,
  maxBatchTokens: 4096,
  shareBatches: true,
  testHooks: false,
};

/** Texts of one ner request tokenized and queued at once; enough to fill shared batches, bounded memory. */
const TEXTS_IN_FLIGHT = 8;
/** Progress messages are throttled: the host needs liveness and a bar, not one message per paragraph. */
const PROGRESS_EVERY_MS = 100;

/** A loaded model whose session is the shared batching queue. */
type QueuedModel = Omit<LoadedModel, 'session'> & { session: SessionRunner };

interface CachedModel {
  key: string;
  engine: Engine;
  runner?: SharedBatches;
  active: number;
  lastUsed: number;
}

interface Counters {
  modelLoads: number;
  modelCalls: number;
  rowsRun: number;
  sharedCalls: number;
}

export class WorkerState {
  private readonly models = new Map<string, CachedModel>();
  private readonly controllers = new Map<number, AbortController>();
  private readonly counters: Counters = { modelLoads: 0, modelCalls: 0, rowsRun: 0, sharedCalls: 0 };
  private peakRss = 0;
  private readonly deviceNotes = new Set<string>();
  private readonly idleTimer: NodeJS.Timeout;

  constructor(
    private readonly settings: WorkerSettings,
    private readonly send: (message: WorkerMessage) => void,
  ) {
    this.idleTimer = setInterval(() => void this.releaseIdle(), Math.max(50, Math.min(settings.idleReleaseMs / 2, 30_000)));
    this.idleTimer.unref();
  }

  onMessage(message: HostMessage): void {
    if (message.type === 'cancel') {
      this.controllers.get(message.id)?.abort();
    } else if (message.type === 'request') {
      void this.handle(message.id, message.request);
    }
  }

  private async handle(id: number, request: WorkerRequest): Promise<void> {
    const controller = new AbortController();
    this.controllers.set(id, controller);
    try {
      const result = await this.execute(id, request, controller.signal);
      this.send({ type: 'result', id, result });
    } catch (e) {
      this.send({ type: 'error', id, error: { kind: errorKind(e), message: (e as Error)?.message ?? String(e) } });
    } finally {
      this.controllers.delete(id);
    }
  }

  private async execute(id: number, request: WorkerRequest, signal: AbortSignal): Promise<WorkerResults[WorkerRequest['kind']]> {
    switch (request.kind) {
      case 'ping':
        return { pid: process.pid };
      case 'stats':
        return {
          pid: process.pid,
          loadedModels: [...this.models.values()].filter((m) => m.runner).map((m) => m.key),
          ...this.counters,
          rssBytes: process.memoryUsage().rss,
          peakRssBytes: Math.max(this.peakRss, process.memoryUsage().rss),
          deviceNotes: [...this.deviceNotes],
        };
      case 'dispose-model':
        return { released: await this.release(request.model) };
      case 'normalize':
        return normalizeDocument(request.text, request.entities, { species: request.species });
      case 'debug-hang':
      case 'debug-crash':
        if (!this.settings.testHooks) throw new InputError(`${request.kind} is only allowed in a worker started for tests`);
        if (request.kind === 'debug-crash') process.kill(process.pid, 'SIGKILL');
        for (;;) {
          // A busy loop, not a timer: a real hang (stuck native call, runaway loop) never yields to the event loop.
        }
      case 'ner':
        return this.withModel(request.model, 'ner', async (model) => {
          const progress = this.progress(id, request.texts.length);
          return mapLimited(request.texts, TEXTS_IN_FLIGHT, signal, async (text) => {
            const entities = await recognizeEntitiesSegmented(model, text, {
              aggregation: request.aggregation,
              stride: request.stride,
              batchSize: request.batchSize,
              mode: request.mode,
              signal,
            });
            progress();
            return entities;
          });
        });
      case 'relations':
        return this.withModel(request.model, 'relations', (model) =>
          extractRelationsSegmented(model, request.text, request.entities, {
            includeNegative: request.includeNegative,
            batchSize: request.batchSize,
            signal,
          }),
        );
      case 'qa':
        return this.withModel(request.model, 'qa', async (model) => {
          const spans = await answerQuestion(model, request.question, request.context, {
            topK: request.topK,
            docStride: request.docStride,
            maxSeqLen: request.maxSeqLen,
            maxAnswerLen: request.maxAnswerLen,
            signal,
          });
          return spans.map(({ answer, score, start, end }) => ({ answer, score, start, end }));
        });
      default: {
        const unknown: never = request;
        throw new InputError(`unknown request kind ${(unknown as { kind: string }).kind}`);
      }
    }
  }

  /** Counts finished units; sends progress at most every PROGRESS_EVERY_MS, and always for the last unit. */
  private progress(id: number, total: number): () => void {
    let done = 0;
    let last = 0;
    return () => {
      done++;
      const now = Date.now();
      if (done === total || now - last >= PROGRESS_EVERY_MS) {
        last = now;
        this.send({ type: 'progress', id, done, total });
      }
    };
  }

  private keyOf(spec: ModelSpec): string {
    return `${spec.folder}|${spec.quantized ? 'int8' : 'fp32'}|${this.settings.threads}`;
  }

  private async withModel<T>(spec: ModelSpec, task: ModelTask, work: (model: QueuedModel) => Promise<T>): Promise<T> {
    const key = this.keyOf(spec);
    let cached = this.models.get(key);
    if (!cached) {
      cached = {
        key,
        engine: new Engine({ threads: this.settings.threads, device: this.settings.device }),
        active: 0,
        lastUsed: Date.now(),
      };
      this.models.set(key, cached);
    }
    const entry = cached;
    entry.active++;
    try {
      const loaded = await entry.engine.load({ folder: spec.folder, quantized: spec.quantized }, task);
      if (!entry.runner) {
        this.counters.modelLoads++;
        this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
        const note = loaded.session.deviceNote;
        if (note && !this.deviceNotes.has(note)) {
          this.deviceNotes.add(note);
          // stderr reaches the host's log (WorkerClient onLog); the stats carry it for the status bar and tests.
          console.error(note);
        }
        entry.runner = new SharedBatches(
          loaded.session,
          this.settings.shareBatches && !loaded.info.quantized,
          { maxRows: this.settings.maxBatchRows, maxTokens: this.settings.maxBatchTokens },
          (report) => {
            this.counters.modelCalls++;
            this.counters.rowsRun += report.rows;
            if (report.callers > 1) this.counters.sharedCalls++;
          },
        );
      }
      return await work({ ...loaded, session: entry.runner });
    } finally {
      entry.active--;
      entry.lastUsed = Date.now();
    }
  }

  private async release(spec: ModelSpec | undefined): Promise<number> {
    const victims = [...this.models.values()].filter((m) => !spec || m.key === this.keyOf(spec));
    for (const m of victims) this.models.delete(m.key);
    await Promise.all(victims.map((m) => m.engine.dispose()));
    return victims.filter((m) => m.runner).length;
  }

  private async releaseIdle(): Promise<void> {
    const now = Date.now();
    const idle = [...this.models.values()].filter((m) => m.active === 0 && now - m.lastUsed >= this.settings.idleReleaseMs);
    for (const m of idle) this.models.delete(m.key);
    await Promise.all(idle.map((m) => m.engine.dispose()));
  }
}

/** Runs `work` over `items` with at most `limit` at once; results in input order; stops starting work once aborted. */
async function mapLimited<T, R>(items: readonly T[], limit: number, signal: AbortSignal, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      if (signal.aborted) throw new CancelledError();
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

function errorKind(e: unknown): WorkerErrorKind {
  if (e instanceof CancelledError) return 'cancelled';
  if (e instanceof ModelError) return 'model';
  if (e instanceof InputError || e instanceof RangeError) return 'input';
  return 'internal';
}

function parseSettings(arg: string | undefined): WorkerSettings {
  if (!arg) return DEFAULT_SETTINGS;
  const given = JSON.parse(arg) as Partial<WorkerSettings>;
  return { ...DEFAULT_SETTINGS, ...given };
}

function main(): void {
  const send = process.send?.bind(process);
  if (!send) {
    process.stderr.write('biom worker: start me with child_process.fork (I need an IPC channel)\n');
    process.exit(2);
  }
  const state = new WorkerState(parseSettings(process.argv[2]), (message) => {
    send(message);
  });
  observeModelRuns((expectMs) => send({ type: 'busy', expectMs }));
  process.on('message', (message: HostMessage) => state.onMessage(message));
  // The host went away (closed, crashed): nobody can read our answers, so stop instead of lingering.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', pid: process.pid, protocolVersion: WORKER_PROTOCOL_VERSION });
}

if (require.main === module) main();
