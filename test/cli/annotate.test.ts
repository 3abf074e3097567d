// `biom annotate` writes the exchange formats for whole folders (the formats themselves: test/unit/formats.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { biom } from '../helpers/cli';

test('biom annotate: a whole folder to brat files and to PubTator, a bad file reported without stopping', () => {
  const dir = mkdtempSync(join(tmpdir(), 'biom-annotate-'));
  try {
    mkdirSync(join(dir, 'in', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'in', 'a.txt'), 'Gefitinib inhibits EGFR tyrosine kinase activity.');
    writeFileSync(join(dir, 'in', 'sub', 'b.txt'), 'Aspirin blocked COX-2 in platelets.');
    writeFileSync(join(dir, 'in', 'broken.pubtator'), 'no header line\n1\t0\t3\tx\tGENE\n');
    const brat = biom(['annotate', join(dir, 'in'), '--format', 'brat', '--out', join(dir, 'out')]);
    assert.equal(brat.code, 1, 'one file failed');
    assert.match(brat.stderr, /broken\.pubtator:1 \(byte 0\): skipped, malformed: PubTator line 1/);
    for (const name of ['a', join('sub', 'b')]) {
      assert.ok(existsSync(join(dir, 'out', `${name}.txt`)));
      const ann = readFileSync(join(dir, 'out', `${name}.ann`), 'utf8');
      assert.match(ann, /^T1\t(CHEMICAL|GENE) \d+ \d+\t/m);
    }
    const pubtator = biom(['annotate', join(dir, 'in', 'a.txt'), '--format', 'pubtator', '--no-relations']);
    assert.equal(pubtator.code, 0, pubtator.stderr);
    assert.match(pubtator.stdout, /^a\|t\|Gefitinib inhibits/);
    assert.match(pubtator.stdout, /^a\t0\t9\tGefitinib\tCHEMICAL$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
