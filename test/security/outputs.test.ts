// `biom annotate --out` against hostile ids and unlucky folders: nothing outside --out, no input written, no silent
// overwrite, duplicates kept apart, links not followed out of the input tree (issue 9, items 1 and 5).
import assert from 'node:assert/strict';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { biom } from '../helpers/cli';
import { root } from '../helpers/paths';

const FIXTURES = join(root, 'test', 'security', 'fixtures');
const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'biom-sec-'));
  temps.push(dir);
  return dir;
}

function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

const annotate = (...args: string[]) => biom(['annotate', '--no-relations', ...args]);

describe('biom annotate --out', () => {
  it('keeps a PubTator id like ../../CMakeLists inside --out (json and brat)', () => {
    const base = temp();
    const out = join(base, 'a', 'b', 'out');
    for (const format of ['json', 'brat']) {
      const r = annotate('--format', format, '--out', out, join(FIXTURES, 'traversal.pubtator'));
      assert.equal(r.code, 0, r.stderr);
    }
    assert.deepEqual(tree(base), ['a/b/out/CMakeLists.ann', 'a/b/out/CMakeLists.json', 'a/b/out/CMakeLists.txt']);
  });

  it('turns drive letters, backslashes, device names, absolute and hidden ids into plain names under --out', () => {
    const base = temp();
    const out = join(base, 'out');
    const r = annotate('--out', out, join(FIXTURES, 'hostileIds.pubtator'));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(tree(base), ['out/C_/Windows/System32/evil.json', 'out/_CON.json', 'out/_bashrc.json', 'out/etc/passwd.json']);
  });

  it('never replaces an existing file without --force, and says so in one line', () => {
    const dir = temp();
    writeFileSync(join(dir, 'doc.txt'), 'Aspirin inhibits COX-1 in platelets.');
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'doc.ann'), 'T1\tCHEMICAL 0 7\tAspirin  # checked by hand\n');
    const r = annotate('--format', 'brat', '--out', out, join(dir, 'doc.txt'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /doc\.ann already exists: use --force/);
    assert.equal(readFileSync(join(out, 'doc.ann'), 'utf8'), 'T1\tCHEMICAL 0 7\tAspirin  # checked by hand\n');
    assert.deepEqual(tree(out), ['doc.ann'], 'the .txt of the pair is not written either');
    const combined = join(out, 'annotations.pubtator');
    writeFileSync(combined, 'kept');
    const p = annotate('--format', 'pubtator', '--out', out, join(dir, 'doc.txt'));
    assert.equal(p.code, 1);
    assert.equal(p.stderr.trim().split('\n').length, 1, p.stderr);
    assert.equal(readFileSync(combined, 'utf8'), 'kept');
    const forced = annotate('--format', 'brat', '--force', '--out', out, join(dir, 'doc.txt'));
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(join(out, 'doc.ann'), 'utf8'), /^T1\tCHEMICAL 0 7\tAspirin$/m);
  });

  it('writes atomically: --force replaces a link in --out, never the file it points to', () => {
    const dir = temp();
    writeFileSync(join(dir, 'doc.txt'), 'Aspirin inhibits COX-1.');
    const precious = join(dir, 'precious.json');
    writeFileSync(precious, '{"keep": true}');
    const out = join(dir, 'out');
    mkdirSync(out);
    symlinkSync(precious, join(out, 'doc.json'));
    const r = annotate('--force', '--out', out, join(dir, 'doc.txt'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(precious, 'utf8'), '{"keep": true}');
    assert.equal((JSON.parse(readFileSync(join(out, 'doc.json'), 'utf8')) as { id: string }).id, 'doc');
    assert.deepEqual(tree(out), ['doc.json'], 'no temp file left behind');
  });

  it('keeps documents with the same id (or the same id up to case) in different files apart and says where each went', () => {
    const dir = temp();
    const out = join(dir, 'out');
    copyFileSync(join(FIXTURES, 'duplicates.pubtator'), join(dir, 'a.pubtator'));
    writeFileSync(join(dir, 'b.pubtator'), 'dup|t|Gefitinib inhibits EGFR.\ndup|a|Same id as a document of a.pubtator.\n\n');
    const r = annotate('--out', out, join(dir, 'a.pubtator'), join(dir, 'b.pubtator'));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(tree(out), ['DUP-2.json', 'dup-3.json', 'dup.json']);
    assert.equal(r.stderr.match(/same output name/g)?.length, 2, r.stderr);
    const texts = tree(out).map((f) => (JSON.parse(readFileSync(join(out, f), 'utf8')) as { id: string }).id);
    assert.deepEqual(texts.sort(), ['DUP', 'dup', 'dup']);
  });

  it('a repeated id inside one file is reported with its line and skipped; the first one is written', () => {
    const dir = temp();
    const out = join(dir, 'out');
    writeFileSync(
      join(dir, 'a.pubtator'),
      'dup|t|Aspirin inhibits COX-1.\ndup|a|First.\n\ndup|t|Gefitinib inhibits EGFR.\ndup|a|Second, same id.\n\n',
    );
    const r = annotate('--out', out, join(dir, 'a.pubtator'));
    assert.equal(r.code, 1, 'a skipped record makes the run exit 1');
    assert.match(r.stderr, /a\.pubtator:4 .*skipped, duplicate-id/);
    assert.deepEqual(tree(out), ['dup.json']);
  });

  it('corpus/a.txt and corpus/a.md both get their own output', () => {
    const dir = temp();
    const corpus = join(dir, 'corpus');
    mkdirSync(corpus);
    writeFileSync(join(corpus, 'a.txt'), 'Aspirin inhibits COX-1.');
    writeFileSync(join(corpus, 'a.md'), 'Gefitinib inhibits EGFR.');
    const r = annotate('--format', 'brat', '--out', join(dir, 'out'), corpus);
    assert.equal(r.code, 0, r.stderr);
    const texts = tree(join(dir, 'out'))
      .filter((f) => f.endsWith('.txt'))
      .map((f) => readFileSync(join(dir, 'out', f), 'utf8'))
      .sort();
    assert.deepEqual(texts, ['Aspirin inhibits COX-1.', 'Gefitinib inhibits EGFR.']);
  });

  it('never writes an input file, even with --out equal to the input folder and --force', () => {
    const dir = temp();
    const original = 'Aspirin inhibits COX-1 in platelets.\n\nHand-written notes that must survive.';
    writeFileSync(join(dir, 'doc.txt'), original);
    for (const force of [[], ['--force']]) {
      const r = annotate('--format', 'brat', ...force, '--out', dir, dir);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /refusing to write .*doc\.txt: it is one of the input files/);
      assert.equal(readFileSync(join(dir, 'doc.txt'), 'utf8'), original);
    }
    assert.deepEqual(tree(dir), ['doc.txt']);
  });

  it('refuses a folder inside --out that links outside it', () => {
    const dir = temp();
    const outside = join(dir, 'outside');
    mkdirSync(outside);
    const input = join(dir, 'in');
    mkdirSync(join(input, 'sub'), { recursive: true });
    writeFileSync(join(input, 'sub', 'doc.txt'), 'Aspirin inhibits COX-1.');
    const out = join(dir, 'out');
    mkdirSync(out);
    symlinkSync(outside, join(out, 'sub'));
    const r = annotate('--out', out, input);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /leads outside --out/);
    assert.deepEqual(readdirSync(outside), []);
  });

  it('does not follow links out of the input tree, and a link loop is skipped, not a stack trace', () => {
    const dir = temp();
    const secret = join(dir, 'secret');
    mkdirSync(secret);
    writeFileSync(join(secret, 'private.txt'), 'Patient record: aspirin 100 mg.');
    const input = join(dir, 'in');
    mkdirSync(input);
    writeFileSync(join(input, 'doc.txt'), 'Aspirin inhibits COX-1.');
    symlinkSync(secret, join(input, 'escape'));
    symlinkSync(join(secret, 'private.txt'), join(input, 'leak.txt'));
    symlinkSync(join(input, 'loop'), join(input, 'loop'));
    symlinkSync(input, join(input, 'self'));
    cpSync(join(input, 'doc.txt'), join(input, 'doc2.txt'));
    const r = annotate('--format', 'json', input);
    assert.equal(r.code, 0, r.stderr);
    const ids = r.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    assert.deepEqual(ids, ['doc', 'doc2']);
    assert.match(r.stderr, /escape: skipped, a symbolic link to .*outside/);
    assert.match(r.stderr, /leak\.txt: skipped/);
    assert.match(r.stderr, /loop: skipped, a symbolic link that cannot be followed/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.ok(existsSync(join(input, 'self')));
  });

  it('does not read the outputs of an earlier run when --out lies inside the input folder', () => {
    const corpus = temp();
    writeFileSync(join(corpus, 'doc.txt'), 'Aspirin inhibits COX-1.');
    const out = join(corpus, 'out');
    for (const run of [1, 2]) {
      const r = annotate('--format', 'brat', '--force', '--out', out, corpus);
      assert.equal(r.code, 0, `run ${run}: ${r.stderr}`);
      assert.match(r.stderr, /\[1\/1\]/, `run ${run} reads one input`);
    }
    assert.deepEqual(tree(out), ['doc.ann', 'doc.txt']);
  });

  it('prints file names with terminal escape sequences as inert text', () => {
    const dir = temp();
    const name = 'evil\u001b[2J\u001b[31mdoc.txt';
    writeFileSync(join(dir, name), 'Aspirin inhibits COX-1.');
    const r = annotate('--format', 'json', dir);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /\u001b/);
    assert.match(r.stderr, /evil\\u001b\[2J/);
  });
});
