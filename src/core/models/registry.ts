// Owns the list of local models (bundled, downloaded, chosen folders): config files only, no tokenizer or session,
// so the extension host can list models without loading native code (the deep check is ./verify.ts).
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ModelError } from '../errors';
import { INCOMPLETE_DIR, readManifest } from './modelCache';
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

/** fp32 when present, else int8, so a folder that ships only one variant still describes itself. */
export function readAnyVariant(folder: string): ModelInfo {
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
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
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
