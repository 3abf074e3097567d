// The file-name safety rule on POSIX and Windows paths: every id lands inside the output folder under a usable name.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { collisionKey, isInside, outputPathFor, safeRelativeName, safeSegment } from '../../src/core/io/safeNames';

const HOSTILE = [
  '../../CMakeLists',
  '..\\..\\CMakeLists',
  '/etc/passwd',
  'C:\\Windows\\System32\\drivers\\etc\\hosts',
  'C:evil',
  '\\\\server\\share\\x',
  '..',
  '.',
  '',
  'a/../../b',
  'CON',
  'nul.tar',
  'com1',
  'LPT9.txt',
  'trailing. . ',
  'name\u0000with\nnul',
  'x'.repeat(400),
  '.ssh/authorized_keys',
];

describe('safe output names', () => {
  for (const [name, p, out] of [
    ['posix', path.posix, '/data/out'],
    ['win32', path.win32, 'C:\\data\\out'],
  ] as const) {
    it(`keeps every hostile id inside the folder (${name})`, () => {
      for (const id of HOSTILE) {
        const target = outputPathFor(out, id, '.json', p);
        assert.ok(isInside(out, target, p) && target !== out, `${JSON.stringify(id)} -> ${target}`);
        const rel = p.relative(out, target);
        for (const segment of rel.split(/[\\/]/)) {
          assert.doesNotMatch(segment, /^\.|[<>:"|?*\u0000-\u001f]|[. ]$/, `${JSON.stringify(id)} -> segment ${JSON.stringify(segment)}`);
          assert.doesNotMatch(segment, /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i, `${JSON.stringify(id)} -> device name ${segment}`);
          assert.ok(segment.length <= 160);
        }
      }
    });
  }

  it('documents the rule by example', () => {
    assert.deepEqual(safeRelativeName('../../CMakeLists'), ['CMakeLists']);
    assert.deepEqual(safeRelativeName('C:\\Windows\\x'), ['C_', 'Windows', 'x']);
    assert.deepEqual(safeRelativeName('sub/doc'), ['sub', 'doc']);
    assert.equal(safeSegment('CON'), '_CON');
    assert.equal(safeSegment('a. '), 'a__');
    assert.equal(safeSegment('.hidden'), '_hidden');
    assert.equal(safeSegment('PMID:123?'), 'PMID_123_');
    assert.equal(safeSegment('12345678'), '12345678');
  });

  it('counts names that differ only in case or Unicode form as the same file', () => {
    assert.equal(collisionKey('A.txt'), collisionKey('a.TXT'));
    assert.equal(collisionKey('caf\u00e9.json'), collisionKey('cafe\u0301.json'));
    assert.equal(collisionKey('sub\\a.json'), collisionKey('SUB/a.json'));
    assert.notEqual(collisionKey('a.json'), collisionKey('b.json'));
  });

  it('isInside is not fooled by a shared prefix or a drive change', () => {
    assert.equal(isInside('/data/out', '/data/out-evil/x', path.posix), false);
    assert.equal(isInside('/data/out', '/data/out/x/../../y', path.posix), false);
    assert.equal(isInside('C:\\out', 'D:\\out\\x', path.win32), false);
    assert.equal(isInside('C:\\out', 'c:\\OUT\\x', path.win32), true);
  });
});
