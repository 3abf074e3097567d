// A Hugging Face–compatible hub on 127.0.0.1 that serves fixture model folders (tree listing + resolve with Range).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, sep } from 'node:path';

export interface TreeEntry {
  type: 'file' | 'directory';
  path: string;
  size: number;
  oid: string;
  lfs?: { oid: string; size: number; pointerSize: number };
}

export interface FakeRepo {
  /** Folder whose files the repo serves. */
  folder: string;
  revision?: string;
  /** Leave files out of the repo (e.g. every .onnx to imitate a PyTorch checkpoint). */
  exclude?: (path: string) => boolean;
  /** Changes listing entries after they are computed from the files (e.g. a wrong sha256). */
  editListing?: (entries: TreeEntry[]) => TreeEntry[];
}

export interface RecordedRequest {
  method: string;
  url: string;
  range: string | undefined;
  authorization: string | undefined;
}

export interface FakeHubOptions {
  repos: Record<string, FakeRepo>;
  /** Destroys the socket halfway through the body of the first response for these repo paths. */
  dropOnceHalfway?: string[];
  /** Sends half of these paths' bodies, then stalls until the client goes away (for cancel tests). */
  stallHalfway?: string[];
  /** Called once a stalled response has handed its first half to the socket. */
  onStall?: () => void;
  /** When set, every request without `Authorization: Bearer <token>` gets 401. */
  requireToken?: string;
  /** Files above this size are listed as LFS (with sha256); the rest with a git blob id. */
  lfsThreshold?: number;
}

export interface FakeHub {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

interface ServedFile {
  path: string;
  content: Buffer;
}

function walk(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(root, full) : [relative(root, full).split(sep).join('/')];
  });
}

function listing(files: ServedFile[], lfsThreshold: number): TreeEntry[] {
  const dirs = new Set<string>();
  const entries: TreeEntry[] = [];
  for (const file of files) {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    const gitOid = createHash('sha1').update(`blob ${file.content.length}\0`).update(file.content).digest('hex');
    const entry: TreeEntry = { type: 'file', path: file.path, size: file.content.length, oid: gitOid };
    if (file.content.length > lfsThreshold || file.path.endsWith('.onnx')) {
      const sha256 = createHash('sha256').update(file.content).digest('hex');
      entry.lfs = { oid: sha256, size: file.content.length, pointerSize: 134 };
    }
    entries.push(entry);
  }
  for (const dir of dirs) entries.push({ type: 'directory', path: dir, size: 0, oid: '0'.repeat(40) });
  return entries;
}

export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const repos = new Map(
    Object.entries(options.repos).map(([id, repo]) => {
      const files = walk(repo.folder)
        .filter((p) => !repo.exclude?.(p))
        .map((path) => ({ path, content: readFileSync(join(repo.folder, ...path.split('/'))) }));
      const entries = listing(files, options.lfsThreshold ?? 100_000);
      return [id, { revision: repo.revision ?? 'main', files, entries: repo.editListing ? repo.editListing(entries) : entries }];
    }),
  );
  const requests: RecordedRequest[] = [];
  const dropped = new Set<string>();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', url, range: req.headers.range, authorization: req.headers.authorization });
    if (options.requireToken && req.headers.authorization !== `Bearer ${options.requireToken}`) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'Invalid credentials in Authorization header' }));
      return;
    }
    const pathname = url.split('?')[0];
    const tree = /^\/api\/models\/(.+?)\/tree\/([^/]+)$/.exec(pathname);
    if (tree) {
      const repo = repos.get(tree[1]);
      if (!repo || decodeURIComponent(tree[2]) !== repo.revision) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Repository not found' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(repo.entries));
      return;
    }
    const resolve = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(pathname);
    const repo = resolve ? repos.get(resolve[1]) : undefined;
    const filePath = resolve ? resolve[3].split('/').map(decodeURIComponent).join('/') : '';
    const file =
      resolve && repo && decodeURIComponent(resolve[2]) === repo.revision ? repo.files.find((f) => f.path === filePath) : undefined;
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const total = file.content.length;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= total && total > 0) {
      res.writeHead(416, { 'content-range': `bytes */${total}` }).end();
      return;
    }
    const body = file.content.subarray(start);
    res.writeHead(range ? 206 : 200, {
      'content-length': String(body.length),
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${start}-${total - 1}/${total}` } : {}),
    });
    const half = Math.floor(body.length / 2);
    if (options.dropOnceHalfway?.includes(file.path) && !dropped.has(file.path)) {
      dropped.add(file.path);
      res.write(body.subarray(0, half), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (options.stallHalfway?.includes(file.path)) {
      res.write(body.subarray(0, half), () => options.onStall?.());
      return;
    }
    res.end(body);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
