// Owns the download cache on disk: its layout, the manifest of each model folder, the per-download lock and the
// atomic publish of a complete folder. No HTTP here, so the registry and `models verify` can read the cache cheaply.
import { randomBytes } from 'node:crypto';
import { hostname, homedir } from 'node:os';
import { link, mkdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HubError } from './hubError';
import { tempPathFor } from '../io/atomicWrite';

/** Written into every downloaded folder; the registry reads it to show where a model came from. */
export const MANIFEST_FILE = '.biom-model.json';
/** Downloads in progress live here, inside the cache but never where a model folder is looked for. */
export const INCOMPLETE_DIR = '.incomplete';
/** A lock whose owner cannot be identified (empty, from an older version) is taken over after this long. */
const UNREADABLE_LOCK_STALE_MS = 10_000;

export interface PlannedFile {
  /** Path in the repository. */
  remotePath: string;
  /** Path inside the local model folder (the engine's layout: onnx/ for ONNX files). */
  localPath: string;
  size: number;
  /** From the listing's LFS pointer; checked after download. */
  sha256?: string;
  /** Git blob id of small (non-LFS) files; checked after download. */
  gitOid?: string;
}

export interface ModelManifest {
  repo: string;
  revision: string;
  hubUrl: string;
  downloadedAt: string;
  files: PlannedFile[];
}

/** The user's cache directory for downloaded models (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'biom-annotator', 'cache');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'biom-annotator');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'biom-annotator');
}

/**
 * Cache layout: {cache}/{owner}--{name}/{revision}/. The revision is percent-encoded (refs/pr/1 stays one folder) and a
 * leading dot too, so no revision (".", "..", ".incomplete") can name the repository folder, its parent or a hidden one.
 */
export function cacheFolderFor(cacheDir: string, repo: string, revision: string): string {
  return join(cacheDir, repo.replace('/', '--'), encodeURIComponent(revision).replace(/^\./, '%2E'));
}

export async function readManifest(folder: string): Promise<ModelManifest | undefined> {
  try {
    const raw = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')) as Partial<ModelManifest>;
    if (typeof raw.repo !== 'string' || typeof raw.revision !== 'string' || !Array.isArray(raw.files)) return undefined;
    return raw as ModelManifest;
  } catch {
    return undefined;
  }
}

export async function writeManifest(folder: string, manifest: ModelManifest): Promise<void> {
  await writeFile(join(folder, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}

interface LockOwner {
  pid: number;
  host: string;
}

/**
 * Two pulls of the same model into one cache would write the same partial files; the second fails and says who holds
 * the lock. The lock is written to a temp file and then linked into place, so it is never seen empty; a lock left by
 * a process of this machine that no longer runs (a crash, a kill) is taken over.
 */
export async function takeLock(path: string, what: string): Promise<() => Promise<void>> {
  const owner: LockOwner = { pid: process.pid, host: hostname() };
  const temp = tempPathFor(path);
  await writeFile(temp, JSON.stringify(owner));
  try {
    for (let tries = 0; tries < 3; tries++) {
      try {
        await link(temp, path);
        return () => rm(path, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = await lockHolder(path);
        if (holder === 'busy')
          throw new HubError('busy', `${what} is being downloaded by another process (lock ${path}); try again when it is done`);
        if (holder !== 'stale') {
          throw new HubError('busy', `${what} is already being downloaded by process ${holder.pid} (lock ${path})`);
        }
        await rm(path, { force: true });
      }
    }
    throw new HubError('busy', `cannot lock ${path}`);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function lockHolder(path: string): Promise<LockOwner | 'stale' | 'busy'> {
  let text: string;
  let modified: number;
  try {
    [text, modified] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => s.mtimeMs)]);
  } catch {
    return 'stale'; // gone in between: try again
  }
  let owner: Partial<LockOwner> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    owner = typeof parsed === 'number' ? { pid: parsed, host: hostname() } : (parsed as Partial<LockOwner>);
  } catch {
    owner = undefined;
  }
  if (!owner || !Number.isInteger(owner.pid) || (owner.pid as number) <= 0) {
    return Date.now() - modified > UNREADABLE_LOCK_STALE_MS ? 'stale' : 'busy';
  }
  // A lock from another machine (a shared network cache) cannot be checked; it is respected.
  if (owner.host !== undefined && owner.host !== hostname()) return { pid: owner.pid as number, host: owner.host };
  return isAlive(owner.pid as number) ? { pid: owner.pid as number, host: hostname() } : 'stale';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Moves the complete staging folder into place; an older copy is moved aside first so the swap needs no overwrite. */
export async function publish(staging: string, folder: string, incomplete: string): Promise<void> {
  await mkdir(dirname(folder), { recursive: true });
  let old: string | undefined;
  if (await exists(folder)) {
    old = join(incomplete, `old-${randomBytes(6).toString('hex')}`);
    await rename(folder, old);
  }
  try {
    await rename(staging, folder);
  } catch (e) {
    if (old) await rename(old, folder);
    throw e;
  }
  if (old) await rm(old, { recursive: true, force: true });
}

export async function holdsAll(folder: string, manifest: ModelManifest, files: readonly PlannedFile[]): Promise<boolean> {
  for (const file of files) {
    const had = manifest.files.find((f) => f.localPath === file.localPath);
    if (!had || !sameContent(had, file) || !(await isComplete(join(folder, file.localPath), file))) return false;
  }
  return true;
}

export function sameContent(a: PlannedFile, b: PlannedFile): boolean {
  return a.size === b.size && a.sha256 === b.sha256 && a.gitOid === b.gitOid && a.remotePath === b.remotePath;
}

export async function removeEmptyParents(dir: string, stop: string): Promise<void> {
  for (let current = dir; current.length > stop.length && current.startsWith(stop); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
  }
}

export async function isComplete(path: string, file: PlannedFile): Promise<boolean> {
  return (await sizeOrZero(path)) === file.size && (await exists(path));
}

export async function sizeOrZero(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
