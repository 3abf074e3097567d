// Owns loaded models (tokenizer + ONNX session per folder and variant) and the task entry points on them.
import { readModelFolder, type ModelInfo, type ModelTask } from './models/modelFolder';
import { ModelSession, type SessionOptions } from './runtime/onnxSession';
import type { Device } from './runtime/sessionPolicy';
import { TextTokenizer } from './tokenize/tokenizer';
import { ModelError } from './errors';
import { sessionOptionsFor } from './models/contract';
import { checkLoadedModel } from './models/verify';

export interface LoadedModel {
  info: ModelInfo;
  tokenizer: TextTokenizer;
  session: ModelSession;
  labels: readonly string[];
  maxLength: number;
}

export interface EngineOptions {
  /** Intra-op threads for every session; 0 lets onnxruntime choose. */
  threads?: number;
  /** Execution device for every session (biom.runtime.device, --device); a device that cannot load falls back to the CPU. */
  device?: Device;
  /** Told once per loaded model when its device could not be used and it runs on the CPU instead. */
  onDeviceNote?: (line: string) => void;
}

export interface ModelRef {
  folder: string;
  quantized?: boolean;
}

/** Caches one loaded model per (folder, quantized); loading is shared by concurrent callers. */
export class Engine {
  private readonly models = new Map<string, Promise<LoadedModel>>();

  constructor(private readonly options: EngineOptions = {}) {}

  load(ref: ModelRef, expectedTask?: ModelTask): Promise<LoadedModel> {
    const info = readModelFolder(ref.folder, { quantized: ref.quantized });
    if (expectedTask && info.task !== expectedTask) {
      throw new ModelError(info.folder, `is a ${info.task} model (${info.architecture}), not a ${expectedTask} model`);
    }
    const key = `${info.folder}\u0000${info.quantized ? 'int8' : 'fp32'}`;
    let loading = this.models.get(key);
    if (!loading) {
      loading = loadModel(
        info,
        sessionOptionsFor(info.modelType, { path: info.onnxPath, quantized: info.quantized }, this.options.threads, this.options.device),
      );
      loading.catch(() => this.models.delete(key));
      loading.then((m) => m.session.deviceNote && this.options.onDeviceNote?.(m.session.deviceNote)).catch(() => undefined);
      this.models.set(key, loading);
    }
    return loading;
  }

  /** Releases every loaded session. */
  async dispose(): Promise<void> {
    const all = [...this.models.values()];
    this.models.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.session.release()));
  }
}

async function loadModel(info: ModelInfo, options: SessionOptions): Promise<LoadedModel> {
  const tokenizer = await TextTokenizer.load(info.folder, info.tokenizerPath);
  const session = await ModelSession.load(info.folder, info.onnxPath, options);
  try {
    // One sample through the model: outputs that do not fit the task or the labels fail here, naming the folder.
    await checkLoadedModel(info, tokenizer, session);
  } catch (e) {
    await session.release();
    throw e;
  }
  return { info, tokenizer, session, labels: info.labels, maxLength: info.maxLength };
}
