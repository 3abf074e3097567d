// Owns the deep check of one model folder: tokenizer and every ONNX variant loaded and run once on a sample.
import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { ModelError } from '../errors';
import { ModelSession, type SessionRunner } from '../runtime/onnxSession';
import { TextTokenizer, type Window } from '../tokenize/tokenizer';
import { outputShapeProblem, sessionOptionsFor } from './contract';
import { readManifest } from './modelCache';
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
      if (typeof file.localPath !== 'string' || file.localPath.split('/').some((p) => p === '..' || p === '')) continue;
      const size = await stat(join(folder, file.localPath)).then(
        (s) => s.size,
        () => -1,
      );
      if (size !== file.size)
        report.problems.push(`${file.localPath} has ${size < 0 ? 'gone' : `${size} bytes`}; the download had ${file.size}`);
    }
  }
  let tokenizer: TextTokenizer;
  let sample: Window;
  try {
    tokenizer = await TextTokenizer.load(folder, info.tokenizerPath);
    sample = await sampleInput(tokenizer, info);
    report.tokenizer = { ok: true, sampleTokens: sample.ids.length };
  } catch (e) {
    const problem = e instanceof ModelError ? e.problem : `tokenizer.json cannot encode a sample (${firstLine((e as Error).message)})`;
    report.tokenizer = { ok: false, problem };
    report.problems.push(problem);
    return report;
  }
  for (const [variant, path] of [
    ['fp32', info.variants.fp32],
    ['int8', info.variants.int8],
  ] as const) {
    if (!path) continue;
    const checked = await checkVariant(info, variant, path, sample, tokenizer.info.padId);
    report.variants.push(checked);
    if (checked.problem) report.problems.push(`${relative(folder, path)}: ${checked.problem}`);
  }
  report.ok = report.problems.length === 0;
  return report;
}

async function checkVariant(
  info: ModelInfo,
  variant: 'fp32' | 'int8',
  path: string,
  sample: Window,
  padId: number,
): Promise<VariantReport> {
  const started = Date.now();
  let session: ModelSession;
  try {
    session = await ModelSession.load(info.folder, path, sessionOptionsFor(info.modelType, { path, quantized: variant === 'int8' }));
  } catch (e) {
    return { variant, path, ok: false, problem: e instanceof ModelError ? e.problem : firstLine((e as Error).message) };
  }
  try {
    const loadMs = Date.now() - started;
    const { shapes, problem } = await runSample(info, session, sample, padId);
    return { variant, path, ok: problem === undefined, outputs: shapes, loadMs, ...(problem ? { problem } : {}) };
  } finally {
    await session.release();
  }
}

/**
 * Runs the sample once and checks the outputs against the contract (names and shapes for the task and the labels of
 * config.json). The engine calls this on every model it loads, so a wrong folder fails at load with its name, not
 * later in post-processing.
 */
export async function runSample(
  info: ModelInfo,
  session: SessionRunner,
  sample: Window,
  padId: number,
): Promise<{ shapes?: Record<string, number[]>; problem?: string }> {
  try {
    const outputs = await session.run([{ ids: sample.ids, typeIds: sample.typeIds }], padId);
    const shapes = Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, [...t.dims]]));
    return { shapes, problem: outputShapeProblem(info.task, outputs, sample.ids.length, info.labels.length) };
  } catch (e) {
    return { problem: `running a sample failed (${firstLine((e as Error).message)})` };
  }
}

/** Checks a freshly loaded model (tokenizer + session) with one sample; throws ModelError naming the folder. */
export async function checkLoadedModel(info: ModelInfo, tokenizer: TextTokenizer, session: SessionRunner): Promise<void> {
  let sample: Window;
  try {
    sample = await sampleInput(tokenizer, info);
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(info.folder, `tokenizer.json cannot encode a sample (${firstLine((e as Error).message)})`);
  }
  const { problem } = await runSample(info, session, sample, tokenizer.info.padId);
  if (problem) throw new ModelError(info.folder, `${relative(info.folder, info.onnxPath)}: ${problem}`);
}

function firstLine(message: string): string {
  return message.split('\n')[0].slice(0, 300);
}

/**
 * Encodes the sample and refuses a tokenizer that loads but cannot read text: one that turns the sample into special
 * tokens only (e.g. an empty vocabulary) or into unknown tokens only.
 */
async function sampleInput(tokenizer: TextTokenizer, info: ModelInfo): Promise<Window> {
  const sample = await encodeSample(tokenizer, info);
  const text = sample.ids.filter((_, k) => sample.specialMask[k] === 0 && sample.sequenceIds[k] !== null);
  if (text.length === 0)
    throw new ModelError(info.folder, 'tokenizer.json turns a sample sentence into no tokens (an empty or broken vocabulary?)');
  if (tokenizer.info.unkId !== undefined && text.every((id) => id === tokenizer.info.unkId)) {
    throw new ModelError(info.folder, 'tokenizer.json reads every word of a sample sentence as unknown (a broken vocabulary?)');
  }
  return sample;
}

function encodeSample(tokenizer: TextTokenizer, info: ModelInfo): Promise<Window> {
  if (info.task === 'qa') {
    return tokenizer
      .encodePairWindows('What does aspirin inhibit?', 'Aspirin irreversibly inhibits COX-1 in platelets.', info.maxLength, 16)
      .then((w) => w[0]);
  }
  const text =
    info.task === 'relations'
      ? '@CHEMICAL$ irreversibly inhibits @GENE$ in platelets.'
      : 'Aspirin irreversibly inhibits COX-1 in platelets.';
  return tokenizer.encode(text, info.maxLength);
}
