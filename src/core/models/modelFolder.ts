// Owns the model folder contract (Hugging Face / Optimum layout): config.json, tokenizer.json, onnx/model*.onnx.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ModelError } from '../errors';

export type ModelTask = 'ner' | 'relations' | 'qa';

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

const TASK_BY_SUFFIX: [string, ModelTask][] = [
  ['ForTokenClassification', 'ner'],
  ['ForSequenceClassification', 'relations'],
  ['ForQuestionAnswering', 'qa'],
];

interface RawConfig {
  model_type?: unknown;
  architectures?: unknown;
  id2label?: unknown;
  max_position_embeddings?: unknown;
}

function readJson(folder: string, file: string): unknown {
  const path = join(folder, file);
  if (!existsSync(path)) throw new ModelError(folder, `${file} is missing`);
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
  const task = TASK_BY_SUFFIX.find(([suffix]) => architecture.endsWith(suffix))?.[1];
  if (!task) {
    throw new ModelError(
      folder,
      `architecture ${architecture} is not supported (expected …ForTokenClassification, …ForSequenceClassification or …ForQuestionAnswering)`,
    );
  }
  const labels = parseLabels(folder, config.id2label, task);
  const tokenizerPath = join(folder, 'tokenizer.json');
  if (!existsSync(tokenizerPath)) throw new ModelError(folder, 'tokenizer.json is missing');
  const fp32 = join(folder, 'onnx', 'model.onnx');
  const int8 = join(folder, 'onnx', 'model_quantized.onnx');
  const variants = { fp32: existsSync(fp32) ? fp32 : undefined, int8: existsSync(int8) ? int8 : undefined };
  const quantized = options.quantized === true;
  const onnxPath = quantized ? variants.int8 : variants.fp32;
  if (!onnxPath) {
    throw new ModelError(folder, `${quantized ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx'} is missing`);
  }
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
    onnxPath,
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
