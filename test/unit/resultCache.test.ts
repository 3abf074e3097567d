// The persistent result cache: hits across sessions, misses when settings or model files change, corrupt entries
// ignored, bounded by LRU, and concurrent writers (two processes) never leave a broken entry.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { forgetFingerprints, modelFingerprint } from '../../src/core/cache/modelFingerprint';
import { RESULT_CACHE_FORMAT, ResultCache, sha256 } from '../../src/core/cache/resultCache';
import { TieredParagraphCache } from '../../src/core/cache/tieredCache';
import type { ModelRef } from '../../src/core/engine';
import type { Entity } from '../../src/core/types';
import { WorkerBackend } from '../../src/host/workerBackend';
import { bundledModel, chemprotDevAbstracts, fixtureModel, root } from '../helpers/paths';

const temp = mkdtempSync(join(tmpdir(), 'biom-result-cache-test-'));
after(() => rmSync(temp, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(temp, `c${n++}`);
const entryFiles = (dir: string): string[] => readdirSync(join(dir, `v${RESULT_CACHE_FORMAT}`)).filter((f) => f.endsWith('.json'));

const entity = (start: number, label = 'CHEMICAL'): Entity => ({ label, start, end: start + 4, text: 'abcd', score: 0.9 });

describe('ResultCache (disk)', () => {
  it('a value written by one instance is read by another (a new session), and a missing key is a miss', () => {
    const dir = freshDir();
    const writer = new ResultCache<Entity[]>({ dir, maxBytes: 1e6 });
    writer.set('k', [entity(3)]);
    assert.deepEqual(writer.get('k'), [entity(3)], 'readable at once, before it reaches the disk');
    writer.flush();
    const reader = new ResultCache<Entity[]>({ dir, maxBytes: 1e6 });
    assert.deepEqual(reader.get('k'), [entity(3)]);
    assert.equal(reader.get('other'), undefined);
    assert.deepEqual(reader.stats(), { hits: 1, misses: 1, writes: 0, evictions: 0 });
  });

  it('a corrupt, truncated or foreign-format entry is a miss (and removed), never an error', () => {
    const dir = freshDir();
    const cache = new ResultCache<Entity[]>({ dir, maxBytes: 1e6 });
    cache.set('a', [entity(1)]);
    cache.set('b', [entity(2)]);
    cache.set('c', [entity(3)]);
    cache.flush();
    const [fa, fb, fc] = ['a', 'b', 'c'].map((k) => `${sha256(k)}.json`);
    const folder = join(dir, `v${RESULT_CACHE_FORMAT}`);
    writeFileSync(join(folder, fa), '{"format":1,"key":"a","value":[{"lab');
    writeFileSync(join(folder, fb), JSON.stringify({ format: RESULT_CACHE_FORMAT + 1, key: 'b', value: [] }));
    writeFileSync(join(folder, fc), JSON.stringify({ format: RESULT_CACHE_FORMAT, key: 'not-c', value: [] }));
    const reader = new ResultCache<Entity[]>({ dir, maxBytes: 1e6 });
    assert.equal(reader.get('a'), undefined);
    assert.equal(reader.get('b'), undefined);
    assert.equal(reader.get('c'), undefined);
    assert.deepEqual(entryFiles(dir), [], 'broken entries are deleted so they are not read again');
    // And the cache keeps working after them.
    reader.set('a', [entity(9)]);
    assert.deepEqual(reader.get('a'), [entity(9)]);
  });

  it('the folder deleted while in use: reads miss, the next write recreates it', () => {
    const dir = freshDir();
    const cache = new ResultCache<Entity[]>({ dir, maxBytes: 1e6 });
    cache.set('k', [entity(1)]);
    cache.flush();
    rmSync(dir, { recursive: true, force: true });
    assert.equal(cache.get('k'), undefined);
    cache.set('k', [entity(2)]);
    cache.flush();
    assert.deepEqual(new ResultCache<Entity[]>({ dir, maxBytes: 1e6 }).get('k'), [entity(2)]);
  });

  it('stays within its bound, evicting the least recently used entries first (a hit refreshes an entry)', () => {
    const dir = freshDir();
    const value = Array.from({ length: 20 }, (_, i) => entity(i * 10));
    const one = JSON.stringify({ format: RESULT_CACHE_FORMAT, key: 'k00', value }).length;
    const cache = new ResultCache<Entity[]>({ dir, maxBytes: one * 10 });
    const folder = join(dir, `v${RESULT_CACHE_FORMAT}`);
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      cache.set(`k${String(i).padStart(2, '0')}`, value);
      cache.flush();
      // Distinct modification times, oldest first, without sleeping.
      const file = readdirSync(folder).find((f) => !f.startsWith('.') && !seen.has(f)) as string;
      seen.add(file);
      const at = new Date(Date.now() - (100 - i) * 1000);
      utimesSync(join(folder, file), at, at);
    }
    assert.ok(cache.sizeBytes() <= one * 10);
    assert.deepEqual(cache.get('k00'), value, 'k00 is read: now the most recently used');
    for (let i = 10; i < 14; i++) cache.set(`k${i}`, value);
    cache.flush();
    cache.trim();
    assert.ok(cache.sizeBytes() <= one * 10, `${cache.sizeBytes()} bytes for a bound of ${one * 10}`);
    assert.deepEqual(cache.get('k00'), value, 'the refreshed entry survived');
    assert.equal(cache.get('k01'), undefined, 'the least recently used entry went');
    assert.deepEqual(cache.get('k13'), value, 'the newest entry is there');
    assert.ok(cache.stats().evictions > 0);
  });

  it('writes leave the caller at once and reach the disk one per event-loop turn (the editor never stalls on a burst)', async () => {
    const dir = freshDir();
    const cache = new ResultCache<Entity[]>({ dir, maxBytes: 1e6 });
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, [entity(i)]);
    assert.equal(cache.stats().writes, 0, 'nothing written synchronously');
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(cache.stats().writes >= 1 && cache.stats().writes < 5, `${cache.stats().writes} written after one turn`);
    for (let i = 0; i < 6; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(entryFiles(dir).length, 5);
  });

  it('maxBytes 0 is off: nothing is written or read', () => {
    const dir = freshDir();
    const cache = new ResultCache<Entity[]>({ dir, maxBytes: 0 });
    cache.set('k', [entity(1)]);
    assert.equal(cache.get('k'), undefined);
    assert.equal(cache.sizeBytes(), 0);
  });

  it('two processes writing the same keys at once leave only whole, readable entries', async () => {
    const dir = freshDir();
    const script = `
      const { ResultCache } = require(${JSON.stringify(join(root, 'src', 'core', 'cache', 'resultCache.ts'))});
      const cache = new ResultCache({ dir: process.argv[1], maxBytes: 50e6 });
      const me = process.argv[2];
      for (let round = 0; round < 40; round++)
        for (let k = 0; k < 10; k++)
          {
          cache.set('key' + k, Array.from({ length: 200 }, (_, i) => ({ who: me, round, i, pad: 'x'.repeat(50) })));
          cache.flush();
        }
    `;
    const run = promisify(execFile);
    await Promise.all(['A', 'B'].map((who) => run(process.execPath, ['--import', 'tsx', '-e', script, dir, who], { cwd: root })));
    const reader = new ResultCache<{ who: string; round: number; i: number }[]>({ dir, maxBytes: 50e6 });
    for (let k = 0; k < 10; k++) {
      const value = reader.get(`key${k}`);
      assert.ok(value, `key${k} is readable`);
      assert.equal(value.length, 200);
      assert.ok(
        value.every((v) => v.who === value[0].who && v.round === 39),
        'one writer’s last whole value',
      );
    }
    assert.equal(reader.stats().misses, 0);
    assert.deepEqual(
      readdirSync(join(dir, `v${RESULT_CACHE_FORMAT}`)).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp file left behind',
    );
  });
});

describe('TieredParagraphCache', () => {
  it('memory first, then disk; a new in-memory cache over the same folder gets the results back', () => {
    const dir = freshDir();
    const disk = new ResultCache<Entity[]>({ dir, maxBytes: 1e6 });
    const first = new TieredParagraphCache<Entity>(disk);
    first.set('model\u0000some paragraph', [entity(0)]);
    disk.flush();
    const second = new TieredParagraphCache<Entity>(new ResultCache<Entity[]>({ dir, maxBytes: 1e6 }));
    assert.deepEqual(second.get('model\u0000some paragraph'), [entity(0)]);
    assert.equal(second.get('model\u0000another paragraph'), undefined);
    assert.equal(second.get('other-model\u0000some paragraph'), undefined, 'the model part of the key matters');
    assert.deepEqual(second.stats().entries, 1);
  });
});

describe('model fingerprint', () => {
  it('changes when a model file changes, and is remembered by path, size and time', async () => {
    const folder = join(temp, 'model-copy');
    cpSync(fixtureModel('ner-electra'), folder, { recursive: true });
    const memo = new ResultCache<string>({ dir: freshDir(), maxBytes: 1e6 });
    const before = await modelFingerprint(folder, memo);
    assert.equal(await modelFingerprint(folder, memo), before);
    forgetFingerprints();
    assert.equal(await modelFingerprint(folder, memo), before, 'read back from the disk memo after a restart');
    const config = join(folder, 'config.json');
    writeFileSync(config, `${JSON.stringify({ changed: true })}\n`);
    assert.notEqual(await modelFingerprint(folder, memo), before, 'a changed file changes the fingerprint');
    copyFileSync(join(fixtureModel('ner-electra'), 'config.json'), config);
    assert.equal(await modelFingerprint(folder, memo), before, 'the same content again: the same fingerprint');
  });
});

describe('WorkerBackend with a result cache (real worker, real model)', () => {
  const texts = chemprotDevAbstracts().slice(0, 3);
  const text = texts.join('\n\n');
  const dir = freshDir();
  const modelFolder = join(temp, 'ner-electra-copy');
  cpSync(fixtureModel('ner-electra'), modelFolder, { recursive: true });
  const model: ModelRef = { folder: modelFolder, quantized: true };
  const relationModel: ModelRef = { folder: bundledModel('re-electra') };
  const open = (): WorkerBackend =>
    new WorkerBackend({
      workerPath: join(root, 'src', 'worker', 'main.ts'),
      execArgv: ['--import', 'tsx'],
      threads: 1,
      resultCache: { dir, maxBytes: 50 * 1024 * 1024, salt: 'test' },
    });

  it('with linking on (the editor default), a reopened document starts no worker at all: ids come from disk too', async () => {
    const linkDir = freshDir();
    const session = (): WorkerBackend =>
      new WorkerBackend({
        workerPath: join(root, 'src', 'worker', 'main.ts'),
        execArgv: ['--import', 'tsx'],
        threads: 1,
        resultCache: { dir: linkDir, maxBytes: 50 * 1024 * 1024, salt: 'test' },
      });
    const options = { models: [model], aggregation: 'max' as const, normalization: { species: 'human' } };
    const a = session();
    const computed = await a.annotate(text, options);
    assert.ok(
      computed.entities.some((e) => (e.ids ?? []).length > 0),
      'some mention was linked to a database id',
    );
    await a.dispose();
    forgetFingerprints();
    const b = session();
    try {
      const reopened = await b.annotate(text, options);
      assert.deepEqual(reopened.entities, computed.entities);
      assert.equal(b.pid, undefined, 'no worker process was started to reopen the document');
      const edited = `${text}\n\nAspirin inhibits COX-2 in humans.`;
      const linked = await b.annotate(edited, options);
      assert.ok(b.pid !== undefined, 'new text is linked (and its new paragraph run) by the worker');
      assert.equal(linked.entities.length >= computed.entities.length, true);
    } finally {
      await b.dispose();
    }
  });

  it('a new session reopens from disk with zero model calls; a settings or model change runs the model again', async () => {
    const a = open();
    const computed = await a.annotate(text, { models: [model], aggregation: 'simple' });
    assert.equal(computed.rerun, 3);
    const shown = computed.entities.filter((e) => e.score >= 0.5);
    const relations = await a.relations(text, shown, relationModel);
    assert.ok(relations.pairsRerun > 0, 'the first session classifies pairs');
    assert.ok((await a.workerStats()).modelCalls > 0);
    await a.dispose();

    forgetFingerprints();
    const b = open();
    try {
      const reopened = await b.annotate(text, { models: [model], aggregation: 'simple' });
      assert.deepEqual(reopened.entities, computed.entities);
      assert.equal(reopened.rerun, 0);
      const again = await b.relations(text, shown, relationModel);
      assert.deepEqual(again.relations, relations.relations);
      assert.equal(again.pairsRerun, 0);
      assert.equal((await b.workerStats()).modelCalls, 0, 'nothing ran: every paragraph and sentence came from disk');

      const otherSetting = await b.annotate(text, { models: [model], aggregation: 'max' });
      assert.equal(otherSetting.rerun, 3, 'another aggregation is another result: not served from the cache');
      const callsAfterSetting = (await b.workerStats()).modelCalls;
      assert.ok(callsAfterSetting > 0);

      // The model file replaced in place (same folder): old results must not be shown.
      writeFileSync(join(modelFolder, 'MODEL_CARD.md'), 'replaced\n');
      const afterChange = await b.annotate(text, { models: [model], aggregation: 'simple' });
      assert.equal(afterChange.rerun, 3, 'a changed model folder runs again');
      assert.ok((await b.workerStats()).modelCalls > callsAfterSetting);

      b.clearResultCache();
      assert.equal(b.resultCacheBytes(), 0);
    } finally {
      await b.dispose();
    }
  });
});
