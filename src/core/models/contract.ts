// Owns the model contract in one place: which architectures map to which task, the ONNX inputs a graph may take, the
// outputs each task reads (names and shapes), sane config values, and session options per architecture. The tasks,
// `models verify`, the hub's config check and the session loader all ask this module, so they cannot disagree.
import type { SessionOptions } from '../runtime/onnxSession';
import { modelFileBytes, prepackFor, type Device } from '../runtime/sessionPolicy';

export type ModelTask = 'ner' | 'relations' | 'qa';

const TASK_BY_SUFFIX: readonly [string, ModelTask][] = [
  ['ForTokenClassification', 'ner'],
  ['ForSequenceClassification', 'relations'],
  ['ForQuestionAnswering', 'qa'],
];

/** The heads the engine runs, for messages. */
export const SUPPORTED_HEADS: readonly string[] = TASK_BY_SUFFIX.map(([suffix]) => suffix);

/** The task of a config.json architecture (e.g. AlbertForTokenClassification → ner), or undefined. */
export function taskOfArchitecture(architecture: unknown): ModelTask | undefined {
  if (typeof architecture !== 'string') return undefined;
  return TASK_BY_SUFFIX.find(([suffix]) => architecture.endsWith(suffix))?.[1];
}

export const REQUIRED_INPUT = 'input_ids';
export const OPTIONAL_INPUTS: readonly string[] = ['attention_mask', 'token_type_ids'];

/** Why a graph's inputs cannot be fed (a missing input_ids, or an input the engine has no values for), or undefined. */
export function inputProblem(inputNames: readonly string[]): string | undefined {
  const unknown = inputNames.filter((n) => n !== REQUIRED_INPUT && !OPTIONAL_INPUTS.includes(n));
  if (unknown.length > 0 || !inputNames.includes(REQUIRED_INPUT)) {
    return `has inputs [${inputNames.join(', ')}]; expected ${REQUIRED_INPUT} with optional ${OPTIONAL_INPUTS.join(' and ')}`;
  }
  return undefined;
}

/** The outputs a task reads, by name: `logits` for classification, start and end logits for QA. */
export type TaskOutputs = { kind: 'logits'; logits: string } | { kind: 'span'; start: string; end: string };

/**
 * Which outputs a task reads. Classification: `logits`, else a graph's only output. QA: the outputs named with
 * "start" and "end" (start_logits/end_logits in every export seen), else exactly two outputs in that order.
 * Returns a problem string when the graph does not offer them.
 */
export function taskOutputs(task: ModelTask, outputNames: readonly string[]): TaskOutputs | string {
  if (task === 'qa') {
    const start = outputNames.find((n) => n.includes('start'));
    const end = outputNames.find((n) => n.includes('end'));
    if (start && end) return { kind: 'span', start, end };
    if (outputNames.length === 2) return { kind: 'span', start: outputNames[0], end: outputNames[1] };
    return `has outputs [${outputNames.join(', ')}]; a QA model needs start and end logits (start_logits, end_logits)`;
  }
  if (outputNames.includes('logits')) return { kind: 'logits', logits: 'logits' };
  if (outputNames.length === 1) return { kind: 'logits', logits: outputNames[0] };
  return `has outputs [${outputNames.join(', ')}]; a ${task} model needs one "logits" output`;
}

/** Like {@link taskOutputs} for callers that run a model: a problem is thrown as an Error naming the outputs. */
export function logitsOutput(task: 'ner' | 'relations', outputNames: readonly string[]): string {
  const found = taskOutputs(task, outputNames);
  if (typeof found === 'string') throw new Error(`the model ${found}`);
  return (found as { logits: string }).logits;
}

export function spanOutputs(outputNames: readonly string[]): [string, string] {
  const found = taskOutputs('qa', outputNames);
  if (typeof found === 'string') throw new Error(`the model ${found}`);
  const span = found as { start: string; end: string };
  return [span.start, span.end];
}

/**
 * The shape each output must have for `tokens` input tokens in a batch of one: NER [1, tokens, labels], relations
 * [1, labels], QA [1, tokens] twice. A shape that differs would be read as nonsense labels, so it is refused.
 */
export function outputShapeProblem(
  task: ModelTask,
  outputs: Record<string, { dims: readonly number[]; data: Float32Array }>,
  tokens: number,
  labelCount: number,
): string | undefined {
  const found = taskOutputs(task, Object.keys(outputs));
  if (typeof found === 'string') return found;
  const expected: Record<string, number[]> =
    found.kind === 'span'
      ? { [found.start]: [1, tokens], [found.end]: [1, tokens] }
      : { [found.logits]: task === 'ner' ? [1, tokens, labelCount] : [1, labelCount] };
  for (const [name, dims] of Object.entries(expected)) {
    const tensor = outputs[name];
    if (tensor.dims.join(',') !== dims.join(',')) {
      const labels = task === 'qa' ? '' : ` for ${labelCount || 'no'} labels in config.json`;
      return `output "${name}" has shape [${tensor.dims.join(', ')}], expected [${dims.join(', ')}]${labels}`;
    }
    if (!tensor.data.every(Number.isFinite)) return `output "${name}" contains NaN or infinity`;
  }
  return undefined;
}

/** Shortest window a model must take: room for special tokens, a question and some context. */
export const MIN_MAX_LENGTH = 16;
/** Longest window believed: beyond this a config value is a typo, not a model. */
export const MAX_MAX_LENGTH = 1 << 16;

/** Why a config.json `max_position_embeddings` cannot be used as the window length, or undefined. */
export function maxLengthProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_MAX_LENGTH || value > MAX_MAX_LENGTH) {
    return `config.json "max_position_embeddings" is ${JSON.stringify(value)}; expected an integer from ${MIN_MAX_LENGTH} to ${MAX_MAX_LENGTH}`;
  }
  return undefined;
}

/** onnxruntime options for one model file: pre-packing by the file's size and variant (prepackFor), threads, device. */
export function sessionOptionsFor(
  modelType: string,
  file: { path: string; quantized: boolean },
  threads?: number,
  device?: Device,
): SessionOptions {
  const prepack = prepackFor({ modelType, quantized: file.quantized, bytes: modelFileBytes(file.path) });
  return { threads, disablePrepacking: !prepack, ...(device ? { device } : {}) };
}
