// Owns the list of local models (bundled, downloaded, chosen folders) and the deep check of one model folder.
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { ModelError } from '../errors';
import { ModelSession } from '../runtime/onnxSession';
import { TextTokenizer, type Window } from '../tokenize/tokenizer';
import { INCOMPLETE_DIR, readManifest } from './hub';
import { readModelFolder, type ModelInfo, type ModelTask } from './modelFolder';

export type ModelSource = 'bundled' | 'downloaded' | 'folder';

export interface LocalModel {
  folder: string;
  /** Short name for pickers: the folder name, or owner/name@revision for a download. */
  name: string;
  source: ModelSource;
  task?: ModelTask;
  architecture?: string;
  modelType?: string;
  labels: string[];
  sizeBytes: number;
  fp32: boolean;
  int8: boolean;
  repo?: string;
  revision?: string;
  downloadedAt?: string;
  /** Why the folder cannot be used; pickers show it rather than hiding the folder. */
  problem?: string;
}

export interface ListOptions {
  /** The bundled models/ folder of the extension or project. */
  bundledDir?: string;
  /** The download cache (see hub.ts). */
  cacheDir?: string;
  /** Other folders the user chose (e.g. recently used). */
  folders?: readonly string[];
}

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

/** Bundled, downloaded and chosen folders, each once; folders that fail the contract are listed with their problem. */
export async function listLocalModels(options: ListOptions): Promise<LocalModel[]> {
  const all = [
    ...(options.bundledDir ? await listBundledModels(options.bundledDir) : []),
    ...(options.cacheDir ? await listDownloadedModels(options.cacheDir) : []),
    ...(await Promise.all((options.folders ?? []).map((f) => describeModelFolder(f, 'folder')))),
  ];
  const seen = new Set<string>();
  return all.filter((m) => !seen.has(m.folder) && seen.add(m.folder));
}

export async function listBundledModels(bundledDir: string): Promise<LocalModel[]> {
  const names = await subfolders(bundledDir);
  return Promise.all(names.map((name) => describeModelFolder(join(bundledDir, name), 'bundled')));
}

/** Complete downloads only: {cache}/{owner}--{name}/{revision}/; downloads in progress stay under .incomplete/. */
export async function listDownloadedModels(cacheDir: string): Promise<LocalModel[]> {
  const models: LocalModel[] = [];
  for (const repoDir of await subfolders(cacheDir)) {
    if (repoDir.startsWith('.') || repoDir === INCOMPLETE_DIR) continue;
    for (const revisionDir of await subfolders(join(cacheDir, repoDir))) {
      models.push(await describeModelFolder(join(cacheDir, repoDir, revisionDir), 'downloaded'));
    }
  }
  return models.sort((a, b) => a.name.localeCompare(b.name));
}

export async function describeModelFolder(folderArg: string, source: ModelSource): Promise<LocalModel> {
  const folder = resolve(folderArg);
  const manifest = await readManifest(folder);
  const base: LocalModel = {
    folder,
    name: manifest ? `${manifest.repo}@${manifest.revision}` : basename(folder),
    source,
    labels: [],
    sizeBytes: await sizeOnDisk(folder),
    fp32: false,
    int8: false,
    ...(manifest ? { repo: manifest.repo, revision: manifest.revision, downloadedAt: manifest.downloadedAt } : {}),
  };
  try {
    const info = readAnyVariant(folder);
    return {
      ...base,
      task: info.task,
      architecture: info.architecture,
      modelType: info.modelType,
      labels: info.labels,
      fp32: info.variants.fp32 !== undefined,
      int8: info.variants.int8 !== undefined,
    };
  } catch (e) {
    return { ...base, problem: e instanceof ModelError ? e.problem : (e as Error).message };
  }
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

/** fp32 when present, else int8, so a folder that ships only one variant still describes itself. */
function readAnyVariant(folder: string): ModelInfo {
  try {
    return readModelFolder(folder);
  } catch (e) {
    try {
      return readModelFolder(folder, { quantized: true });
    } catch {
      throw e;
    }
  }
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

async function sizeOnDisk(dir: string): Promise<number> {
  let total = 0;
  try {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) total += await sizeOnDisk(path);
      else if (entry.isFile()) total += (await stat(path)).size;
    }
  } catch {
    // A folder that vanished or cannot be read has no size to report; describeModelFolder reports the problem.
  }
  return total;
}
