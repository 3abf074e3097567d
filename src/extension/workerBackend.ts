// Owns running the editor's inference in the worker process: paragraph-incremental NER, relations and QA (no 'vscode').
import type { ModelRef } from '../core/engine';
import { IncrementalAnnotator, ParagraphCache, type CacheStats } from '../core/incremental';
import { readModelFolder, type ModelTask } from '../core/models/modelFolder';
import { defaultStride } from '../core/tasks/ner';
import type { Aggregation, Answer, Entity, Relation } from '../core/types';
import type { ModelSpec, WorkerSettings } from '../shared/workerProtocol';
import { WorkerClient, type WorkerClientOptions, type WorkerStatus } from '../worker/client';
import { modelName, type AnnotateOptions, type AnnotateResult, type AnnotationBackend } from './backend';
import { mergeEntities, type AnnotatedEntity } from './entities';

export interface WorkerBackendOptions {
  /** dist/worker.js in the extension; src/worker/main.ts with execArgv ['--import', 'tsx'] in tests. */
  workerPath: string;
  execArgv?: string[];
  /** biom.runtime.threads: intra-op threads of every model session; 0 lets onnxruntime choose. */
  threads: number;
  /** Worker settings other than threads (tests: test hooks, short idle release). */
  settings?: Partial<Omit<WorkerSettings, 'threads'>>;
  /** Watchdog and backoff timings (tests shorten them). */
  timings?: Pick<WorkerClientOptions, 'hangTimeoutMs' | 'startTimeoutMs' | 'backoffInitialMs' | 'backoffMaxMs'>;
  onStatus?: (status: WorkerStatus) => void;
  onLog?: (line: string) => void;
}

/**
 * Every call goes to one worker process, so a native crash or a hang in onnxruntime costs a restart, not the editor.
 * NER goes through an IncrementalAnnotator per (model, variant, aggregation): paragraphs whose text was annotated
 * before come from one shared cache, so after an edit only the changed paragraphs are sent to the worker.
 */
export class WorkerBackend implements AnnotationBackend {
  private client: WorkerClient;
  private threads: number;
  /** Shared by every model and document: the model key is part of each entry's key. */
  private readonly cache = new ParagraphCache<Entity>();
  private readonly annotators = new Map<string, IncrementalAnnotator<Entity>>();

  constructor(private readonly options: WorkerBackendOptions) {
    this.threads = options.threads;
    this.client = this.createClient();
  }

  /** The running worker's process id (diagnostics, tests); undefined before the first request or after a crash. */
  get pid(): number | undefined {
    return this.client.pid;
  }

  /**
   * Thread count is fixed for a worker's life (its sessions are created with it), so a change means a new worker.
   * Work in flight on the old one is cancelled; cached paragraphs stay valid, since they depend on the model and
   * text, not on how many threads computed them.
   */
  async setThreads(threads: number): Promise<void> {
    if (threads === this.threads) return;
    this.threads = threads;
    const old = this.client;
    const wasRunning = old.pid !== undefined;
    this.client = this.createClient();
    await old.dispose();
    // A worker was in use: start its replacement now, so the status bar shows it and the next request is quick.
    if (wasRunning) await this.client.ping().catch(() => undefined);
  }

  async annotate(text: string, options: AnnotateOptions): Promise<AnnotateResult> {
    const perModel: AnnotatedEntity[][] = [];
    let paragraphs = 0;
    let rerun = 0;
    const models = options.models;
    for (const [m, ref] of models.entries()) {
      const result = await this.nerAnnotator(ref, options.aggregation).annotate(nerKey(ref, options.aggregation), text, {
        signal: options.signal,
        onProgress: (done, total) => options.onProgress?.((m + (total === 0 ? 1 : done / total)) / models.length),
      });
      paragraphs = result.paragraphs;
      rerun += result.rerun;
      const name = modelName(ref);
      perModel.push(result.items.map((e) => ({ ...e, model: name })));
    }
    // Entities never cross a paragraph break, so merging whole-document lists equals merging paragraph by paragraph.
    const merged = perModel.length === 1 ? perModel[0] : mergeEntities(perModel);
    // Normalization hook (one call): ids need the whole text as context (abbreviations), so it runs after merging.
    const entities = options.normalization
      ? ((await this.client.request({ kind: 'normalize', text, entities: merged, species: options.normalization.species }, { signal: options.signal })) as AnnotatedEntity[])
      : merged;
    return { entities, paragraphs, rerun };
  }

  relations(text: string, entities: readonly Entity[], ref: ModelRef, signal?: AbortSignal): Promise<Relation[]> {
    return this.client.extractRelations(spec(ref), text, [...entities], {}, { signal });
  }

  answer(question: string, context: string, ref: ModelRef, topK: number, signal?: AbortSignal): Promise<Answer[]> {
    return this.client.answerQuestion(spec(ref), question, context, { topK }, { signal });
  }

  /** Reads the folder's config.json only (no tokenizer, no session), so it is cheap enough for the extension host. */
  async describe(ref: ModelRef, task: ModelTask): Promise<{ name: string; labels: readonly string[] }> {
    const info = readModelFolder(ref.folder, { quantized: ref.quantized });
    if (info.task !== task) throw new Error(`${modelName(ref)} is a ${info.task} model, not a ${task} model`);
    return { name: modelName(ref), labels: info.labels };
  }

  /** Paragraph cache hits and misses since start (tests, logs). */
  cacheStats(): CacheStats {
    return this.cache.stats();
  }

  /** Stops the worker process; requests still running are cancelled. */
  dispose(): Promise<void> {
    return this.client.dispose();
  }

  private createClient(): WorkerClient {
    const { workerPath, execArgv, settings, timings, onLog, onStatus } = this.options;
    const client: WorkerClient = new WorkerClient({
      workerPath,
      execArgv,
      settings: { ...settings, threads: this.threads },
      ...timings,
      onLog,
      // A replaced worker's last words ("stopped") would overwrite the state of the one that replaced it.
      onStatus: (status) => {
        if (this.client === client) onStatus?.(status);
      },
    });
    return client;
  }

  private nerAnnotator(ref: ModelRef, aggregation: Aggregation): IncrementalAnnotator<Entity> {
    const key = nerKey(ref, aggregation);
    let annotator = this.annotators.get(key);
    if (!annotator) {
      const model = spec(ref);
      const stride = defaultStride(aggregation);
      // this.client is read per call: after setThreads the same annotator (and its cache) talks to the new worker.
      annotator = new IncrementalAnnotator<Entity>(
        (texts, signal, onTextsDone) =>
          this.client.recognizeEntities(model, texts, { aggregation, stride }, { signal, onProgress: onTextsDone }),
        { cache: this.cache },
      );
      this.annotators.set(key, annotator);
    }
    return annotator;
  }
}

/** Everything a paragraph's NER result depends on besides its text: the cache key's model part. */
function nerKey(ref: ModelRef, aggregation: Aggregation): string {
  return JSON.stringify([ref.folder, ref.quantized ? 'int8' : 'fp32', aggregation, defaultStride(aggregation) ?? 0]);
}

function spec(ref: ModelRef): ModelSpec {
  return { folder: ref.folder, quantized: ref.quantized };
}
