import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileExistsError, writeFileAtomic } from '../../src/core/io/atomicWrite';

const dir = (): string => mkdtempSync(join(tmpdir(), 'biom-atomic-'));

test('writes the bytes and leaves no temp file behind', () => {
  const d = dir();
  writeFileAtomic(join(d, 'a.ann'), 'T1\tCHEMICAL 0 3\tdex\n');
  assert.equal(readFileSync(join(d, 'a.ann'), 'utf8'), 'T1\tCHEMICAL 0 3\tdex\n');
  assert.deepEqual(readdirSync(d), ['a.ann']);
});

test('never replaces an existing file unless asked, and says how to proceed', () => {
  const d = dir();
  writeFileSync(join(d, 'a.ann'), 'hand-edited');
  assert.throws(
    () => writeFileAtomic(join(d, 'a.ann'), 'model output'),
    (e: unknown) => e instanceof FileExistsError && /--force/.test(e.message),
  );
  assert.equal(readFileSync(join(d, 'a.ann'), 'utf8'), 'hand-edited');
  assert.deepEqual(readdirSync(d), ['a.ann']);
  writeFileAtomic(join(d, 'a.ann'), 'model output', { overwrite: true });
  assert.equal(readFileSync(join(d, 'a.ann'), 'utf8'), 'model output');
  assert.deepEqual(readdirSync(d), ['a.ann']);
});
