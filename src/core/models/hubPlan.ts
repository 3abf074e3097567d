// Owns what a pull will fetch: repository id and revision checks, the paged listing (bounded), which files the
// engine needs (with size limits), and where they go. Nothing is downloaded here.
import { posix } from 'node:path';
import { HubError } from './hubError';
import { HubClient, describeError, httpError, type HubConnectionOptions } from './hubHttp';
import { cacheFolderFor, type PlannedFile } from './modelCache';

/** Per-file limit; BioM-ALBERT-xxlarge fp32 is 0.8 GB, so 4 GiB leaves room for large models and stops runaway files. */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 ** 3;
/** Files a listing may name as external weights of one graph; exports split weights into a handful at most. */
export const MAX_EXTERNAL_DATA_FILES = 64;
/** Pages a listing may take (the hub pages every 1,000 files); a `Link: next` loop ends here. */
export const MAX_LISTING_PAGES = 50;
/** One listing page; the hub's pages are well under a megabyte. */
const MAX_LISTING_PAGE_BYTES = 32 * 1024 ** 2;
export const EXPORT_COMMAND = 'python3 tools/export_onnx.py --model <checkpoint> --out <folder>';

const REQUIRED_FILES = ['config.json', 'tokenizer.json'];
const OPTIONAL_FILES = ['tokenizer_config.json'];

export interface PullOptions extends HubConnectionOptions {
  /** `owner/name` (or a legacy single name). */
  repo: string;
  revision?: string;
  cacheDir: string;
  /** Fetch onnx/model_quantized.onnx (int8) instead of onnx/model.onnx (fp32). */
  quantized?: boolean;
  maxFileBytes?: number;
  /** Limit on the whole plan; defaults to twice maxFileBytes (a graph and its external weights). */
  maxTotalBytes?: number;
  /** Tries per file after a dropped connection; each retry resumes with Range. */
  retries?: number;
  /** Called with the plan (file list and total size) before any file is fetched; return false to decline. */
  onPlan?: (plan: PullPlan) => boolean | void | Promise<boolean | void>;
  onProgress?: (progress: PullProgress) => void;
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

export interface ListedFile {
  path: string;
  size: number;
  sha256?: string;
  gitOid?: string;
}

export function checkRepoId(repo: string): void {
  const part = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
  if (!new RegExp(`^(?:${part}/)?${part}$`).test(repo) || repo.includes('..') || repo.includes('--')) {
    throw new HubError(
      'bad-repo-id',
      `${JSON.stringify(repo)} is not a repository id (expected owner/name, e.g. sultan/BioM-ELECTRA-Large-SQuAD2)`,
    );
  }
}

/** A branch, tag, commit or refs/pr/N; never ".", "..", a path that climbs, or control characters. */
export function checkRevision(revision: string): void {
  const ok =
    revision.length > 0 &&
    revision.length <= 255 &&
    !/[\u0000-\u0020\u007f\\~^:?*[]/.test(revision) &&
    revision.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && !part.startsWith('.'));
  if (!ok) throw new HubError('bad-repo-id', `${JSON.stringify(revision)} is not a revision (a branch, tag or commit, e.g. main)`);
}

/** A listing path is used to build local paths, so anything that could leave the folder is refused. */
export function isSafeRepoPath(path: string): boolean {
  if (path.length === 0 || path.length > 1000) return false;
  if (path.includes('\\') || path.includes('\0') || path.startsWith('/') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
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

export async function planWith(client: HubClient, options: PullOptions): Promise<{ plan: PullPlan; listed: ListedFile[] }> {
  checkRepoId(options.repo);
  const revision = options.revision || 'main';
  checkRevision(revision);
  const listed = await listRepo(client, options.repo, revision);
  const quantized = options.quantized === true;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const files = selectFiles(listed, `${options.repo}@${revision}`, quantized, maxFileBytes, options.maxTotalBytes ?? 2 * maxFileBytes);
  const plan: PullPlan = {
    repo: options.repo,
    revision,
    hubUrl: client.hubUrl,
    quantized,
    folder: cacheFolderFor(options.cacheDir, options.repo, revision),
    files,
    totalBytes: files.reduce((sum, f) => sum + f.size, 0),
  };
  return { plan, listed };
}

/** The hub's tree API, page by page (Link: rel="next"), each page bounded, at most MAX_LISTING_PAGES pages. */
async function listRepo(client: HubClient, repo: string, revision: string): Promise<ListedFile[]> {
  const where = `${repo}@${revision}`;
  const files: ListedFile[] = [];
  const seen = new Set<string>();
  let url: string | undefined = `${client.hubUrl}/api/models/${repo}/tree/${encodeURIComponent(revision)}?recursive=true&expand=false`;
  for (let page = 0; url !== undefined; page++) {
    if (page >= MAX_LISTING_PAGES || seen.has(url)) {
      throw new HubError(
        'unsafe-listing',
        `the listing of ${where} did not end after ${page} pages (its "next" links loop or never stop); refusing it`,
      );
    }
    seen.add(url);
    let head;
    let body: Buffer;
    try {
      ({ head, body } = await client.getBuffer(url, { accept: 'application/json' }, MAX_LISTING_PAGE_BYTES));
    } catch (e) {
      if (e instanceof HubError || (e as Error).name === 'CancelledError') throw e;
      throw new HubError('network', `cannot list ${where} on ${client.hubUrl}: ${describeError(e)}`);
    }
    if (head.status === 404) {
      throw new HubError(
        'not-found',
        `repository ${repo} at revision ${revision} was not found on ${client.hubUrl} (check the repository id and --revision)`,
      );
    }
    if (head.status !== 200) throw httpError(head.status, client, `repository ${where}`);
    let entries: unknown;
    try {
      entries = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HubError('unsafe-listing', `the listing of ${where} is not JSON`);
    }
    if (!Array.isArray(entries)) throw new HubError('unsafe-listing', `the listing of ${where} is not a list of files`);
    for (const entry of entries) files.push(...checkEntry(entry, where));
    url = nextLink(head.headers.link, client);
  }
  return files;
}

function checkEntry(entry: unknown, where: string): ListedFile[] {
  const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  const path = e.path;
  if (typeof path !== 'string' || !isSafeRepoPath(path)) {
    throw new HubError(
      'unsafe-listing',
      `the listing of ${where} contains an unsafe path ${JSON.stringify(path)}; refusing to download from it`,
    );
  }
  if (e.type !== 'file') return [];
  const size = e.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new HubError('unsafe-listing', `the listing of ${where} gives ${path} an invalid size ${JSON.stringify(size)}`);
  }
  const lfs = (typeof e.lfs === 'object' && e.lfs !== null ? e.lfs : undefined) as { oid?: unknown } | undefined;
  const sha256 = lfs?.oid;
  if (sha256 !== undefined && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256))) {
    throw new HubError('unsafe-listing', `the listing of ${where} gives ${path} an invalid sha256 ${JSON.stringify(sha256)}`);
  }
  const gitOid = sha256 === undefined && typeof e.oid === 'string' && /^[0-9a-f]{40}$/.test(e.oid) ? e.oid : undefined;
  return [{ path, size, sha256: sha256 as string | undefined, gitOid }];
}

/** The rel="next" target of a Link header, only on the hub's own origin (the token goes with it). */
function nextLink(header: string | undefined, client: HubClient): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(part);
    if (!match) continue;
    const next = new URL(match[1], client.hubUrl);
    if (next.origin !== client.hubOrigin)
      throw new HubError('unsafe-listing', `the listing's next page ${next.origin} is not on ${client.hubUrl}`);
    return next.href;
  }
  return undefined;
}

/** Picks config, tokenizer and the chosen ONNX variant (with its external data); refuses oversized files and plans. */
function selectFiles(listed: ListedFile[], where: string, quantized: boolean, maxFileBytes: number, maxTotalBytes: number): PlannedFile[] {
  const byPath = new Map(listed.map((f) => [f.path, f]));
  const chosen: PlannedFile[] = [];
  const add = (file: ListedFile, localPath: string): void => {
    chosen.push({ remotePath: file.path, localPath, size: file.size, sha256: file.sha256, gitOid: file.gitOid });
  };
  for (const name of REQUIRED_FILES) {
    const file = byPath.get(name);
    if (!file) {
      const why =
        name === 'tokenizer.json' ? ' (a fast tokenizer); export the checkpoint with `' + EXPORT_COMMAND + '`, which writes it' : '';
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
  const external = listed.filter((file) => {
    const base = posix.basename(file.path);
    return posix.dirname(file.path) === dir && (base.startsWith(`${wanted}_data`) || base.startsWith(`${wanted}.data`));
  });
  if (external.length > MAX_EXTERNAL_DATA_FILES) {
    throw new HubError(
      'too-large',
      `${where}: ${external.length} external weight files for ${onnx.path}; at most ${MAX_EXTERNAL_DATA_FILES} are fetched`,
    );
  }
  for (const file of external) add(file, `onnx/${posix.basename(file.path)}`);
  for (const file of chosen) {
    if (file.size > maxFileBytes) {
      throw new HubError(
        'too-large',
        `${where}: ${file.remotePath} is ${formatBytes(file.size)}, over the limit of ${formatBytes(maxFileBytes)}; ` +
          'raise the limit (CLI: --max-size BYTES) if you trust this repository',
      );
    }
  }
  const total = chosen.reduce((sum, f) => sum + f.size, 0);
  if (total > maxTotalBytes) {
    throw new HubError(
      'too-large',
      `${where}: the model is ${formatBytes(total)} in ${chosen.length} files, over the limit of ${formatBytes(maxTotalBytes)} for one model; ` +
        'raise the limit (CLI: --max-size BYTES, which allows twice that in all) if you trust this repository',
    );
  }
  return chosen;
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
