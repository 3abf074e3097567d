// Pulls fixture models from a fake hub on 127.0.0.1: full pull, resume, integrity, refusals, cancellation, token.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CancelledError } from '../../src/core/errors';
import { HubError, MANIFEST_FILE, cacheFolderFor, checkHubUrl, planPull, pullModel, type PullProgress } from '../../src/core/models/hub';
import { listDownloadedModels } from '../../src/core/models/registry';
import { verifyModelFolder } from '../../src/core/models/verify';
import { Engine } from '../../src/core/engine';
import { recognizeEntities } from '../../src/core/tasks/ner';
import { captureCommand } from '../helpers/cli';
import { runModelsCommand } from '../../src/cli/commands/models';
import { startFakeHub, type FakeHub, type FakeHubOptions } from '../helpers/fakeHub';
import { fixture, fixtureModel } from '../helpers/paths';

const REPO = 'biom/ner-electra';
const NER = fixtureModel('ner-electra');
const temps: string[] = [];
const hubs: FakeHub[] = [];

after(async () => {
  await Promise.all(hubs.map((h) => h.close()));
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempCache(): string {
  const dir = mkdtempSync(join(tmpdir(), 'biom-hub-'));
  temps.push(dir);
  return dir;
}

async function hub(options: Partial<FakeHubOptions> = {}): Promise<FakeHub> {
  const started = await startFakeHub({ repos: { [REPO]: { folder: NER } }, ...options });
  hubs.push(started);
  return started;
}

/** Every file under the cache, relative; proves what a failed pull left behind. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1));
}

function resolveRequests(h: FakeHub, path: string): { range: string | undefined }[] {
  return h.requests.filter((r) => r.url.endsWith(`/resolve/main/${path}`));
}

describe('pullModel', () => {
  it('pulls only what the engine needs, says the size first, and the folder annotates', async () => {
    const h = await hub();
    const cache = tempCache();
    const events: string[] = [];
    let lastProgress: PullProgress | undefined;
    const result = await pullModel({
      repo: REPO,
      hubUrl: h.url,
      cacheDir: cache,
      onPlan: (plan) => {
        events.push(`plan ${plan.totalBytes}`);
        assert.equal(h.requests.filter((r) => r.url.includes('/resolve/')).length, 0, 'size is known before any download');
      },
      onProgress: (p) => {
        if (events.at(-1) !== 'progress') events.push('progress');
        lastProgress = p;
      },
    });
    const expectedTotal = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']
      .map((p) => readFileSync(join(NER, p)).length)
      .reduce((a, b) => a + b, 0);
    assert.deepEqual(events.slice(0, 2), [`plan ${expectedTotal}`, 'progress']);
    assert.equal(lastProgress?.bytes, expectedTotal);
    assert.equal(result.folder, cacheFolderFor(cache, REPO, 'main'));
    assert.equal(result.downloadedBytes, expectedTotal);
    assert.deepEqual(filesUnder(cache).sort(), [
      `biom--ner-electra/main/${MANIFEST_FILE}`,
      'biom--ner-electra/main/config.json',
      'biom--ner-electra/main/onnx/model.onnx',
      'biom--ner-electra/main/tokenizer.json',
      'biom--ner-electra/main/tokenizer_config.json',
    ]);
    assert.ok(readFileSync(join(result.folder, 'onnx/model.onnx')).equals(readFileSync(join(NER, 'onnx/model.onnx'))));
    assert.equal(result.info.task, 'ner');

    const report = await verifyModelFolder(result.folder);
    assert.equal(report.ok, true, report.problems.join('; '));

    const engine = new Engine();
    try {
      const model = await engine.load({ folder: result.folder }, 'ner');
      // The pulled model gives the reference pipeline's entities (golden file), not merely some entities.
      const golden = JSON.parse(readFileSync(fixture('golden', 'ner-electra.json'), 'utf8')) as {
        texts: string[];
        results: { simple: { entity_group: string; start_utf16: number; end_utf16: number; score: number }[][] };
      };
      const entities = await recognizeEntities(model, golden.texts[0]);
      const want = golden.results.simple[0];
      assert.ok(want.length >= 3);
      assert.deepEqual(
        entities.map((e) => [e.label, e.start, e.end]),
        want.map((e) => [e.entity_group, e.start_utf16, e.end_utf16]),
      );
      entities.forEach((e, i) => assert.ok(Math.abs(e.score - want[i].score) < 1e-4));
    } finally {
      await engine.dispose();
    }

    const downloaded = await listDownloadedModels(cache);
    assert.deepEqual(
      downloaded.map((m) => [m.repo, m.revision, m.fp32, m.int8]),
      [[REPO, 'main', true, false]],
    );
  });

  it('reuses a complete folder and adds the int8 variant next to fp32', async () => {
    const h = await hub();
    const cache = tempCache();
    await pullModel({ repo: REPO, hubUrl: h.url, cacheDir: cache });
    const before = h.requests.length;
    const again = await pullModel({ repo: REPO, hubUrl: h.url, cacheDir: cache });
    assert.equal(again.reused, true);
    assert.deepEqual(
      h.requests.slice(before).map((r) => r.url.split('?')[0]),
      [`/api/models/${REPO}/tree/main`],
      'a second pull only lists',
    );
    const int8 = await pullModel({ repo: REPO, hubUrl: h.url, cacheDir: cache, quantized: true });
    assert.equal(int8.info.quantized, true);
    assert.deepEqual(
      Object.keys(int8.info.variants)
        .filter((k) => int8.info.variants[k as 'fp32' | 'int8'])
        .sort(),
      ['fp32', 'int8'],
    );
    assert.equal(resolveRequests(h, 'onnx/model.onnx').length, 1, 'fp32 was not fetched twice');
  });

  it('resumes with Range after the server drops the connection halfway', async () => {
    const h = await hub({ dropOnceHalfway: ['onnx/model.onnx'] });
    const cache = tempCache();
    const result = await pullModel({ repo: REPO, hubUrl: h.url, cacheDir: cache });
    const tries = resolveRequests(h, 'onnx/model.onnx');
    assert.equal(tries.length, 2);
    assert.equal(tries[0].range, undefined);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(tries[1].range ?? '')?.[1]);
    assert.ok(resumedAt > 0, `second request resumes (Range: ${tries[1].range})`);
    assert.ok(readFileSync(join(result.folder, 'onnx/model.onnx')).equals(readFileSync(join(NER, 'onnx/model.onnx'))));
    assert.equal(result.downloadedBytes < 2 * readFileSync(join(NER, 'onnx/model.onnx')).length, true);
  });

  it('rejects a file whose sha256 does not match the listing and leaves nothing in the cache', async () => {
    const h = await hub({
      repos: {
        [REPO]: {
          folder: NER,
          editListing: (entries) =>
            entries.map((e) => (e.path === 'onnx/model.onnx' && e.lfs ? { ...e, lfs: { ...e.lfs, oid: 'f'.repeat(64) } } : e)),
        },
      },
    });
    const cache = tempCache();
    await assert.rejects(pullModel({ repo: REPO, hubUrl: h.url, cacheDir: cache }), (e: unknown) => {
      assert.ok(e instanceof HubError && e.code === 'integrity', String(e));
      assert.match(e.message, /onnx\/model\.onnx does not match the sha256/);
      return true;
    });
    assert.deepEqual(filesUnder(cache), []);
    assert.equal(existsSync(cacheFolderFor(cache, REPO, 'main')), false);
  });

  it('names the repository and revision when the hub answers 404', async () => {
    const h = await hub();
    const cache = tempCache();
    await assert.rejects(pullModel({ repo: 'biom/missing', hubUrl: h.url, cacheDir: cache }), (e: unknown) => {
      assert.ok(e instanceof HubError && e.code === 'not-found', String(e));
      assert.match(e.message, /biom\/missing at revision main was not found/);
      return true;
    });
    await assert.rejects(
      pullModel({ repo: REPO, revision: 'v9', hubUrl: h.url, cacheDir: cache }),
      /biom\/ner-electra at revision v9 was not found/,
    );
    assert.deepEqual(filesUnder(cache), []);
  });

  it('tells how to export when the repository has no ONNX files', async () => {
    const h = await hub({ repos: { 'sultan/BioM-ELECTRA-Large-SQuAD2': { folder: NER, exclude: (p) => p.endsWith('.onnx') } } });
    await assert.rejects(planPull({ repo: 'sultan/BioM-ELECTRA-Large-SQuAD2', hubUrl: h.url, cacheDir: tempCache() }), (e: unknown) => {
      assert.ok(e instanceof HubError && e.code === 'no-onnx', String(e));
      assert.match(e.message, /has no ONNX model/);
      assert.match(e.message, /tools\/export_onnx\.py/);
      return true;
    });
  });

  it('refuses a listing with an unsafe path before downloading anything', async () => {
    for (const bad of ['../evil.json', 'onnx/../../evil.onnx', '/etc/passwd', 'onnx\\model.onnx']) {
      const h = await hub({
        repos: {
          [REPO]: { folder: NER, editListing: (entries) => [...entries, { type: 'file', path: bad, size: 3, oid: 'a'.repeat(40) }] },
        },
      });
      const cache = tempCache();
      await assert.rejects(pullModel({ repo: REPO, hubUrl: h.url, cacheDir: cache }), (e: unknown) => {
        assert.ok(e instanceof HubError && e.code === 'unsafe-listing', String(e));
        assert.ok(e.message.includes(JSON.stringify(bad)));
        return true;
      });
      assert.equal(h.requests.filter((r) => r.url.includes('/resolve/')).length, 0);
      assert.deepEqual(filesUnder(cache), []);
    }
  });

  it('refuses files over the size limit unless the limit is raised', async () => {
    const h = await hub();
    await assert.rejects(
      planPull({ repo: REPO, hubUrl: h.url, cacheDir: tempCache(), maxFileBytes: 1_000_000 }),
      /onnx\/model\.onnx is 11\.3 MB, over the limit/,
    );
    const plan = await planPull({ repo: REPO, hubUrl: h.url, cacheDir: tempCache(), maxFileBytes: 20_000_000 });
    assert.equal(plan.files.at(-1)?.localPath, 'onnx/model.onnx');
  });

  it('cancelling mid-download leaves no model visible, and the next pull resumes', async () => {
    const controller = new AbortController();
    // The client gets a moment to read the first half before the user presses Cancel.
    const stalled = await hub({ stallHalfway: ['onnx/model.onnx'], onStall: () => setTimeout(() => controller.abort(), 200) });
    const cache = tempCache();
    await assert.rejects(pullModel({ repo: REPO, hubUrl: stalled.url, cacheDir: cache, signal: controller.signal }), CancelledError);
    assert.equal(existsSync(cacheFolderFor(cache, REPO, 'main')), false);
    assert.deepEqual(await listDownloadedModels(cache), []);

    const h = await hub();
    const result = await pullModel({ repo: REPO, hubUrl: h.url, cacheDir: cache });
    const tries = resolveRequests(h, 'onnx/model.onnx');
    assert.equal(tries.length, 1);
    assert.match(tries[0].range ?? '', /^bytes=[1-9]\d*-$/);
    assert.equal(resolveRequests(h, 'config.json').length, 0, 'finished files are kept across calls');
    assert.ok(readFileSync(join(result.folder, 'onnx/model.onnx')).equals(readFileSync(join(NER, 'onnx/model.onnx'))));
    assert.deepEqual(readdirSync(cache).sort(), ['biom--ner-electra']);
  });

  it('sends the token as a Bearer header and explains a 401', async () => {
    const h = await hub({ requireToken: 'hf_secret' });
    await assert.rejects(planPull({ repo: REPO, hubUrl: h.url, cacheDir: tempCache() }), (e: unknown) => {
      assert.ok(e instanceof HubError && e.code === 'unauthorized', String(e));
      assert.match(e.message, /HF_TOKEN/);
      return true;
    });
    const result = await pullModel({ repo: REPO, hubUrl: h.url, cacheDir: tempCache(), token: 'hf_secret' });
    assert.equal(result.info.task, 'ner');
    const authorized = h.requests.filter((r) => r.authorization === 'Bearer hf_secret');
    assert.ok(authorized.some((r) => r.url.includes('/tree/')) && authorized.some((r) => r.url.includes('/resolve/')));
  });

  it('refuses plain HTTP to anything but loopback, and bad repository ids', async () => {
    assert.throws(() => checkHubUrl('http://example.com'), HubError);
    assert.throws(() => checkHubUrl('ftp://127.0.0.1'), HubError);
    for (const ok of ['https://huggingface.co', 'http://127.0.0.1:8080', 'http://localhost', 'http://[::1]:9000']) checkHubUrl(ok);
    await assert.rejects(planPull({ repo: REPO, hubUrl: 'http://hub.example.com', cacheDir: tempCache() }), (e: unknown) => {
      assert.ok(e instanceof HubError && e.code === 'insecure-url', String(e));
      return true;
    });
    for (const repo of ['../x', 'a/b/c', 'a/..', '/abs', 'a\\b', '']) {
      await assert.rejects(planPull({ repo, hubUrl: 'http://127.0.0.1:9', cacheDir: tempCache() }), /is not a repository id/);
    }
  });

  it('biom models pull prints the folder on stdout and progress on stderr; errors exit 1 with the message', async () => {
    const h = await hub();
    const cache = tempCache();
    const run = (args: string[]) => captureCommand(runModelsCommand, args);
    const ok = await run(['pull', REPO, '--hub-url', h.url, '--cache', cache, '--quantized', '--max-size', '1G']);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(ok.out, `${cacheFolderFor(cache, REPO, 'main')}\n`);
    assert.match(ok.err, /Pulling biom\/ner-electra@main from http:\/\/127\.0\.0\.1:\d+: 4 files, 3\.\d MB/);
    assert.match(ok.err, /100%/);
    const missing = await run(['pull', 'biom/none', '--hub-url', h.url, '--cache', cache]);
    assert.deepEqual([missing.code, missing.out], [1, '']);
    assert.match(missing.err, /biom\/none at revision main was not found/);
    const usage = await run(['pull', REPO, '--max-size', 'lots']);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /--max-size "lots" is not a size/);
  });
});
