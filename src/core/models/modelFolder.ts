// Owns the model folder contract (Hugging Face / Optimum layout): config.json, tokenizer.json, onnx/model*.onnx.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ModelError } from '../errors';
import { maxLengthProblem, taskOfArchitecture, type ModelTask } from './contract';

export type { ModelTask } from './contract';

export interface ModelInfo {
  /** Absolute path of the folder. */
  folder: string;
  task: ModelTask;
  modelType: string;
  architecture: string;
  /** Labels by class index (empty for QA). */
  labels: string[];
  /** Longest input the model's position embeddings allow, in tokens. */
  maxLength: number;
  tokenizerPath: string;
  onnxPath: string;
  quantized: boolean;
  /** Paths of both variants that exist, for pickers. */
  variants: { fp32?: string; int8?: string };
}

interface RawConfig {
  model_type?: unknown;
  architectures?: unknown;
  id2label?: unknown;
  max_position_embeddings?: unknown;
}

/** A file the folder must have: missing, a folder in its place, or empty is reported by name. */
function requireFile(folder: string, path: string): void {
  const name = relative(folder, path).split('\\').join('/');
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new ModelError(folder, `${name} is missing`);
  if (!stat.isFile()) throw new ModelError(folder, `${name} is not a file`);
  if (stat.size === 0) throw new ModelError(folder, `${name} is empty (0 bytes)`);
}

function readJson(folder: string, file: string): unknown {
  const path = join(folder, file);
  requireFile(folder, path);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ModelError(folder, `${file} is not valid JSON (${(e as Error).message})`);
  }
}

/** Reads and checks a model folder; throws ModelError naming the folder and the problem. */
export function readModelFolder(folderArg: string, options: { quantized?: boolean } = {}): ModelInfo {
  const folder = resolve(folderArg);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ModelError(folder, 'is not a folder');
  }
  const config = readJson(folder, 'config.json') as RawConfig;
  if (typeof config !== 'object' || config === null) throw new ModelError(folder, 'config.json is not an object');
  const architectures = Array.isArray(config.architectures) ? config.architectures.filter((a) => typeof a === 'string') : [];
  const architecture = architectures[0] as string | undefined;
  if (!architecture) throw new ModelError(folder, 'config.json has no "architectures"');
  const task = taskOfArchitecture(architecture);
  if (!task) {
    throw new ModelError(
      folder,
      `architecture ${architecture} is not supported (expected …ForTokenClassification, …ForSequenceClassification or …ForQuestionAnswering)`,
    );
  }
  const labels = parseLabels(folder, config.id2label, task);
  const tokenizerPath = join(folder, 'tokenizer.json');
  requireFile(folder, tokenizerPath);
  const fp32 = join(folder, 'onnx', 'model.onnx');
  const int8 = join(folder, 'onnx', 'model_quantized.onnx');
  const variants = { fp32: existsSync(fp32) ? fp32 : undefined, int8: existsSync(int8) ? int8 : undefined };
  const quantized = options.quantized === true;
  const onnxPath = quantized ? variants.int8 : variants.fp32;
  requireFile(folder, onnxPath ?? (quantized ? int8 : fp32));
  const lengthProblem = maxLengthProblem(config.max_position_embeddings);
  if (lengthProblem) throw new ModelError(folder, lengthProblem);
  const maxPositions = typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : 512;
  const tokenizerMax = tokenizerMaxLength(folder);
  return {
    folder,
    task,
    modelType: typeof config.model_type === 'string' ? config.model_type : 'unknown',
    architecture,
    labels,
    maxLength: Math.min(maxPositions, tokenizerMax ?? maxPositions),
    tokenizerPath,
    onnxPath: onnxPath as string,
    quantized,
    variants,
  };
}

function parseLabels(folder: string, raw: unknown, task: ModelTask): string[] {
  if (task === 'qa') return [];
  if (typeof raw !== 'object' || raw === null) throw new ModelError(folder, 'config.json has no "id2label"');
  const entries = Object.entries(raw as Record<string, unknown>);
  const labels: string[] = new Array(entries.length);
  for (const [key, value] of entries) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= entries.length || typeof value !== 'string') {
      throw new ModelError(folder, `config.json "id2label" has a bad entry ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
    }
    labels[index] = value;
  }
  if (labels.length === 0) throw new ModelError(folder, 'config.json "id2label" is empty');
  if (task === 'ner') {
    const bad = labels.filter((l) => l !== 'O' && !/^[BI]-.+/.test(l));
    if (bad.length > 0) {
      throw new ModelError(folder, `NER labels must be BIO (O, B-X, I-X); found ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
    }
  }
  return labels;
}

/** The tokenizer's model_max_length, which the pipelines use as the window length (absent or "infinite" → none). */
function tokenizerMaxLength(folder: string): number | undefined {
  const path = join(folder, 'tokenizer_config.json');
  if (!existsSync(path)) return undefined;
  const config = readJson(folder, 'tokenizer_config.json') as { model_max_length?: unknown };
  const value = config.model_max_length;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 1e6 ? value : undefined;
}
