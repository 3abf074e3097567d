// Downloads against unfriendly hubs: HTTP/1.0 servers that close every connection, listings that loop or name too
// many files, revisions that climb, a full disk, changed uploads, and locks (issue 9, items 4 and 5).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HubError, INCOMPLETE_DIR, MANIFEST_FILE, cacheFolderFor, pullModel } from '../../src/core/models/hub';
import { takeLock } from '../../src/core/models/modelCache';
import { startFakeHub, type FakeHub, type FakeHubOptions } from '../helpers/fakeHub';
import { fixtureModel, root } from '../helpers/paths';

const REPO = 'biom/ner-electra';
const NER = fixtureModel('ner-electra');
const temps: string[] = [];
const closers: (() => unknown)[] = [];
after(async () => {
  for (const close of closers) await close();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'biom-sec-hub-'));
  temps.push(dir);
  return dir;
}

async function hub(options: Partial<FakeHubOptions> = {}): Promise<FakeHub> {
  const started = await startFakeHub({ repos: { [REPO]: { folder: NER } }, ...options });
  closers.push(() => started.close());
  return started;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof HubError, `a HubError, got ${(e as Error).stack}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

/** Python's http.server (HTTP/1.0: every response ends with the server closing the connection), if python3 exists. */
async function pythonHub(): Promise<{ url: string } | undefined> {
  if (spawnSync('python3', ['--version']).status !== 0) return undefined;
  const child: ChildProcess = spawn('python3', [join(root, 'test', 'security', 'fixtures', 'http10hub.py'), REPO, NER], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  closers.push(() => child.kill());
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`http10hub.py exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}` };
}

/**
 * The same behaviour in Node, for machines without python3: a raw TCP server that answers every request as HTTP/1.0
 * (no keep-alive, no chunking), writes the body in 16 KB pieces and closes. Requests are answered by the fake hub.
 */
async function http10Hub(): Promise<{ url: string }> {
  const inner = await hub();
  const server = createTcpServer((socket) => {
    let request = '';
    socket.on('data', async (data) => {
      request += data.toString('latin1');
      if (!request.includes('\r\n\r\n')) return;
      const [line, ...headerLines] = request.split('\r\n\r\n')[0].split('\r\n');
      const path = line.split(' ')[1];
      const range = headerLines
        .find((h) => /^range:/i.test(h))
        ?.split(':')[1]
        ?.trim();
      const response = await fetch(`${inner.url}${path}`, { headers: range ? { range } : {} });
      const body = Buffer.from(await response.arrayBuffer());
      const headers = [`HTTP/1.0 ${response.status} X`, `Content-Length: ${body.length}`];
      for (const name of ['content-type', 'content-range', 'link']) {
        const value = response.headers.get(name);
        if (value) headers.push(`${name}: ${value}`);
      }
      socket.write(`${headers.join('\r\n')}\r\n\r\n`);
      for (let i = 0; i < body.length; i += 16384) socket.write(body.subarray(i, i + 16384));
      socket.end();
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('downloads from unfriendly hubs', () => {
  for (const [name, start] of [
    ['Python http.server (HTTP/1.0)', pythonHub],
    ['a Node HTTP/1.0 stand-in', http10Hub],
  ] as const) {
    it(`pulls 20 times in a row from ${name} without a crash, a stale lock or a partial file`, async (t) => {
      const server = await start();
      if (!server) {
        t.skip('python3 is not installed; the Node stand-in covers the same case');
        return;
      }
      const modelBytes = readFileSync(join(NER, 'onnx', 'model.onnx'));
      for (let i = 0; i < 20; i++) {
        const cache = temp();
        // A slow consumer: a progress callback that blocks briefly makes undici's parser pause under the old code.
        const result = await pullModel({
          repo: REPO,
          hubUrl: server.url,
          cacheDir: cache,
          onProgress: () => {
            const until = Date.now() + 2;
            while (Date.now() < until);
          },
        });
        assert.ok(readFileSync(join(result.folder, 'onnx', 'model.onnx')).equals(modelBytes), `run ${i + 1}`);
        assert.deepEqual(filesUnder(join(cache, INCOMPLETE_DIR)), [], `run ${i + 1}: nothing left in ${INCOMPLETE_DIR}`);
      }
    });
  }

  it('refuses revisions "." and ".." instead of mapping them onto the cache root, and keeps other revisions', async () => {
    const h = await hub();
    const cache = temp();
    const kept = cacheFolderFor(cache, REPO, 'v1');
    mkdirSync(kept, { recursive: true });
    writeFileSync(join(kept, 'config.json'), '{}');
    for (const revision of ['.', '..', '../main', 'main/..', '.hidden']) {
      await rejectsWith(pullModel({ repo: REPO, hubUrl: h.url, cacheDir: cache, revision }), 'bad-repo-id', /is not a revision/);
    }
    assert.ok(existsSync(join(kept, 'config.json')));
    for (const revision of ['.', '..', '.incomplete']) {
      const folder = cacheFolderFor(cache, REPO, revision);
      assert.ok(folder.startsWith(join(cache, 'biom--ner-electra') + '/') && !folder.endsWith('/.') && !folder.endsWith('..'), folder);
    }
  });

  it('refuses a hub URL with credentials in it, which would travel in every request', async () => {
    await rejectsWith(
      pullModel({ repo: REPO, hubUrl: 'https://user:secret@huggingface.co', cacheDir: temp() }),
      'insecure-url',
      /credentials in the URL/,
    );
  });

  it('stops a listing whose Link: next points to itself', async () => {
    const server: Server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', link: `<${req.url}>; rel="next"` });
      res.end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await rejectsWith(pullModel({ repo: REPO, hubUrl: url, cacheDir: temp() }), 'unsafe-listing', /did not end after \d+ pages/);
  });

  it('checks free space first and fails once, clearly, when the model cannot fit', async () => {
    const huge = 2 ** 50;
    const h = await hub({
      repos: {
        [REPO]: {
          folder: NER,
          editListing: (entries) =>
            entries.map((e) => (e.path === 'onnx/model.onnx' ? { ...e, size: huge, lfs: { ...e.lfs!, size: huge } } : e)),
        },
      },
    });
    const cache = temp();
    await rejectsWith(
      pullModel({ repo: REPO, hubUrl: h.url, cacheDir: cache, maxFileBytes: huge, maxTotalBytes: huge * 2 }),
      'no-space',
      /needs 1\d{3}\.\d TB more on .* free; free some space/,
    );
    assert.equal(h.requests.filter((r) => r.url.includes('/resolve/')).length, 0, 'nothing was fetched');
  });

  it('caps the external weight files of one graph', async () => {
    const h = await hub({
      repos: {
        [REPO]: {
          folder: NER,
          editListing: (entries) => [
            ...entries,
            ...Array.from({ length: 200 }, (_, i) => ({
              type: 'file' as const,
              path: `onnx/model.onnx_data_${i}`,
              size: 10,
              oid: 'a'.repeat(40),
            })),
          ],
        },
      },
    });
    await rejectsWith(pullModel({ repo: REPO, hubUrl: h.url, cacheDir: temp() }), 'too-large', /200 external weight files/);
    assert.equal(h.requests.filter((r) => r.url.includes('/resolve/')).length, 0);
  });

  it('never resumes a partial file that has no hash into a changed upload of the same size', async () => {
    const noHash: NonNullable<FakeHubOptions['repos'][string]['editListing']> = (entries) =>
      entries.map((e) => (e.path === 'tokenizer.json' ? { type: e.type, path: e.path, size: e.size, oid: 'not-a-hash' } : e));
    const cache = temp();
    const stalled = await hub({ stallHalfway: ['tokenizer.json'], repos: { [REPO]: { folder: NER, editListing: noHash } } });
    const controller = new AbortController();
    await assert.rejects(
      pullModel({
        repo: REPO,
        hubUrl: stalled.url,
        cacheDir: cache,
        signal: controller.signal,
        onProgress: (p) => p.file === 'tokenizer.json' && p.bytes > 0 && controller.abort(),
      }),
      (e: Error) => e.name === 'CancelledError',
    );
    // The repository changes: same size, different bytes (a character swapped inside a token string).
    const changed = join(temp(), 'changed');
    cpSync(NER, changed, { recursive: true });
    const original = readFileSync(join(NER, 'tokenizer.json'), 'utf8');
    const swapped = original.replace('"[UNK]"', '"[UNX]"');
    assert.notEqual(swapped, original);
    assert.equal(Buffer.byteLength(swapped), Buffer.byteLength(original));
    writeFileSync(join(changed, 'tokenizer.json'), swapped);
    const fresh = await startFakeHub({ repos: { [REPO]: { folder: changed, editListing: noHash } } });
    closers.push(() => fresh.close());
    const result = await pullModel({ repo: REPO, hubUrl: fresh.url, cacheDir: cache });
    const got = readFileSync(join(result.folder, 'tokenizer.json'), 'utf8');
    assert.equal(createHash('sha256').update(got).digest('hex'), createHash('sha256').update(swapped).digest('hex'));
  });

  it('a lock is never empty, a fresh lock is respected, and a stale one (dead process, old empty file) is taken over', async () => {
    const dir = temp();
    const lock = join(dir, 'x.lock');
    const release = await takeLock(lock, 'x');
    assert.deepEqual(JSON.parse(readFileSync(lock, 'utf8')), { pid: process.pid, host: hostname() });
    await rejectsWith(takeLock(lock, 'x'), 'busy', new RegExp(`process ${process.pid}`));
    await release();
    // Just created by someone else and not written yet (an older version, or another tool): respected.
    writeFileSync(lock, '');
    await rejectsWith(takeLock(lock, 'x'), 'busy', /another process/);
    // The same, but long ago: its owner is gone.
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(lock, old, old);
    await (await takeLock(lock, 'x'))();
    // A crashed pull: its process no longer runs.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lock, JSON.stringify({ pid: Number(dead.stdout), host: hostname() }));
    await (await takeLock(lock, 'x'))();
    assert.equal(existsSync(lock), false);
  });

  it('a pull after a crash that left a lock and a partial file resumes and completes', async () => {
    const h = await hub();
    const cache = temp();
    const staging = join(cache, INCOMPLETE_DIR, 'biom--ner-electra', 'main');
    mkdirSync(join(staging, 'onnx'), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${staging}.lock`, String(Number(dead.stdout)));
    const result = await pullModel({ repo: REPO, hubUrl: h.url, cacheDir: cache });
    assert.ok(existsSync(join(result.folder, MANIFEST_FILE)));
    assert.equal(existsSync(`${staging}.lock`), false);
  });
});
