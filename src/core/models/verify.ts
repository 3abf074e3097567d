// Owns the deep check of one model folder: tokenizer and every ONNX variant loaded and run once on a sample.
import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { ModelError } from '../errors';
import { ModelSession } from '../runtime/onnxSession';
import { TextTokenizer, type Window } from '../tokenize/tokenizer';
import { readManifest } from './hub';
import type { ModelInfo, ModelTask } from './modelFolder';
import { readAnyVariant } from './registry';

export interface VariantReport {
  variant: 'fp32' | 'int8';
  path: string;
  ok: boolean;
  outputs?: Record<string, number[]>;
  loadMs?: number;
  problem?: string;
}

export interface VerifyReport {
  folder: string;
  ok: boolean;
  task?: ModelTask;
  architecture?: string;
  modelType?: string;
  labels: string[];
  tokenizer?: { ok: boolean; sampleTokens?: number; problem?: string };
  variants: VariantReport[];
  source?: { repo: string; revision: string; hubUrl: string };
  /** Every problem found, each naming the file; empty when ok. */
  problems: string[];
}

/**
 * Checks a folder the way the engine will use it: the contract (readModelFolder), the tokenizer, and every ONNX variant
 * loaded and run once on a sample, with output shapes compared to the task and labels. Never throws for a bad folder.
 */
export async function verifyModelFolder(folderArg: string): Promise<VerifyReport> {
  const folder = resolve(folderArg);
  const report: VerifyReport = { folder, ok: false, labels: [], variants: [], problems: [] };
  let info: ModelInfo;
  try {
    info = readAnyVariant(folder);
  } catch (e) {
    report.problems.push(e instanceof ModelError ? e.problem : (e as Error).message);
    return report;
  }
  Object.assign(report, { task: info.task, architecture: info.architecture, modelType: info.modelType, labels: info.labels });
  const manifest = await readManifest(folder);
  if (manifest) {
    report.source = { repo: manifest.repo, revision: manifest.revision, hubUrl: manifest.hubUrl };
    for (const file of manifest.files) {
      const size = await stat(join(folder, file.localPath)).then((s) => s.size, () => -1);
      if (size !== file.size) report.problems.push(`${file.localPath} has ${size < 0 ? 'gone' : `${size} bytes`}; the download had ${file.size}`);
    }
  }
  let tokenizer: TextTokenizer;
  let sample: Window;
  try {
    tokenizer = await TextTokenizer.load(folder, info.tokenizerPath);
    sample = await sampleInput(tokenizer, info);
    report.tokenizer = { ok: true, sampleTokens: sample.ids.length };
  } catch (e) {
    const problem = e instanceof ModelError ? e.problem : (e as Error).message;
    report.tokenizer = { ok: false, problem };
    report.problems.push(problem);
    return report;
  }
  for (const [variant, path] of [['fp32', info.variants.fp32], ['int8', info.variants.int8]] as const) {
    if (!path) continue;
    const checked = await checkVariant(info, variant, path, sample, tokenizer.info.padId);
    report.variants.push(checked);
    if (checked.problem) report.problems.push(`${relative(folder, path)}: ${checked.problem}`);
  }
  report.ok = report.problems.length === 0;
  return report;
}

async function checkVariant(info: ModelInfo, variant: 'fp32' | 'int8', path: string, sample: Window, padId: number): Promise<VariantReport> {
  const started = Date.now();
  let session: ModelSession;
  try {
    session = await ModelSession.load(info.folder, path, { disablePrepacking: info.modelType === 'albert' });
  } catch (e) {
    return { variant, path, ok: false, problem: e instanceof ModelError ? e.problem : (e as Error).message };
  }
  try {
    const loadMs = Date.now() - started;
    const outputs = await session.run([{ ids: sample.ids, typeIds: sample.typeIds }], padId);
    const shapes = Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, [...t.dims]]));
    const problem = checkOutputs(info, outputs, sample.ids.length);
    return { variant, path, ok: problem === undefined, outputs: shapes, loadMs, ...(problem ? { problem } : {}) };
  } catch (e) {
    return { variant, path, ok: false, problem: `running a sample failed (${(e as Error).message.split('\n')[0]})` };
  } finally {
    await session.release();
  }
}

/** The shapes each task's post-processing relies on; a mismatch here would otherwise surface as nonsense labels. */
function checkOutputs(info: ModelInfo, outputs: Record<string, { data: Float32Array; dims: readonly number[] }>, tokens: number): string | undefined {
  const expected: Record<string, number[]> =
    info.task === 'ner'
      ? { logits: [1, tokens, info.labels.length] }
      : info.task === 'relations'
        ? { logits: [1, info.labels.length] }
        : { start_logits: [1, tokens], end_logits: [1, tokens] };
  for (const [name, dims] of Object.entries(expected)) {
    const tensor = outputs[name];
    if (!tensor) return `has no output "${name}" (outputs: ${Object.keys(outputs).join(', ')})`;
    if (tensor.dims.join(',') !== dims.join(',')) {
      return `output "${name}" has shape [${tensor.dims.join(', ')}], expected [${dims.join(', ')}] for ${info.labels.length || 'no'} labels in config.json`;
    }
    if (!tensor.data.every(Number.isFinite)) return `output "${name}" contains NaN or infinity`;
  }
  return undefined;
}

function sampleInput(tokenizer: TextTokenizer, info: ModelInfo): Promise<Window> {
  if (info.task === 'qa') {
    return tokenizer.encodePairWindows('What does aspirin inhibit?', 'Aspirin irreversibly inhibits COX-1 in platelets.', info.maxLength, 16).then((w) => w[0]);
  }
  const text = info.task === 'relations' ? '@CHEMICAL$ irreversibly inhibits @GENE$ in platelets.' : 'Aspirin irreversibly inhibits COX-1 in platelets.';
  return tokenizer.encode(text, info.maxLength);
}
