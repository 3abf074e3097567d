// `biom eval agreement` and `biom eval curated` on real files: two ChemProt development abstracts (gold mentions and
// relations) as annotator B (BioC JSON, and PubTator), annotator A's brat folder with known differences, and a curated
// folder with model suggestions reviewed (fixtures built from test/fixtures/chemprot; differences described below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { biom } from '../helpers/cli';
import { fixture } from '../helpers/paths';

const A = fixture('curation', 'annotator-a');
const round = (x: number) => Math.round(x * 10000) / 10000;
const same = (x: number) => ({ p: round(x), r: round(x), f1: round(x) });

test('eval agreement: A against B (B the reference), exact, overlap, per type and relations, from BioC JSON or PubTator', () => {
  // B: 65 mentions (39 CHEMICAL, 26 GENE), 7 relations. A: in the first abstract one CHEMICAL missed, one GENE
  // stretched by a character, one spurious CHEMICAL, one relation left out.
  const expected = {
    entities: { exact: same(63 / 65), overlap: same(64 / 65), CHEMICAL: same(38 / 39), GENE: same(25 / 26) },
    relations: { p: 1, r: round(6 / 7), f1: round((2 * 6) / 7 / (1 + 6 / 7)) },
  };
  for (const b of [fixture('curation', 'annotator-b'), fixture('curation', 'annotator-b.pubtator')]) {
    const r = biom(['eval', 'agreement', A, b]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(JSON.parse(r.stdout), expected);
    assert.deepEqual(Object.keys(JSON.parse(r.stdout)), ['entities', 'relations']);
  }
  // Against itself: full agreement.
  const self = JSON.parse(biom(['eval', 'agreement', A, A]).stdout);
  assert.deepEqual(self.entities.exact, { p: 1, r: 1, f1: 1 });
  assert.deepEqual(self.relations, { p: 1, r: 1, f1: 1 });
});

test('eval agreement: a malformed .ann is named by file and line, its valid lines still count', () => {
  const dir = mkdtempSync(join(tmpdir(), 'biom-agreement-'));
  try {
    cpSync(A, dir, { recursive: true });
    const ann = join(dir, '10226872.ann');
    writeFileSync(ann, `${readFileSync(ann, 'utf8')}T99\tGENE 1 99999\tfar\nnot a line\n`);
    const r = biom(['eval', 'agreement', dir, fixture('curation', 'annotator-b')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /10226872\.ann:35: .*past the end/);
    assert.match(r.stderr, /10226872\.ann:36: /);
    assert.equal(JSON.parse(r.stdout).entities.exact.p, round(63 / 65));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval agreement: bad arguments and missing paths get one line and a non-zero exit', () => {
  const usage = biom(['eval', 'agreement', A]);
  assert.equal(usage.code, 2);
  assert.equal(usage.stderr.trim().split('\n').length, 1);
  const missing = biom(['eval', 'agreement', A, join(A, 'nope')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^biom eval agreement: .*nope not found/);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  const help = biom(['eval', 'agreement', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /biom eval agreement A B/);
  assert.match(biom(['eval', '--help']).stdout, /biom eval curated DIR/);
});

test("eval curated: the model scored on its own reviewed answers against the curator's decisions", () => {
  // Abstract 1: 34 suggestions (2 gold mentions missed, 2 wrong, 1 with the wrong type, fixed by the curator; the 2
  // missed added). Abstract 2: 31 right suggestions, 2 left unreviewed. Relations: 5 suggested, 1 with a wrong class.
  const r = biom(['eval', 'curated', fixture('curation', 'curated')]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(report.entities.exact, same(60 / 63));
  assert.deepEqual(report.relations, same(4 / 5));
  assert.equal(report.documents, 2);
  assert.equal(report.unreviewed, 2);
  const empty = mkdtempSync(join(tmpdir(), 'biom-curated-'));
  try {
    const none = biom(['eval', 'curated', empty]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no curated documents/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
