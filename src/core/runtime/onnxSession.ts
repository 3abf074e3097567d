// Owns onnxruntime-node: the only module that imports it. Sessions, feeds, threads and disposal live here.
import * as ort from 'onnxruntime-node';
import { statSync } from 'node:fs';
import { ModelError, throwIfAborted } from '../errors';
import { inputProblem } from '../models/contract';
import { devicePlan, fallbackMessage, type Device } from './sessionPolicy';

export interface SessionOptions {
  /** Intra-op threads; 0 or undefined lets onnxruntime choose. */
  threads?: number;
  /** Turns onnxruntime's weight pre-packing off; chosen per file by prepackFor (sessionPolicy.ts). */
  disablePrepacking?: boolean;
  /** Execution device; undefined or `cpu` runs on the CPU. A device that cannot load falls back to the CPU. */
  device?: Device;
}

/** One row of model input: token ids with their type ids; the attention mask is 1 for every given token. */
export interface InputRow {
  ids: readonly number[];
  typeIds: readonly number[];
}

export interface OutputTensor {
  data: Float32Array;
  dims: readonly number[];
}

/** What the tasks need from a session; lets the worker put a cross-request batching queue in front of a ModelSession. */
export type SessionRunner = Pick<ModelSession, 'run' | 'outputNames'>;

/** A loaded ONNX model that runs padded batches of token rows. */
/** Before each blocking model call: a generous bound on its duration (ms). One per process (the worker sets it). */
let runObserver: ((expectMs: number) => void) | undefined;

/** The worker tells its host how long the thread will be busy, so a long BioM-scale batch is not taken for a hang. */
export function observeModelRuns(observer: ((expectMs: number) => void) | undefined): void {
  runObserver = observer;
}

/** Before a session has run, assume 10 tokens/s (fp32 BioM-ALBERT-xxlarge runs ~15-30 on 2 cores). */
const FIRST_RUN_MS_PER_TOKEN = 100;
/** Bound = this many times the measured time: a busy machine can be several times slower than the last call. */
const BUSY_SAFETY = 5;

export class ModelSession {
  /** Milliseconds per (padded) token of this session's last call; undefined before its first run. */
  private msPerToken: number | undefined;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly path: string,
    /** The provider the session runs on (`cpu` after a fallback). */
    readonly device: string,
    /** The one-line message when the requested device was not used; undefined when it was. */
    readonly deviceNote?: string,
  ) {}

  static async load(folder: string, path: string, options: SessionOptions = {}): Promise<ModelSession> {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new ModelError(folder, `${path} is missing`);
    if (!stat.isFile() || stat.size === 0) throw new ModelError(folder, `${path} is ${stat.isFile() ? 'empty (0 bytes)' : 'not a file'}`);
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      ...(options.threads && options.threads > 0 ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {}),
      ...(options.disablePrepacking ? { extra: { session: { disable_prepacking: '1' } } } : {}),
    };
    const device = options.device ?? 'cpu';
    const plan = devicePlan(device, `${process.platform}-${process.arch}`, ort.listSupportedBackends());
    let note = plan.unavailable ? fallbackMessage(device, plan.unavailable) : undefined;
    // A provider library that is missing is logged by onnxruntime's process-wide logger, not the session's: quiet it
    // before the first session when a GPU will be tried (model errors still arrive as exceptions, worded below).
    if (plan.providers.length > 1) ort.env.logLevel = 'fatal';
    let session: ort.InferenceSession | undefined;
    let used = 'cpu';
    for (const provider of plan.providers) {
      try {
        // A GPU provider's own load error is onnxruntime's multi-line log; the user gets fallbackMessage instead.
        const quiet = provider === 'cpu' ? {} : { logSeverityLevel: 4 as const };
        session = await ort.InferenceSession.create(path, { ...sessionOptions, ...quiet, executionProviders: [provider] });
        used = provider;
        break;
      } catch (e) {
        // A GPU provider that cannot load (missing driver or library) is not the model's fault: note it, use the CPU.
        if (provider !== 'cpu') {
          note = fallbackMessage(device, firstLine((e as Error).message));
          continue;
        }
        throw new ModelError(folder, `${path} is not a usable ONNX model (${firstLine((e as Error).message)})`);
      }
    }
    if (!session) throw new ModelError(folder, `${path} could not be loaded`);
    const problem = inputProblem(session.inputNames);
    if (problem) {
      await session.release();
      throw new ModelError(folder, `${path} ${problem}`);
    }
    return new ModelSession(session, path, used, device === 'auto' && used === 'cpu' ? undefined : note);
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Runs one padded batch. Rows shorter than the longest are padded with `padId` and masked out. */
  async run(rows: readonly InputRow[], padId: number, signal?: AbortSignal): Promise<Record<string, OutputTensor>> {
    throwIfAborted(signal);
    const batch = rows.length;
    const length = Math.max(1, ...rows.map((r) => r.ids.length));
    const ids = new BigInt64Array(batch * length).fill(BigInt(padId));
    const mask = new BigInt64Array(batch * length);
    const types = new BigInt64Array(batch * length);
    rows.forEach((row, b) => {
      const base = b * length;
      for (let t = 0; t < row.ids.length; t++) {
        ids[base + t] = BigInt(row.ids[t]);
        mask[base + t] = 1n;
        types[base + t] = BigInt(row.typeIds[t] ?? 0);
      }
    });
    const dims = [batch, length];
    const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', ids, dims) };
    if (this.session.inputNames.includes('attention_mask')) feeds.attention_mask = new ort.Tensor('int64', mask, dims);
    if (this.session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', types, dims);
    const tokens = batch * length;
    runObserver?.(Math.ceil(tokens * (this.msPerToken === undefined ? FIRST_RUN_MS_PER_TOKEN : this.msPerToken * BUSY_SAFETY)) + 1000);
    const started = performance.now();
    const results = await this.session.run(feeds);
    const perToken = (performance.now() - started) / tokens;
    this.msPerToken = perToken;
    throwIfAborted(signal);
    const out: Record<string, OutputTensor> = {};
    for (const name of this.session.outputNames) {
      const tensor = results[name];
      if (tensor.type !== 'float32') throw new Error(`output ${name} of ${this.path} is ${tensor.type}, expected float32`);
      out[name] = { data: tensor.data as Float32Array, dims: tensor.dims };
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].slice(0, 300);
}
