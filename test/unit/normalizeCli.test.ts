// `biom normalize`, `biom eval normalize` and `biom annotate --normalize` through the built CLI (dist/cli.js).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { biom } from '../helpers/cli';
import { bundledModel, fixture } from '../helpers/paths';

const jsonLines = (s: string): Record<string, unknown>[] =>
  s
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
type Ids = { id: string; score: number; name: string }[];

describe('biom normalize', () => {
  it('links mentions with context and whole documents, one output line per input line', () => {
    const input = [
      { mention: 'DM', type: 'chemical', context: 'Effects of dextromethorphan (DM) on seizures.' },
      { mention: 'EGFR', type: 'GENE-Y' },
      {
        text: 'Aspirin and ERK1/2.',
        entities: [
          { start: 0, end: 7, label: 'Chemical' },
          { start: 12, end: 18, label: 'Gene' },
        ],
      },
    ];
    const r = biom(['normalize'], input.map((x) => JSON.stringify(x)).join('\n') + '\n');
    assert.equal(r.code, 0, r.stderr);
    const [dm, egfr, doc] = jsonLines(r.stdout);
    assert.equal((dm.ids as Ids)[0].id, 'MESH:D003915');
    assert.deepEqual(
      (egfr.ids as Ids).map((x) => x.id),
      ['NCBIGene:1956', 'HGNC:3236'],
    );
    const entities = doc.entities as { text: string; ids: Ids }[];
    assert.equal(entities[0].text, 'Aspirin');
    assert.equal(entities[0].ids[0].id, 'MESH:D001241');
    assert.deepEqual(
      entities[1].ids.filter((x) => x.id.startsWith('NCBIGene')).map((x) => x.id),
      ['NCBIGene:5595', 'NCBIGene:5594'],
    );
  });

  it('answers a bad line with {"error"} and goes on; exit status 1', () => {
    const r = biom(
      ['normalize'],
      [
        'not json',
        '{"mention": "x", "type": "disease"}',
        '{"text": "ab", "entities": [{"start": 0, "end": 9, "label": "GENE"}]}',
        '{"mention": "", "type": "gene"}',
      ].join('\n'),
    );
    assert.equal(r.code, 1);
    const out = jsonLines(r.stdout);
    assert.equal(out.length, 4);
    assert.match(String(out[0].error), /not JSON/);
    assert.match(String(out[1].error), /chemical" or "gene/);
    assert.match(String(out[2].error), /outside the text/);
    assert.deepEqual(out[3].ids, [], 'an empty mention is no error, just no id');
  });

  it('gives genes of another species no id', () => {
    const r = biom(['normalize', '--species', 'mouse'], '{"mention": "Egfr", "type": "gene"}\n');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(jsonLines(r.stdout)[0].ids, []);
  });

  it('--about names the vocabularies, versions and the NLM credit', () => {
    const r = biom(['normalize', '--about']);
    assert.equal(r.code, 0, r.stderr);
    const about = JSON.parse(r.stdout) as { version: string; credit: string }[];
    assert.equal(about[0].version, 'MeSH 2020');
    assert.match(about[0].credit, /Courtesy of the U\.S\. National Library of Medicine/);
    assert.match(about[1].version, /HGNC/);
  });
});

describe('biom eval normalize', () => {
  it('prints accuracy@1, mentions and skipped for gold mentions', () => {
    const r = biom(['eval', 'normalize', '--corpus', fixture('normalization', 'bc5cdr_dev_first80.pubtator'), '--type', 'chemical']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { accuracy_at_1: number; mentions: number; skipped: number; documents: number };
    assert.equal(s.documents, 80);
    assert.ok(s.accuracy_at_1 >= 0.79, String(s.accuracy_at_1));
    assert.ok(s.mentions > 800 && s.skipped >= 0);
  });

  it('with --ner adds end-to-end p, r, f1 of (span, id)', () => {
    const r = biom([
      'eval',
      'normalize',
      '--corpus',
      fixture('normalization', 'biored_first80.pubtator'),
      '--type',
      'gene',
      '--species',
      'human',
      '--ner',
      bundledModel('ner-albert'),
      '--limit',
      '5',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as {
      p: number;
      r: number;
      f1: number;
      documents: number;
      end_to_end: { tp: number; predicted: number; gold: number };
    };
    assert.equal(s.documents, 5);
    for (const k of ['p', 'r', 'f1'] as const) assert.ok(s[k] >= 0 && s[k] <= 1, `${k} ${s[k]}`);
    assert.ok(s.end_to_end.gold > 0);
    assert.equal(s.r, Math.round((s.end_to_end.tp / s.end_to_end.gold) * 10_000) / 10_000);
  });

  it('bad usage and unreadable files get one line and a non-zero exit', () => {
    const usage = biom(['eval', 'normalize', '--type', 'chemical']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--corpus FILE\.pubtator is required/);
    const missing = biom(['eval', 'normalize', '--corpus', '/nonexistent.pubtator', '--type', 'gene']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /cannot read \/nonexistent\.pubtator/);
  });
});

describe('biom annotate --normalize', () => {
  it('writes the id column in PubTator output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'biom-normalize-'));
    try {
      const file = join(dir, 'doc.txt');
      writeFileSync(file, 'Aspirin and dextromethorphan inhibit EGFR and cyclooxygenase-2 activity.\nAspirin was given.');
      const r = biom(['annotate', '--normalize', '--no-relations', '--format', 'pubtator', file]);
      assert.equal(r.code, 0, r.stderr);
      const mentions = r.stdout
        .trim()
        .split('\n')
        .slice(2)
        .map((l) => l.split('\t'));
      assert.ok(mentions.length > 0, 'the model finds mentions');
      assert.ok(
        mentions.some((m) => m.length === 6 && /^(MESH:[CD]\d+|\d+)/.test(m[5])),
        r.stdout,
      );
      const plain = biom(['annotate', '--no-relations', '--format', 'pubtator', file]);
      assert.ok(
        plain.stdout
          .trim()
          .split('\n')
          .slice(2)
          .every((l) => l.split('\t').length === 5),
        'no ids without --normalize',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
