import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { biom } from '../helpers/cli';
import { fixture } from '../helpers/paths';
import { pubmedArticle, pubmedSet } from '../fixtures/corpus/make';
import { readCorpusFile } from '../../src/core/formats/corpusReader';
import type { ShardManifest } from '../../src/core/corpus/manifest';

const NER_ONLY = ['--no-relations'];
const sample = readFileSync(fixture('chemprot', 'sample_abstracts.tsv'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => {
    const [pmid, title, abstract] = l.split('\t');
    return { pmid, title, abstract };
  });

function withDir(run: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'biom-corpus-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'a shard with bad records completes: good documents annotated, each bad one reported with its location and counted',
  withDir((dir) => {
    const [a, b, c] = sample;
    writeFileSync(
      join(dir, 'bad.xml'),
      pubmedSet([pubmedArticle(a), pubmedArticle(b).replace(/<Abstract>[\s\S]*<\/Abstract>/, ''), pubmedArticle(a), pubmedArticle(c)]),
    );
    const r = biom(['annotate', '--shard-out', join(dir, 'shards'), ...NER_ONLY, join(dir, 'bad.xml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`bad\\.xml:\\d+ \\(byte \\d+, id ${b.pmid}\\): skipped, no-abstract`));
    assert.match(r.stderr, new RegExp(`id ${a.pmid}\\): skipped, duplicate-id`));
    const manifest = JSON.parse(readFileSync(join(dir, 'shards', 'bad.xml.manifest.json'), 'utf8')) as ShardManifest;
    assert.equal(manifest.counts.documents, 2);
    assert.deepEqual(manifest.counts.skipped, { 'no-abstract': 1, 'duplicate-id': 1 });
    assert.deepEqual(
      manifest.skippedRecords.map((s) => [s.reason, s.location.id]),
      [
        ['no-abstract', b.pmid],
        ['duplicate-id', a.pmid],
      ],
    );
    assert.equal(manifest.input.sha256.length, 64);
    assert.deepEqual(Object.keys(manifest.models[0].files).sort(), [
      'config.json',
      'onnx/model.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const lines = readFileSync(join(dir, 'shards', 'bad.xml.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; entities: unknown[] });
    assert.deepEqual(
      lines.map((l) => l.id),
      [a.pmid, c.pmid],
    );
    assert.ok(lines.every((l) => l.entities.length > 0));
    // The same file through one-process `biom annotate` reports the same records and prints the same lines.
    const one = biom(['annotate', ...NER_ONLY, join(dir, 'bad.xml')]);
    assert.equal(one.stdout, readFileSync(join(dir, 'shards', 'bad.xml.jsonl'), 'utf8'));
  }),
);

test(
  'shards resume: complete ones are skipped, changed settings or a partial output are redone, same bytes every time',
  withDir((dir) => {
    const inputs = join(dir, 'in');
    cpSync(fixture('corpus', 'shards', 'a-pubmed.xml'), join(inputs, 'a-pubmed.xml'));
    cpSync(fixture('corpus', 'shards', 'd-chemprot.bioc.json'), join(inputs, 'd-chemprot.bioc.json'));
    const shards = join(dir, 'shards');
    const run = () => biom(['annotate', '--shard-out', shards, ...NER_ONLY, inputs]);
    const first = run();
    assert.equal(first.code, 0, first.stderr);
    const out = join(shards, 'a-pubmed.xml.jsonl');
    const bytes = readFileSync(out);
    const mtime = statSync(out).mtimeMs;

    const again = run();
    assert.match(again.stderr, /a-pubmed\.xml: up to date/);
    assert.match(again.stderr, /d-chemprot\.bioc\.json: up to date/);
    assert.equal(statSync(out).mtimeMs, mtime, 'an up-to-date shard is not rewritten');

    // A killed run: the manifest never written, a temp file left behind, the output cut short.
    rmSync(join(shards, 'a-pubmed.xml.manifest.json'));
    writeFileSync(join(shards, '.a-pubmed.xml.jsonl.12345.abcd.tmp'), 'partial');
    writeFileSync(out, bytes.subarray(0, 100));
    const redo = run();
    assert.match(redo.stderr, /a-pubmed\.xml: 4 documents/);
    assert.match(redo.stderr, /d-chemprot\.bioc\.json: up to date/);
    assert.deepEqual(readFileSync(out), bytes, 'redone to the same bytes');
    assert.deepEqual(
      readdirSync(shards).filter((n) => n.endsWith('.tmp')),
      [],
      'the stale temp file is gone',
    );

    // Other settings make another output: the manifest no longer matches.
    const stricter = biom(['annotate', '--shard-out', shards, ...NER_ONLY, '--min-score', '0.9', inputs]);
    assert.match(stricter.stderr, /a-pubmed\.xml: 4 documents/);
    assert.notDeepEqual(readFileSync(out), bytes);
  }),
);

test(
  'merge: input-name order, byte-identical to a one-process run (JSON lines, PubTator), BioC XML reads back, no silent overwrite',
  withDir(async (dir) => {
    const inputs = join(dir, 'in');
    for (const n of ['a-pubmed.xml', 'e-chemprot.pubtator']) cpSync(fixture('corpus', 'shards', n), join(inputs, n));
    for (const format of ['json', 'pubtator']) {
      const shards = join(dir, `shards-${format}`);
      // Shards made in reverse order still merge in input-name order.
      for (const n of ['e-chemprot.pubtator', 'a-pubmed.xml']) {
        const r = biom(['annotate', '--shard-out', shards, '--format', format, ...NER_ONLY, join(inputs, n)]);
        assert.equal(r.code, 0, r.stderr);
      }
      const merged = join(dir, `merged.${format}`);
      const m = biom(['merge', '--format', format, '--out', merged, '--summary', join(dir, 'summary.json'), shards]);
      assert.equal(m.code, 0, m.stderr);
      const one = biom(['annotate', '--format', format, ...NER_ONLY, inputs]);
      assert.equal(readFileSync(merged, 'utf8'), one.stdout, `${format}: merged = one process`);
      const refused = biom(['merge', '--format', format, '--out', merged, shards]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /already exists: use --force/);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
        documents: number;
        jobs: { input: string }[];
        entityLabels: Record<string, number>;
      };
      assert.equal(summary.documents, 8);
      assert.deepEqual(
        summary.jobs.map((j) => j.input),
        ['a-pubmed.xml', 'e-chemprot.pubtator'],
      );
      assert.ok(summary.entityLabels.CHEMICAL > 0);
    }
    // BioC outputs read back to the same documents (the PubTator input's abstract included, not only its title).
    for (const [format, ext] of [
      ['bioc-xml', 'bioc.xml'],
      ['bioc', 'bioc.json'],
    ]) {
      const shards = join(dir, `shards-${format}`);
      assert.equal(biom(['annotate', '--shard-out', shards, '--format', format, ...NER_ONLY, inputs]).code, 0);
      const merged = join(dir, `merged.${ext}`);
      assert.equal(biom(['merge', '--format', format, '--out', merged, shards]).code, 0);
      const back: string[] = [];
      for await (const r of readCorpusFile(merged)) {
        assert.equal(r.kind, 'document', JSON.stringify(r));
        if (r.kind === 'document') back.push(`${r.document.id} ${r.document.text}`);
      }
      assert.deepEqual(
        back,
        [...sample.slice(0, 4), ...sample.slice(16, 20)].map((s) => `${s.pmid} ${s.title} ${s.abstract}`),
        format,
      );
    }
    const shards = join(dir, 'shards-bioc');
    assert.ok(existsSync(join(shards, 'a-pubmed.xml.status.json')));
  }),
);
