// Owns pulling model folders from a Hugging Face–compatible hub: safe file selection, resumable verified downloads, the cache.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { copyFile, link, mkdir, open, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { HubApiError, listFiles } from '@huggingface/hub';
import { Agent, EnvHttpProxyAgent, ProxyAgent, fetch as undiciFetch, type Dispatcher, type Response } from 'undici';
import { CancelledError } from '../errors';
import { readModelFolder, type ModelInfo } from './modelFolder';

export const DEFAULT_HUB_URL = 'https://huggingface.co';
/** Per-file limit; BioM-ALBERT-xxlarge fp32 is 0.8 GB, so 4 GiB leaves room for large models and stops runaway files. */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 ** 3;
/** Written into every downloaded folder; the registry reads it to show where a model came from. */
export const MANIFEST_FILE = '.biom-model.json';
/** Downloads in progress live here, inside the cache but never where a model folder is looked for. */
export const INCOMPLETE_DIR = '.incomplete';
export const EXPORT_COMMAND = 'python3 tools/export_onnx.py --model <checkpoint> --out <folder>';

export type HubErrorCode =
  | 'bad-repo-id'
  | 'insecure-url'
  | 'not-found'
  | 'unauthorized'
  | 'no-onnx'
  | 'incomplete-repo'
  | 'unsafe-listing'
  | 'too-large'
  | 'integrity'
  | 'network'
  | 'busy';

/** A download problem the user can act on; `code` lets an editor choose a button (e.g. "Set token…"). */
export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    readonly code: HubErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface HubConnectionOptions {
  /** Defaults to https://huggingface.co. Must be HTTPS unless it is loopback (127.0.0.1, localhost, [::1]). */
  hubUrl?: string;
  /** Sent as `Authorization: Bearer` to the hub only (never to the CDN it redirects to). */
  token?: string;
  /** Explicit proxy URL; without it HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured. */
  proxy?: string;
  signal?: AbortSignal;
}

export interface PullOptions extends HubConnectionOptions {
  /** `owner/name` (or a legacy single name). */
  repo: string;
  revision?: string;
  cacheDir: string;
  /** Fetch onnx/model_quantized.onnx (int8) instead of onnx/model.onnx (fp32). */
  quantized?: boolean;
  maxFileBytes?: number;
  /** Tries per file after a dropped connection; each retry resumes with Range. */
  retries?: number;
  /** Called with the plan (file list and total size) before any file is fetched; return false to decline. */
  onPlan?: (plan: PullPlan) => boolean | void | Promise<boolean | void>;
  onProgress?: (progress: PullProgress) => void;
}

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

export interface PullPlan {
  repo: string;
  revision: string;
  hubUrl: string;
  quantized: boolean;
  /** Where the model folder will be once complete. */
  folder: string;
  files: PlannedFile[];
  totalBytes: number;
}

export interface PullProgress {
  phase: 'download' | 'verify';
  /** Repository path of the file being worked on. */
  file: string;
  /** Bytes on disk for the planned files, including resumed and reused ones. */
  bytes: number;
  totalBytes: number;
  /** Over the last few seconds; 0 before anything arrived. */
  bytesPerSecond: number;
  /** Undefined until a rate is known. */
  etaSeconds: number | undefined;
}

export interface PullResult {
  folder: string;
  info: ModelInfo;
  plan: PullPlan;
  /** True when the cached folder already held every planned file and nothing was fetched. */
  reused: boolean;
  /** Bytes that came over the network in this call. */
  downloadedBytes: number;
}

export interface ModelManifest {
  repo: string;
  revision: string;
  hubUrl: string;
  downloadedAt: string;
  files: PlannedFile[];
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const REQUIRED_FILES = ['config.json', 'tokenizer.json'];
const OPTIONAL_FILES = ['tokenizer_config.json'];
const SUPPORTED_HEADS = ['ForTokenClassification', 'ForSequenceClassification', 'ForQuestionAnswering'];

/** The user's cache directory for downloaded models (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'biom-annotator', 'cache');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'biom-annotator');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'biom-annotator');
}

/** The token conventionally set for the Hugging Face tools; callers decide whether to use it. */
export function tokenFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined;
}

/** Refuses plain HTTP except to this machine, so a token or a model is never sent or received in the clear. */
export function checkHubUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HubError('insecure-url', `hub URL ${JSON.stringify(raw)} is not a valid URL`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return url;
  throw new HubError('insecure-url', `refusing hub URL ${url.origin}: only HTTPS is allowed (plain HTTP only for 127.0.0.1, localhost, [::1])`);
}

export function checkRepoId(repo: string): void {
  const part = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
  if (!new RegExp(`^(?:${part}/)?${part}$`).test(repo) || repo.includes('..') || repo.includes('--')) {
    throw new HubError('bad-repo-id', `${JSON.stringify(repo)} is not a repository id (expected owner/name, e.g. sultan/BioM-ELECTRA-Large-SQuAD2)`);
  }
}

/** A listing path is used to build local paths, so anything that could leave the folder is refused. */
export function isSafeRepoPath(path: string): boolean {
  if (path.length === 0 || path.length > 1000) return false;
  if (path.includes('\\') || path.includes('\0') || path.startsWith('/') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** Cache layout: {cache}/{owner}--{name}/{revision}/ (revision percent-encoded, so refs/pr/1 stays one folder). */
export function cacheFolderFor(cacheDir: string, repo: string, revision: string): string {
  return join(cacheDir, repo.replace('/', '--'), encodeURIComponent(revision));
}

interface ListedFile {
  path: string;
  size: number;
  sha256?: string;
  gitOid?: string;
}

/** Lists the repository and chooses the files the engine needs; nothing is downloaded. */
export async function planPull(options: PullOptions): Promise<PullPlan> {
  const client = new HubClient(options);
  try {
    return (await planWith(client, options)).plan;
  } finally {
    await client.close();
  }
}

/**
 * Downloads the model into the cache and returns its folder. Files are fetched into {cache}/.incomplete/…, resumed with
 * Range after a dropped connection (or a later call), checked against the listing's size and hash, and only a complete
 * folder is renamed into place. Cancelling keeps the partial files for the next call; a hash mismatch removes them.
 */
export async function pullModel(options: PullOptions): Promise<PullResult> {
  const client = new HubClient(options);
  try {
    const { plan, listed } = await planWith(client, options);
    if ((await options.onPlan?.(plan)) === false) throw new CancelledError('download declined');
    throwIfCancelled(options.signal);
    const existing = await readManifest(plan.folder);
    if (existing && (await holdsAll(plan.folder, existing, plan.files))) {
      return { folder: plan.folder, info: readModelFolder(plan.folder, { quantized: plan.quantized }), plan, reused: true, downloadedBytes: 0 };
    }
    return await downloadPlan(client, plan, listed, existing, options);
  } finally {
    await client.close();
  }
}

async function planWith(client: HubClient, options: PullOptions): Promise<{ plan: PullPlan; listed: ListedFile[] }> {
  checkRepoId(options.repo);
  const revision = options.revision || 'main';
  const hubUrl = client.hubUrl;
  const listed = await listRepo(client, options.repo, revision);
  const quantized = options.quantized === true;
  const files = selectFiles(listed, `${options.repo}@${revision}`, quantized, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const plan: PullPlan = {
    repo: options.repo,
    revision,
    hubUrl,
    quantized,
    folder: cacheFolderFor(options.cacheDir, options.repo, revision),
    files,
    totalBytes: files.reduce((sum, f) => sum + f.size, 0),
  };
  return { plan, listed };
}

async function listRepo(client: HubClient, repo: string, revision: string): Promise<ListedFile[]> {
  const files: ListedFile[] = [];
  try {
    // The library builds the URL without encoding the revision; encoding it keeps refs/pr/1 one path segment.
    for await (const entry of listFiles({ repo, revision: encodeURIComponent(revision), recursive: true, hubUrl: client.hubUrl, fetch: client.fetchForLibrary })) {
      const path: unknown = entry.path;
      if (typeof path !== 'string' || !isSafeRepoPath(path)) {
        throw new HubError('unsafe-listing', `the listing of ${repo}@${revision} contains an unsafe path ${JSON.stringify(path)}; refusing to download from it`);
      }
      if (entry.type !== 'file') continue;
      const size: unknown = entry.size;
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
        throw new HubError('unsafe-listing', `the listing of ${repo}@${revision} gives ${path} an invalid size ${JSON.stringify(size)}`);
      }
      const sha256 = entry.lfs?.oid;
      if (sha256 !== undefined && !/^[0-9a-f]{64}$/.test(sha256)) {
        throw new HubError('unsafe-listing', `the listing of ${repo}@${revision} gives ${path} an invalid sha256 ${JSON.stringify(sha256)}`);
      }
      const gitOid = sha256 === undefined && typeof entry.oid === 'string' && /^[0-9a-f]{40}$/.test(entry.oid) ? entry.oid : undefined;
      files.push({ path, size, sha256, gitOid });
    }
  } catch (e) {
    throw translateError(e, client, `${repo}@${revision}`);
  }
  return files;
}

/** Picks config, tokenizer and the chosen ONNX variant (with its external data); refuses oversized files. */
function selectFiles(listed: ListedFile[], where: string, quantized: boolean, maxFileBytes: number): PlannedFile[] {
  const byPath = new Map(listed.map((f) => [f.path, f]));
  const chosen: PlannedFile[] = [];
  const add = (file: ListedFile, localPath: string): void => {
    chosen.push({ remotePath: file.path, localPath, size: file.size, sha256: file.sha256, gitOid: file.gitOid });
  };
  for (const name of REQUIRED_FILES) {
    const file = byPath.get(name);
    if (!file) {
      const why = name === 'tokenizer.json' ? ' (a fast tokenizer); export the checkpoint with `' + EXPORT_COMMAND + '`, which writes it' : '';
      throw new HubError('incomplete-repo', `${where} has no ${name}${why}`);
    }
    add(file, name);
  }
  for (const name of OPTIONAL_FILES) {
    const file = byPath.get(name);
    if (file) add(file, name);
  }
  const onnxFiles = listed.filter((f) => f.path.endsWith('.onnx'));
  if (onnxFiles.length === 0) {
    throw new HubError(
      'no-onnx',
      `${where} has no ONNX model. BioM checkpoints are PyTorch/TensorFlow: export one with \`${EXPORT_COMMAND}\` ` +
        '(see docs/models.md) and open the folder it writes, or pull a repository that has onnx/model.onnx.',
    );
  }
  const wanted = quantized ? 'model_quantized.onnx' : 'model.onnx';
  // Optimum writes onnx/model.onnx; some exports keep it at the root. Locally it always goes to onnx/.
  const onnx = byPath.get(`onnx/${wanted}`) ?? byPath.get(wanted);
  if (!onnx) {
    const other = quantized ? 'the fp32 variant (without --quantized)' : 'the int8 variant (--quantized)';
    throw new HubError(
      'no-onnx',
      `${where} has no onnx/${wanted}; it has ${onnxFiles.map((f) => f.path).join(', ')}. Pull ${other} if it is listed, or export with \`${EXPORT_COMMAND}\`.`,
    );
  }
  add(onnx, `onnx/${wanted}`);
  // External weights sit next to the graph under its name: model.onnx_data (Optimum) or model.onnx.data (torch dynamo).
  const dir = posix.dirname(onnx.path);
  for (const file of listed) {
    const base = posix.basename(file.path);
    if (posix.dirname(file.path) === dir && (base.startsWith(`${wanted}_data`) || base.startsWith(`${wanted}.data`))) {
      add(file, `onnx/${base}`);
    }
  }
  for (const file of chosen) {
    if (file.size > maxFileBytes) {
      throw new HubError(
        'too-large',
        `${where}: ${file.remotePath} is ${formatBytes(file.size)}, over the limit of ${formatBytes(maxFileBytes)}; ` +
          'raise the limit (CLI: --max-size BYTES) if you trust this repository',
      );
    }
  }
  return chosen;
}

async function downloadPlan(
  client: HubClient,
  plan: PullPlan,
  listed: ListedFile[],
  existing: ModelManifest | undefined,
  options: PullOptions,
): Promise<PullResult> {
  const incomplete = join(options.cacheDir, INCOMPLETE_DIR);
  const staging = join(incomplete, plan.repo.replace('/', '--'), encodeURIComponent(plan.revision));
  await mkdir(staging, { recursive: true });
  const release = await takeLock(`${staging}.lock`, plan);
  let keepStaging = true;
  try {
    const kept = existing ? await seedFromExisting(plan.folder, existing, listed, staging) : [];
    const meter = new ProgressMeter(plan.totalBytes, options.onProgress);
    for (const file of plan.files) meter.addPresent(await presentBytes(staging, file));
    let downloadedBytes = 0;
    for (const file of plan.files) {
      try {
        downloadedBytes += await fetchFile(client, plan, file, staging, meter, options.retries ?? 3);
        // config.json comes first: a head the engine cannot run is refused before gigabytes of ONNX arrive.
        if (file.localPath === 'config.json') checkConfig(staging, plan);
      } catch (e) {
        // A file that fails its hash must not be resumed or reused; the whole attempt goes.
        if (e instanceof HubError && (e.code === 'integrity' || e.code === 'incomplete-repo')) keepStaging = false;
        throw e;
      }
    }
    const manifest: ModelManifest = {
      repo: plan.repo,
      revision: plan.revision,
      hubUrl: plan.hubUrl,
      downloadedAt: new Date().toISOString(),
      files: [...kept.filter((k) => !plan.files.some((f) => f.localPath === k.localPath)), ...plan.files],
    };
    await writeFile(join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    try {
      readModelFolder(staging, { quantized: plan.quantized });
    } catch (e) {
      keepStaging = false;
      throw e;
    }
    await publish(staging, plan.folder, incomplete);
    keepStaging = false;
    const info = readModelFolder(plan.folder, { quantized: plan.quantized });
    return { folder: plan.folder, info, plan, reused: false, downloadedBytes };
  } finally {
    if (!keepStaging) await rm(staging, { recursive: true, force: true });
    await release();
    if (!keepStaging) await removeEmptyParents(dirname(staging), options.cacheDir);
  }
}

/** Fetches one file into staging (resuming a partial one); returns the bytes that came over the network. */
async function fetchFile(client: HubClient, plan: PullPlan, file: PlannedFile, staging: string, meter: ProgressMeter, retries: number): Promise<number> {
  const target = join(staging, file.localPath);
  if (await isComplete(target, file)) return 0;
  await mkdir(dirname(target), { recursive: true });
  const part = partPath(target, file);
  const url = client.resolveUrl(plan.repo, plan.revision, file.remotePath);
  let received = 0;
  for (let attempt = 0; ; attempt++) {
    let have = await sizeOrZero(part);
    if (have > file.size) {
      meter.addPresent(-have);
      await rm(part, { force: true });
      have = 0;
    }
    if (have === file.size) break;
    try {
      received += await fetchInto(client, url, part, have, file, meter);
    } catch (e) {
      if (client.signal?.aborted) throw new CancelledError();
      if (e instanceof HubError && e.code !== 'network') throw e;
      if (attempt >= retries) {
        throw e instanceof HubError ? e : new HubError('network', `downloading ${file.remotePath} failed after ${retries + 1} tries: ${describe(e)}`);
      }
      await delay(200 * (attempt + 1), client.signal);
    }
  }
  meter.report(file.remotePath, 'verify', true);
  await verifyFile(part, file, plan);
  await rename(part, target);
  return received;
}

/** One request: appends to `part` from byte `have`, or starts over when the server ignores Range. */
async function fetchInto(client: HubClient, url: string, part: string, have: number, file: PlannedFile, meter: ProgressMeter): Promise<number> {
  const response = await client.get(url, have > 0 ? { Range: `bytes=${have}-` } : {});
  let offset = have;
  if (response.status === 206) {
    const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
    if (Number(start) !== have) {
      await response.body?.cancel();
      throw new HubError('network', `the server resumed ${file.remotePath} at the wrong offset (${start ?? 'none'} instead of ${have})`);
    }
  } else if (response.status === 200) {
    meter.addPresent(-have);
    offset = 0;
  } else if (response.status === 416) {
    await response.body?.cancel();
    meter.addPresent(-have);
    await rm(part, { force: true });
    throw new HubError('network', `the server refused to resume ${file.remotePath}`);
  } else {
    await response.body?.cancel();
    throw httpError(response.status, client, file.remotePath);
  }
  const handle = await open(part, offset === 0 ? 'w' : 'a');
  let received = 0;
  try {
    if (response.body) {
      for await (const chunk of response.body) {
        if (offset + chunk.length > file.size) {
          throw new HubError('integrity', `${file.remotePath}: the server sent more than the listed ${file.size} bytes`);
        }
        await handle.write(chunk);
        offset += chunk.length;
        received += chunk.length;
        meter.advance(chunk.length, file.remotePath);
      }
    }
  } finally {
    await handle.close();
  }
  if (offset < file.size) throw new HubError('network', `${file.remotePath}: the connection closed after ${offset} of ${file.size} bytes`);
  return received;
}

async function verifyFile(path: string, file: PlannedFile, plan: PullPlan): Promise<void> {
  const size = await sizeOrZero(path);
  let problem: string | undefined;
  if (size !== file.size) problem = `has ${size} bytes, the listing says ${file.size}`;
  else if (file.sha256 && (await hashFile(path, 'sha256')) !== file.sha256) problem = 'does not match the sha256 in the listing';
  else if (file.gitOid && (await gitBlobId(path, size)) !== file.gitOid) problem = 'does not match the git blob id in the listing';
  if (problem) {
    await rm(path, { force: true });
    throw new HubError('integrity', `${plan.repo}@${plan.revision}: downloaded ${file.remotePath} ${problem}; it was discarded and nothing was installed`);
  }
}

/** Fails before the large ONNX file is used when config.json names a head the engine cannot run. */
function checkConfig(staging: string, plan: PullPlan): void {
  let architecture: unknown;
  try {
    const config = JSON.parse(readFileSync(join(staging, 'config.json'), 'utf8')) as { architectures?: unknown };
    architecture = Array.isArray(config.architectures) ? config.architectures[0] : undefined;
  } catch {
    architecture = undefined;
  }
  if (typeof architecture !== 'string' || !SUPPORTED_HEADS.some((h) => architecture.endsWith(h))) {
    throw new HubError(
      'incomplete-repo',
      `${plan.repo}@${plan.revision}: config.json names architecture ${JSON.stringify(architecture)}; BioM Annotator runs …${SUPPORTED_HEADS.join(', …')} models. Fine-tune a head with tools/finetune.py (docs/models.md).`,
    );
  }
}

/** Moves the complete staging folder into place; an older copy is moved aside first so the swap needs no overwrite. */
async function publish(staging: string, folder: string, incomplete: string): Promise<void> {
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

/**
 * Files of the previous download that the listing still names unchanged are carried over instead of fetched again, so
 * pulling the int8 variant after the fp32 one keeps both in the folder.
 */
async function seedFromExisting(folder: string, manifest: ModelManifest, listed: ListedFile[], staging: string): Promise<PlannedFile[]> {
  const kept: PlannedFile[] = [];
  for (const old of manifest.files) {
    if (!isSafeRepoPath(old.localPath)) continue;
    const now = listed.find((f) => f.path === old.remotePath);
    if (!now || now.size !== old.size || now.sha256 !== old.sha256 || now.gitOid !== old.gitOid) continue;
    const from = join(folder, old.localPath);
    if ((await sizeOrZero(from)) !== old.size) continue;
    const to = join(staging, old.localPath);
    if (!(await isComplete(to, old))) {
      await mkdir(dirname(to), { recursive: true });
      await rm(to, { force: true });
      await link(from, to).catch(() => copyFile(from, to));
    }
    kept.push(old);
  }
  return kept;
}

async function holdsAll(folder: string, manifest: ModelManifest, files: PlannedFile[]): Promise<boolean> {
  for (const file of files) {
    const had = manifest.files.find((f) => f.localPath === file.localPath);
    if (!had || !sameContent(had, file) || !(await isComplete(join(folder, file.localPath), file))) return false;
  }
  return true;
}

function sameContent(a: PlannedFile, b: PlannedFile): boolean {
  return a.size === b.size && a.sha256 === b.sha256 && a.gitOid === b.gitOid && a.remotePath === b.remotePath;
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

/** Two pulls of the same model into one cache would write the same partial files; the second waits for nobody and says so. */
async function takeLock(path: string, plan: PullPlan): Promise<() => Promise<void>> {
  for (let tries = 0; tries < 2; tries++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(await readFile(path, 'utf8').catch(() => ''));
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new HubError('busy', `${plan.repo}@${plan.revision} is already being downloaded by process ${pid} (lock ${path})`);
      }
      await rm(path, { force: true });
    }
  }
  throw new HubError('busy', `cannot lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function removeEmptyParents(dir: string, stop: string): Promise<void> {
  for (let current = dir; current.length > stop.length && current.startsWith(stop); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
  }
}

/** The partial name carries the expected hash, so a partial of an older upload is never resumed into a newer one. */
function partPath(target: string, file: PlannedFile): string {
  return `${target}.${(file.sha256 ?? file.gitOid ?? String(file.size)).slice(0, 16)}.part`;
}

async function presentBytes(staging: string, file: PlannedFile): Promise<number> {
  const target = join(staging, file.localPath);
  if (await isComplete(target, file)) return file.size;
  return Math.min(file.size, await sizeOrZero(partPath(target, file)));
}

async function isComplete(path: string, file: PlannedFile): Promise<boolean> {
  return (await sizeOrZero(path)) === file.size && (await exists(path));
}

async function sizeOrZero(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function hashFile(path: string, algorithm: 'sha256' | 'sha1', prefix?: string): Promise<string> {
  const hash = createHash(algorithm);
  if (prefix) hash.update(prefix);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Git's blob id: sha1 of "blob <size>\0" + content; the hub lists it for files that are not in LFS. */
function gitBlobId(path: string, size: number): Promise<string> {
  return hashFile(path, 'sha1', `blob ${size}\0`);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
    return `${e.message}${cause}`;
  }
  return String(e);
}

function httpError(status: number, client: HubClient, what: string): HubError {
  if (status === 401 || status === 403) {
    return new HubError(
      'unauthorized',
      `${client.hubUrl} answered ${status} for ${what}: the repository is private, gated or does not exist. ` +
        (client.hasToken ? 'Check that the token can read it (and accept the licence on its hub page).' : 'Pass a token (--token or HF_TOKEN) if it is private or gated.'),
    );
  }
  if (status === 404) return new HubError('not-found', `${what} was not found on ${client.hubUrl} (check the repository id and the revision)`);
  // Server errors and throttling are worth another (resumed) try.
  return new HubError(status >= 500 || status === 429 ? 'network' : 'not-found', `${client.hubUrl} answered ${status} for ${what}`);
}

function translateError(e: unknown, client: HubClient, where: string): unknown {
  if (client.signal?.aborted) return new CancelledError();
  if (e instanceof HubError || e instanceof CancelledError) return e;
  if (e instanceof HubApiError) {
    if (e.statusCode === 404) {
      return new HubError('not-found', `repository ${where.replace('@', ' at revision ')} was not found on ${client.hubUrl} (check the repository id and --revision)`);
    }
    return httpError(e.statusCode, client, `repository ${where}`);
  }
  return new HubError('network', `cannot list ${where} on ${client.hubUrl}: ${describe(e)}`);
}

type FetchInput = Parameters<typeof globalThis.fetch>[0];

/** HTTP for one pull: proxies, the token on hub requests only, redirects re-checked for HTTPS, cancellation. */
class HubClient {
  readonly hubUrl: string;
  readonly signal: AbortSignal | undefined;
  private readonly hubOrigin: string;
  private readonly token: string | undefined;
  private readonly proxy: string | undefined;
  private readonly dispatchers = new Map<string, Dispatcher>();

  constructor(options: HubConnectionOptions) {
    const url = checkHubUrl(options.hubUrl || DEFAULT_HUB_URL);
    this.hubUrl = url.href.replace(/\/+$/, '');
    this.hubOrigin = url.origin;
    this.token = options.token || undefined;
    this.proxy = options.proxy || undefined;
    this.signal = options.signal;
  }

  get hasToken(): boolean {
    return this.token !== undefined;
  }

  resolveUrl(repo: string, revision: string, path: string): string {
    return `${this.hubUrl}/${repo}/resolve/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** Adapter for @huggingface/hub, whose listing takes a fetch function. */
  readonly fetchForLibrary = async (input: FetchInput, init?: RequestInit): Promise<globalThis.Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
    return (await this.get(url, headers)) as unknown as globalThis.Response;
  };

  /** GET following up to 5 redirects; each hop must pass checkHubUrl, and the token is dropped off the hub's origin. */
  async get(start: string, headers: Record<string, string>): Promise<Response> {
    let url = new URL(start);
    for (let hop = 0; hop <= 5; hop++) {
      checkHubUrl(url.href);
      const sendToken = this.token !== undefined && url.origin === this.hubOrigin;
      const response = await undiciFetch(url, {
        headers: { ...headers, ...(sendToken ? { Authorization: `Bearer ${this.token}` } : {}) },
        redirect: 'manual',
        signal: this.signal,
        dispatcher: this.dispatcherFor(url),
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, url);
        continue;
      }
      return response;
    }
    throw new HubError('network', `too many redirects from ${start}`);
  }

  private dispatcherFor(url: URL): Dispatcher {
    // Loopback never goes through a proxy (a test hub or a local mirror); everything else honours the settings.
    const key = LOOPBACK_HOSTS.has(url.hostname) ? 'direct' : this.proxy ? 'proxy' : 'env';
    let dispatcher = this.dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = key === 'direct' ? new Agent() : key === 'proxy' ? new ProxyAgent(this.proxy as string) : new EnvHttpProxyAgent();
      this.dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    // destroy(), not close(): after a cancel, a half-read body must not keep the process alive.
    await Promise.all(all.map((d) => d.destroy().catch(() => undefined)));
  }
}

/** Turns byte counts into progress events with a rate over the last few seconds, at most every 100 ms. */
class ProgressMeter {
  private bytes = 0;
  private lastReport = 0;
  private readonly samples: [number, number][] = [];

  constructor(
    private readonly totalBytes: number,
    private readonly onProgress: ((progress: PullProgress) => void) | undefined,
  ) {}

  addPresent(bytes: number): void {
    this.bytes += bytes;
  }

  advance(bytes: number, file: string): void {
    this.bytes += bytes;
    const now = Date.now();
    this.samples.push([now, this.bytes]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 5000) this.samples.shift();
    this.report(file, 'download', false);
  }

  report(file: string, phase: PullProgress['phase'], force: boolean): void {
    if (!this.onProgress) return;
    const now = Date.now();
    if (!force && now - this.lastReport < 100) return;
    this.lastReport = now;
    const first = this.samples[0];
    const seconds = first ? (now - first[0]) / 1000 : 0;
    const bytesPerSecond = first && seconds > 0.05 ? (this.bytes - first[1]) / seconds : 0;
    const remaining = Math.max(0, this.totalBytes - this.bytes);
    this.onProgress({
      phase,
      file,
      bytes: this.bytes,
      totalBytes: this.totalBytes,
      bytesPerSecond,
      etaSeconds: bytesPerSecond > 0 ? remaining / bytesPerSecond : remaining === 0 ? 0 : undefined,
    });
  }
}
