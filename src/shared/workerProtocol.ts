// Owns the messages between the host (extension, CLI) and the inference worker process. Types only, plain JSON.
import type { Aggregation, Answer, Device, Entity, NerMode, Relation } from '../core/types';

/** Bumped when a message changes shape, so a stale dist/worker.js is refused instead of misread. */
export const WORKER_PROTOCOL_VERSION = 1;

/** Which model a request runs on; sessions are cached per (folder, quantized) with the worker's thread setting. */
export interface ModelSpec {
  folder: string;
  quantized?: boolean;
}

/** Fixed for the life of one worker process; passed as its first argument (JSON). */
export interface WorkerSettings {
  /** Default intra-op threads; 0 lets onnxruntime choose. */
  threads: number;
  /** A model unused for this long is released (its session's memory goes back to the system). */
  idleReleaseMs: number;
  /** Most windows in one model call when requests share a batch. */
  maxBatchRows: number;
  /** Most padded tokens (rows x longest row) in one model call; bounds the memory of one call. */
  maxBatchTokens: number;
  /** Let windows of different texts share model calls (fp32 models only; int8 results would depend on batch mates). */
  shareBatches: boolean;
  /** Enables the debug-* requests; only tests start a worker with it. */
  testHooks: boolean;
  /** biom.runtime.device for every session; absent runs on the CPU. A device that cannot load falls back to the CPU. */
  device?: Device;
}

// ---- requests (host -> worker) -------------------------------------------------------------------------------

export interface NerRequest {
  kind: 'ner';
  model: ModelSpec;
  /** Independent texts (paragraphs, documents); their windows may share model calls. Results come back per text. */
  texts: string[];
  aggregation?: Aggregation;
  stride?: number;
  batchSize?: number;
  /** biom.ner.mode; absent is `exact`. */
  mode?: NerMode;
}

export interface RelationsRequest {
  kind: 'relations';
  model: ModelSpec;
  text: string;
  entities: Entity[];
  includeNegative?: boolean;
  batchSize?: number;
}

export interface QaRequest {
  kind: 'qa';
  model: ModelSpec;
  question: string;
  context: string;
  topK?: number;
  docStride?: number;
  maxSeqLen?: number;
  maxAnswerLen?: number;
}

/** Links entities to MeSH / NCBI Gene / HGNC with the bundled indexes (no model); the text is their context. */
export interface NormalizeRequest {
  kind: 'normalize';
  text: string;
  entities: Entity[];
  /** Gene species (biom.normalization.geneSpecies); only "human" has data. */
  species?: string;
}

export interface DisposeModelRequest {
  kind: 'dispose-model';
  /** Absent: every loaded model. */
  model?: ModelSpec;
}

export interface PingRequest {
  kind: 'ping';
}

export interface StatsRequest {
  kind: 'stats';
}

/** Test hook: blocks the worker's event loop forever (a hang the watchdog must catch). */
export interface DebugHangRequest {
  kind: 'debug-hang';
}

/** Test hook: the worker process dies at once, like a native crash in onnxruntime. */
export interface DebugCrashRequest {
  kind: 'debug-crash';
}

export type WorkerRequest =
  | NerRequest
  | RelationsRequest
  | QaRequest
  | NormalizeRequest
  | DisposeModelRequest
  | PingRequest
  | StatsRequest
  | DebugHangRequest
  | DebugCrashRequest;

export type RequestKind = WorkerRequest['kind'];

export interface WorkerStats {
  pid: number;
  /** Models with a live session, as "folder|int8|threads" keys. */
  loadedModels: string[];
  /** Sessions created since start (a reload after an idle release counts again). */
  modelLoads: number;
  /** session.run calls and the windows they carried, since start. */
  modelCalls: number;
  rowsRun: number;
  /** Model calls that carried windows of more than one request. */
  sharedCalls: number;
  rssBytes: number;
  /** Most resident memory seen at a stats request or after a model load (bytes). */
  peakRssBytes?: number;
  /** Device fallback messages (biom.runtime.device could not be used), once each. */
  deviceNotes?: string[];
}

/** The result type of each request kind. */
export interface WorkerResults {
  ner: Entity[][];
  relations: Relation[];
  qa: Answer[];
  normalize: Entity[];
  'dispose-model': { released: number };
  ping: { pid: number };
  stats: WorkerStats;
  'debug-hang': never;
  'debug-crash': never;
}

export type RequestOf<K extends RequestKind> = Extract<WorkerRequest, { kind: K }>;

export interface RequestMessage {
  type: 'request';
  id: number;
  request: WorkerRequest;
}

/** Stops the request with this id; the worker answers it with an error of kind "cancelled" (or nothing if done). */
export interface CancelMessage {
  type: 'cancel';
  id: number;
}

export type HostMessage = RequestMessage | CancelMessage;

// ---- responses (worker -> host) ------------------------------------------------------------------------------

export interface ReadyMessage {
  type: 'ready';
  pid: number;
  protocolVersion: number;
}

export interface ResultMessage {
  type: 'result';
  id: number;
  result: WorkerResults[RequestKind];
}

/**
 * model: the model folder is unusable; input: the request is wrong; cancelled: a cancel arrived; crash: the worker
 * died or hung (made by the client, never sent by a worker); internal: a bug.
 */
export type WorkerErrorKind = 'model' | 'input' | 'cancelled' | 'crash' | 'internal';

export interface ErrorMessage {
  type: 'error';
  id: number;
  error: { kind: WorkerErrorKind; message: string };
}

/** Sent after each model call, so the host can show progress and knows the worker is alive. */
export interface ProgressMessage {
  type: 'progress';
  id: number;
  /** Units finished / all units; units are texts for ner, model calls otherwise. */
  done: number;
  total: number;
}

/**
 * Sent just before a model call that holds the worker's only thread (onnxruntime-node's run blocks the event loop,
 * so pings go unanswered): the host does not call the worker hung before `expectMs` has passed. A BioM-ALBERT-xxlarge
 * batch can take minutes on a small CPU; without this it was killed as hung mid-run.
 */
export interface BusyMessage {
  type: 'busy';
  /** Generous upper bound for the call, from the session's measured speed. */
  expectMs: number;
}

export type WorkerMessage = ReadyMessage | ResultMessage | ErrorMessage | ProgressMessage | BusyMessage;
