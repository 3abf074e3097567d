// Owns fetching a planned model: resumable downloads into staging, size and hash checks, free-space check, retries,
// progress, and handing the complete folder to the cache.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readFileSync, writeSync } from 'node:fs';
import { copyFile, link, mkdir, rename, rm, statfs } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { CancelledError } from '../errors';
import { SUPPORTED_HEADS, taskOfArchitecture } from './contract';
import { HubError } from './hubError';
import { HubClient, describeError, httpError, throwIfCancelled } from './hubHttp';
import { formatBytes, isSafeRepoPath, planWith, type ListedFile, type PullOptions, type PullPlan, type PullProgress } from './hubPlan';
import {
  INCOMPLETE_DIR,
  holdsAll,
  isComplete,
  publish,
  readManifest,
  removeEmptyParents,
  sizeOrZero,
  takeLock,
  writeManifest,
  type ModelManifest,
  type PlannedFile,
} from './modelCache';
import { readModelFolder, type ModelInfo } from './modelFolder';

/** Room kept free beyond the download itself, so the disk is not filled to the last byte. */
const FREE_SPACE_MARGIN = 64 * 1024 ** 2;

export interface PullResult {
  folder: string;
  info: ModelInfo;
  plan: PullPlan;
  /** True when the cached folder already held every planned file and nothing was fetched. */
  reused: boolean;
  /** Bytes that came over the network in this call. */
  downloadedBytes: number;
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
      return {
        folder: plan.folder,
        info: readModelFolder(plan.folder, { quantized: plan.quantized }),
        plan,
        reused: true,
        downloadedBytes: 0,
      };
    }
    return await downloadPlan(client, plan, listed, existing, options);
  } finally {
    await client.close();
  }
}

async function downloadPlan(
  client: HubClient,
  plan: PullPlan,
  listed: ListedFile[],
  existing: ModelManifest | undefined,
  options: PullOptions,
): Promise<PullResult> {
  const incomplete = join(options.cacheDir, INCOMPLETE_DIR);
  const staging = join(incomplete, relative(options.cacheDir, plan.folder));
  await mkdir(staging, { recursive: true });
  const release = await takeLock(`${staging}.lock`, `${plan.repo}@${plan.revision}`);
  let keepStaging = true;
  try {
    const kept = existing ? await seedFromExisting(plan.folder, existing, listed, staging) : [];
    const meter = new ProgressMeter(plan.totalBytes, options.onProgress);
    let present = 0;
    for (const file of plan.files) present += await presentBytes(staging, file);
    meter.addPresent(present);
    await checkFreeSpace(staging, plan.totalBytes - present, plan);
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
    await writeManifest(staging, manifest);
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

/** Fails once, clearly, before a byte is fetched when the disk cannot hold what is left to download. */
async function checkFreeSpace(dir: string, needed: number, plan: PullPlan): Promise<void> {
  let free: number;
  try {
    const s = await statfs(dir);
    free = s.bavail * s.bsize;
  } catch {
    return; // a file system that cannot say; ENOSPC during the write is still reported as such
  }
  if (needed + FREE_SPACE_MARGIN > free) {
    throw new HubError(
      'no-space',
      `${plan.repo}@${plan.revision} needs ${formatBytes(needed)} more on ${dir}, which has ${formatBytes(free)} free; free some space or choose another cache`,
    );
  }
}

/** Fetches one file into staging (resuming a partial one); returns the bytes that came over the network. */
async function fetchFile(
  client: HubClient,
  plan: PullPlan,
  file: PlannedFile,
  staging: string,
  meter: ProgressMeter,
  retries: number,
): Promise<number> {
  const target = join(staging, file.localPath);
  if (await isComplete(target, file)) return 0;
  await mkdir(dirname(target), { recursive: true });
  const part = partPath(target, file);
  // Without a hash a partial file cannot be told from a changed upload of the same size: start it again.
  if (!file.sha256 && !file.gitOid) {
    meter.addPresent(-Math.min(file.size, await sizeOrZero(part)));
    await rm(part, { force: true });
  }
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
        throw e instanceof HubError
          ? e
          : new HubError('network', `downloading ${file.remotePath} failed after ${retries + 1} tries: ${describeError(e)}`);
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
async function fetchInto(
  client: HubClient,
  url: string,
  part: string,
  have: number,
  file: PlannedFile,
  meter: ProgressMeter,
): Promise<number> {
  let offset = have;
  let received = 0;
  let fd: number | undefined;
  try {
    const head = await client.get(url, have > 0 ? { range: `bytes=${have}-` } : {}, (h) => {
      if (h.status === 206) {
        const start = /^bytes (\d+)-/.exec(h.headers['content-range'] ?? '')?.[1];
        if (Number(start) !== have) {
          throw new HubError(
            'network',
            `the server resumed ${file.remotePath} at the wrong offset (${start ?? 'none'} instead of ${have})`,
          );
        }
      } else if (h.status === 200) {
        meter.addPresent(-have);
        offset = 0;
      } else return undefined;
      fd = openSync(part, offset === 0 ? 'w' : 'a');
      // Written synchronously as each chunk arrives, so the connection is never paused (see HubClient.request).
      return (chunk) => {
        if (offset + chunk.length > file.size) {
          throw new HubError('integrity', `${file.remotePath}: the server sent more than the listed ${file.size} bytes`);
        }
        try {
          writeSync(fd as number, chunk);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOSPC') {
            throw new HubError(
              'no-space',
              `the disk is full while writing ${file.remotePath} to ${part}; free some space and pull again to resume`,
            );
          }
          throw e;
        }
        offset += chunk.length;
        received += chunk.length;
        meter.advance(chunk.length, file.remotePath);
      };
    });
    if (head.status === 416) {
      meter.addPresent(-have);
      await rm(part, { force: true });
      throw new HubError('network', `the server refused to resume ${file.remotePath}`);
    }
    if (head.status !== 200 && head.status !== 206) throw httpError(head.status, client, file.remotePath);
  } finally {
    if (fd !== undefined) closeSync(fd);
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
    throw new HubError(
      'integrity',
      `${plan.repo}@${plan.revision}: downloaded ${file.remotePath} ${problem}; it was discarded and nothing was installed`,
    );
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
  if (taskOfArchitecture(architecture) === undefined) {
    throw new HubError(
      'incomplete-repo',
      `${plan.repo}@${plan.revision}: config.json names architecture ${JSON.stringify(architecture)}; BioM Annotator runs …${SUPPORTED_HEADS.join(', …')} models. Fine-tune a head with tools/finetune.py (docs/models.md).`,
    );
  }
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

/** The partial name carries the expected hash, so a partial of an older upload is never resumed into a newer one. */
function partPath(target: string, file: PlannedFile): string {
  return `${target}.${(file.sha256 ?? file.gitOid ?? 'nohash').slice(0, 16)}.part`;
}

async function presentBytes(staging: string, file: PlannedFile): Promise<number> {
  const target = join(staging, file.localPath);
  if (await isComplete(target, file)) return file.size;
  if (!file.sha256 && !file.gitOid) return 0;
  return Math.min(file.size, await sizeOrZero(partPath(target, file)));
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
