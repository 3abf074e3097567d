// Owns running the editor's inference in the worker process: the core pipeline's NER step, relations and QA (no 'vscode').
import type { ModelRef } from '../core/engine';
import { modelFingerprint } from '../core/cache/modelFingerprint';
import { ResultCache, sha256 } from '../core/cache/resultCache';
import { TieredParagraphCache } from '../core/cache/tieredCache';
import { ParagraphCache, type CacheStats } from '../core/incremental';
import { incrementalRelations, type CachedRelation, type IncrementalRelationsResult } from '../core/incrementalRelations';
import { findEntities, finishedEntities, modelName, nerKey, type FinishedEntities, type NerSource } from '../core/pipeline';
import { defaultStride, type NerMode } from '../core/tasks/ner';
import type { Device } from '../core/runtime/sessionPolicy';
import type { Aggregation, AnnotatedEntity, Answer, Entity, Relation } from '../core/types';
import type { ModelSpec, WorkerSettings } from '../shared/workerProtocol';
import { WorkerClient, type WorkerClientOptions, type WorkerStatus } from '../worker/client';
import type { AnnotateOptions, AnnotateResult, AnnotationBackend, RelationsOptions } from './backend';

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
  /**
   * Persistent result cache (the extension's global storage): reopening an annotated document needs no model run.
   * `salt` names what else results depend on (the extension version); absent: results are kept in memory only.
   */
  resultCache?: { dir: string; maxBytes: number; salt?: string };
  /** biom.ner.mode, read per call; absent is `exact`. */
  nerMode?: () => NerMode;
}

/**
 * Every call goes to one worker process, so a native crash or a hang in onnxruntime costs a restart, not the editor.
 * NER goes through the core pipeline (findEntities) with one shared paragraph cache: paragraphs whose text was
 * annotated before are not sent again, so after an edit only the changed paragraphs go to the worker.
 */
export class WorkerBackend implements AnnotationBackend {
  private client: WorkerClient;
  private threads: number;
  /** biom.runtime.device; like threads, fixed for a worker's life (sessions are created on it). */
  private device: Device | undefined;
  /** Shared by every model and document: the model key is part of each entry's key. */
  private readonly cache: ParagraphCache<Entity>;
  /** Relations per sentence, keyed by model, sentence text and its entity spans: an edit re-classifies one sentence. */
  private readonly relationCache: ParagraphCache<CachedRelation>;
  /** On disk, behind both caches; undefined when the backend keeps results in memory only. */
  private readonly disk?: {
    entities: ResultCache<Entity[]>;
    relations: ResultCache<CachedRelation[]>;
    hashes: ResultCache<string>;
    /** Linked entities of a whole text (normalization), keyed by the text and its entities. */
    links: ResultCache<AnnotatedEntity[]>;
  };
  /** Model folder → content fingerprint, as of the last annotate or relations call (finished() reuses it). */
  private readonly fingerprints = new Map<string, string>();

  constructor(private readonly options: WorkerBackendOptions) {
    this.threads = options.threads;
    this.device = options.settings?.device;
    this.client = this.createClient();
    const persistent = options.resultCache;
    if (persistent) {
      this.disk = {
        entities: new ResultCache<Entity[]>(persistent),
        relations: new ResultCache<CachedRelation[]>(persistent),
        hashes: new ResultCache<string>(persistent),
        links: new ResultCache<AnnotatedEntity[]>(persistent),
      };
      this.cache = new TieredParagraphCache<Entity>(this.disk.entities);
      this.relationCache = new TieredParagraphCache<CachedRelation>(this.disk.relations);
    } else {
      this.cache = new ParagraphCache<Entity>();
      this.relationCache = new ParagraphCache<CachedRelation>();
    }
  }

  /** biom.cache.maxSizeMB changed: a smaller bound trims at once; 0 stops reading and writing the disk cache. */
  setResultCacheBytes(maxBytes: number): void {
    if (!this.disk) return;
    for (const c of Object.values(this.disk)) c.setMaxBytes(maxBytes);
  }

  /** BioM: Clear Result Cache — the disk entries and the in-memory results go; the next run computes everything. */
  clearResultCache(): void {
    this.disk?.entities.clear();
    this.cache.clear();
    this.relationCache.clear();
    this.fingerprints.clear();
  }

  /** Bytes of the disk cache now (0 without one). */
  resultCacheBytes(): number {
    return this.disk?.entities.sizeBytes() ?? 0;
  }

  /** The worker's counters (model loads, session runs) and memory; `modelCalls` 0 means nothing was run. */
  workerStats() {
    return this.client.stats();
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
  async setThreads(threads: number, device: Device | undefined = this.device): Promise<void> {
    if (threads === this.threads && device === this.device) return;
    this.threads = threads;
    this.device = device;
    const old = this.client;
    const wasRunning = old.pid !== undefined;
    this.client = this.createClient();
    await old.dispose();
    // A worker was in use: start its replacement now, so the status bar shows it and the next request is quick.
    if (wasRunning) await this.client.ping().catch(() => undefined);
  }

  async annotate(text: string, options: AnnotateOptions): Promise<AnnotateResult> {
    await this.fingerprint(options.models);
    const sources = options.models.map((ref) => this.nerSource(ref, options.aggregation));
    const found = await findEntities(text, sources, {
      aggregation: options.aggregation,
      cache: this.cache,
      // ~10 abstracts per worker call: each finished call is cached, so Cancel keeps the paragraphs done so far.
      charsPerCall: 16_000,
      signal: options.signal,
      onProgress: options.onProgress,
      plan: options.plan,
      onPartial: options.onPartial,
    });
    if (!options.normalization) return found;
    return { ...found, entities: await this.link(text, found.entities, options.normalization.species, options.signal) };
  }

  /**
   * Database ids for the merged entities: one worker call, since ids need the whole text as context (abbreviations
   * defined elsewhere in it). With a disk cache the result is kept under the text and the entities, so reopening an
   * annotated document starts no worker at all.
   */
  private async link(text: string, entities: AnnotatedEntity[], species: string, signal?: AbortSignal): Promise<AnnotatedEntity[]> {
    const disk = this.disk?.links;
    const key =
      disk?.enabled === true
        ? sha256(JSON.stringify(['normalize', species, text, entities.map((e) => [e.start, e.end, e.label, e.score, e.model])]))
        : undefined;
    const known = key === undefined ? undefined : disk?.get(key);
    if (known && known.length === entities.length) return known;
    const request = { kind: 'normalize', text, entities, species } as const;
    const linked = (await this.client.request(request, { signal })) as AnnotatedEntity[];
    if (key !== undefined && !signal?.aborted) disk?.set(key, linked);
    return linked;
  }

  async finished(text: string, options: Omit<AnnotateOptions, 'signal' | 'onProgress'>): Promise<FinishedEntities> {
    await this.fingerprint(options.models);
    const sources = options.models.map((ref) => this.nerSource(ref, options.aggregation));
    const found = finishedEntities(text, sources, { aggregation: options.aggregation, cache: this.cache });
    if (!options.normalization || found.entities.length === 0) return found;
    return { ...found, entities: await this.link(text, found.entities, options.normalization.species) };
  }

  async relations(
    text: string,
    entities: readonly Entity[],
    ref: ModelRef,
    options: RelationsOptions = {},
  ): Promise<IncrementalRelationsResult> {
    await this.fingerprint([ref]);
    const model = spec(ref);
    const classify = (part: string, inside: readonly Entity[], signal?: AbortSignal): Promise<Relation[]> =>
      this.client.extractRelations(model, part, [...inside], {}, { signal });
    return incrementalRelations(
      text,
      entities,
      JSON.stringify([ref.folder, ref.quantized ? 'int8' : 'fp32', ...this.contentKey(ref)]),
      classify,
      this.relationCache,
      {
        signal: options.signal,
        onProgress: options.onProgress && ((done, total) => options.onProgress?.(total === 0 ? 1 : done / total)),
      },
    );
  }

  answer(question: string, context: string, ref: ModelRef, topK: number, signal?: AbortSignal): Promise<Answer[]> {
    return this.client.answerQuestion(spec(ref), question, context, { topK }, { signal });
  }

  /** Paragraph cache hits and misses since start (tests, logs). */
  cacheStats(): CacheStats {
    return this.cache.stats();
  }

  /** Stops the worker process; requests still running are cancelled; results not yet on disk are written. */
  dispose(): Promise<void> {
    if (this.disk) for (const c of Object.values(this.disk)) c.flush();
    return this.client.dispose();
  }

  /**
   * With a disk cache, results are keyed by what the model files contain (and the salt), not only by their folder:
   * a model replaced in place, or a new extension version, never shows old results.
   */
  private async fingerprint(refs: readonly ModelRef[]): Promise<void> {
    if (!this.disk?.hashes.enabled) return;
    for (const ref of refs) {
      try {
        this.fingerprints.set(ref.folder, await modelFingerprint(ref.folder, this.disk.hashes));
      } catch {
        // An unreadable folder: the worker's load reports it in one line; nothing is cached under a guess.
        this.fingerprints.delete(ref.folder);
      }
    }
  }

  private contentKey(ref: ModelRef): string[] {
    if (!this.disk?.hashes.enabled) return [];
    // No fingerprint: a key no disk entry can have, so nothing is read or shared across runs.
    return [this.fingerprints.get(ref.folder) ?? `unhashed-${process.pid}-${Date.now()}`, this.options.resultCache?.salt ?? ''];
  }

  private createClient(): WorkerClient {
    const { workerPath, execArgv, settings, timings, onLog, onStatus } = this.options;
    const client: WorkerClient = new WorkerClient({
      workerPath,
      execArgv,
      settings: { ...settings, threads: this.threads, ...(this.device ? { device: this.device } : {}) },
      ...timings,
      onLog,
      // A replaced worker's last words ("stopped") would overwrite the state of the one that replaced it.
      onStatus: (status) => {
        if (this.client === client) onStatus?.(status);
      },
    });
    return client;
  }

  private nerSource(ref: ModelRef, aggregation: Aggregation): NerSource {
    const model = spec(ref);
    const stride = defaultStride(aggregation);
    const mode = this.options.nerMode?.() ?? 'exact';
    return {
      name: modelName(ref),
      key: JSON.stringify([nerKey(ref, aggregation, stride, mode), ...this.contentKey(ref)]),
      // this.client is read per call: after setThreads the same cache serves the new worker.
      run: (texts, signal, onTextsDone) =>
        this.client.recognizeEntities(model, texts, { aggregation, stride, mode }, { signal, onProgress: onTextsDone }),
    };
  }
}

function spec(ref: ModelRef): ModelSpec {
  return { folder: ref.folder, quantized: ref.quantized };
}
