import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CurationSession, curationPathFor, nodeCurationIo, type CurationChange, type CurationIo } from '../../src/host/curationSession';
import { readCuratedAnn } from '../../src/core/formats/bratAnn';
import { readCuratedBiocJson } from '../../src/core/formats/curatedBioc';
import type { AnnotatedEntity } from '../../src/core/types';

const TEXT = 'Aspirin inhibits COX-1.\nIbuprofen inhibits COX-2 in mice.\n';

function suggestions(text: string): AnnotatedEntity[] {
  return ['Aspirin', 'COX-1', 'Ibuprofen', 'COX-2'].map((w) => {
    const start = text.indexOf(w);
    return { label: w.startsWith('COX') ? 'GENE' : 'CHEMICAL', score: 0.9, start, end: start + w.length, text: w, model: 'ner' };
  });
}

/** Real files in a temp folder; timers fire when the test says so. */
function setup(options: { text?: string; autoSave?: boolean; io?: Partial<CurationIo> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'biom-curation-'));
  const textPath = join(dir, 'abstract.txt');
  const text = options.text ?? TEXT;
  writeFileSync(textPath, text);
  const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
  let clock = Date.UTC(2026, 10, 27, 12, 0, 0);
  const io: CurationIo = {
    ...nodeCurationIo,
    now: () => clock++,
    setTimer: (callback, ms) => {
      const t = { callback, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => {
      (t as { cleared: boolean }).cleared = true;
    },
    ...options.io,
  };
  const events: CurationChange[] = [];
  const make = () => {
    const s = new CurationSession({ uri: `file://${textPath}`, textPath, text, io, autoSave: options.autoSave });
    s.onDidChange((c) => events.push(c));
    return s;
  };
  const fire = () => {
    for (const t of timers.splice(0)) if (!t.cleared) t.callback();
  };
  return {
    dir,
    textPath,
    annPath: join(dir, 'abstract.ann'),
    make,
    fire,
    timers,
    events,
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
}

test('the .ann goes next to the text: brat convention for .txt, full name otherwise', () => {
  assert.equal(curationPathFor('/d/abstract.txt'), '/d/abstract.ann');
  assert.equal(curationPathFor('/d/notes.md'), '/d/notes.md.ann');
  assert.equal(curationPathFor('/d/abstract.txt', 'bioc-json'), '/d/abstract.bioc.json');
});

test('a model run alone writes nothing; the first decision creates the .ann within a second; reopening restores it', () => {
  const t = setup();
  try {
    const s = t.make();
    assert.equal(s.open().exists, false);
    s.mergeSuggestions(suggestions(TEXT));
    t.fire();
    assert.equal(s.flush(), false);
    assert.equal(existsSync(t.annPath), false);
    const cox = s.state.entities.find((e) => e.text === 'COX-1');
    s.apply({ kind: 'accept', ids: [cox?.id ?? ''] });
    assert.ok(t.timers.length > 0 && t.timers.every((x) => x.ms <= 1000));
    t.fire();
    const written = readFileSync(t.annPath, 'utf8');
    const { state } = readCuratedAnn(TEXT, written);
    assert.equal(state.entities.find((e) => e.text === 'COX-1')?.status, 'accepted');
    assert.equal(state.entities.filter((e) => e.status === 'suggested').length, 3);
    assert.equal(s.flush(), false, 'nothing changed, nothing written');
    // Reopen: everything back at once, no model.
    const again = t.make().open();
    assert.equal(again.exists, true);
    assert.deepEqual(again.state.entities, s.state.entities);
  } finally {
    t.done();
  }
});

test('unsaved edits: the .ann stays right for the saved text, then for the new text once saved', () => {
  const t = setup();
  try {
    const s = t.make();
    s.open();
    s.mergeSuggestions(suggestions(TEXT));
    s.apply({ kind: 'accept', ids: s.state.entities.map((e) => e.id) });
    s.flush();
    const prefix = 'Title line.\n';
    const edited = prefix + TEXT;
    s.applyTextChanges([{ start: 0, end: 0, insertedLength: prefix.length }], edited);
    const mice = edited.indexOf('mice');
    s.apply({ kind: 'add', label: 'SPECIES', span: { start: mice, end: mice + 4 } });
    s.flush();
    // Not saved yet: the file on disk still has the old text, and the .ann matches it.
    const before = readCuratedAnn(TEXT, readFileSync(t.annPath, 'utf8'));
    assert.deepEqual(before.problems, []);
    for (const e of before.state.entities) assert.equal(TEXT.slice(e.start, e.end), e.text);
    assert.ok(before.state.entities.some((e) => e.text === 'mice' && e.status === 'added'));
    writeFileSync(t.textPath, edited);
    s.saved(edited);
    const after = readCuratedAnn(edited, readFileSync(t.annPath, 'utf8'));
    assert.deepEqual(after.problems, []);
    assert.equal(after.state.entities.length, 5);
    for (const e of after.state.entities) assert.equal(edited.slice(e.start, e.end), e.text);
  } finally {
    t.done();
  }
});

test('the .ann changed on disk with nothing unsaved: reloaded', () => {
  const t = setup();
  try {
    const s = t.make();
    s.open();
    s.mergeSuggestions(suggestions(TEXT));
    s.apply({ kind: 'accept', ids: [s.state.entities[0].id] });
    s.flush();
    writeFileSync(t.annPath, 'T1\tGENE 17 22\tCOX-1\n');
    utimesSync(t.annPath, new Date(), new Date(Date.now() + 5000));
    assert.equal(s.checkDisk(), true);
    assert.deepEqual(
      s.state.entities.map((e) => [e.text, e.status]),
      [['COX-1', 'added']],
    );
    assert.equal(t.events.at(-1)?.reason, 'reloaded');
    assert.equal(s.checkDisk(), false, 'once is enough');
  } finally {
    t.done();
  }
});

test('the .ann changed on disk with unsaved decisions: both kept, theirs loaded, ours in a conflict file', () => {
  const t = setup();
  try {
    const s = t.make();
    s.open();
    s.mergeSuggestions(suggestions(TEXT));
    s.apply({ kind: 'accept', ids: [s.state.entities[0].id] });
    s.flush();
    s.apply({ kind: 'reject', ids: [s.state.entities[1].id] });
    const theirs = 'T1\tCHEMICAL 0 7\tAspirin\nA1\tStatus T1 rejected\n';
    writeFileSync(t.annPath, theirs);
    utimesSync(t.annPath, new Date(), new Date(Date.now() + 5000));
    t.fire();
    assert.equal(readFileSync(t.annPath, 'utf8'), theirs, 'their file is never overwritten');
    const conflict = t.events.find((e) => e.reason === 'conflict');
    assert.ok(conflict?.conflictPath);
    assert.match(conflict.conflictPath, /abstract\.2026-11-27T12-00-00-\d+Z\.conflict\.ann$/);
    const ours = readCuratedAnn(TEXT, readFileSync(conflict.conflictPath, 'utf8')).state;
    assert.deepEqual(
      ours.entities.map((e) => e.status),
      ['accepted', 'rejected', 'suggested', 'suggested'],
    );
    assert.deepEqual(
      s.state.entities.map((e) => [e.text, e.status]),
      [['Aspirin', 'rejected']],
    );
  } finally {
    t.done();
  }
});

test('a malformed .ann: problems by line, valid lines shown, the file untouched until the curator acts, nothing lost then', () => {
  const t = setup();
  try {
    const bad = 'T1\tCHEMICAL 0 7\tAspirin\nT2\tGENE 17 999\tCOX-1\nnonsense\nT3\tGENE 17 22\tCOX-9\n';
    writeFileSync(t.annPath, bad);
    const s = t.make();
    const opened = s.open();
    assert.deepEqual(
      opened.problems.map((p) => p.line),
      [2, 4, 3],
    );
    assert.deepEqual(
      opened.state.entities.map((e) => [e.id, !!e.mismatch]),
      [
        ['T1', false],
        ['T3', true],
      ],
    );
    t.fire();
    s.flush();
    assert.equal(readFileSync(t.annPath, 'utf8'), bad);
    s.apply({ kind: 'accept', ids: ['T1'] });
    s.flush();
    const lines = readFileSync(t.annPath, 'utf8').split('\n');
    for (const line of bad.split('\n')) assert.ok(lines.includes(line), `kept: ${line}`);
  } finally {
    t.done();
  }
});

test('crash safety: a temp file left by an interrupted write never replaces or corrupts the .ann', () => {
  let failNext = false;
  const t = setup({
    io: {
      writeFileAtomic: (path, data, options) => {
        if (failNext) {
          // Dies after the temp file was written, before the rename, as a killed process would.
          writeFileSync(join(path, '..', '.abstract.ann.999.deadbeef.tmp'), data.slice(0, 10));
          throw new Error('killed');
        }
        nodeCurationIo.writeFileAtomic(path, data, options);
      },
    },
  });
  try {
    const s = t.make();
    s.open();
    s.mergeSuggestions(suggestions(TEXT));
    s.apply({ kind: 'accept', ids: [s.state.entities[0].id] });
    s.flush();
    const good = readFileSync(t.annPath, 'utf8');
    failNext = true;
    s.apply({ kind: 'reject', ids: [s.state.entities[1].id] });
    assert.equal(s.flush(), false);
    assert.equal(t.events.at(-1)?.reason, 'saveFailed');
    assert.equal(readFileSync(t.annPath, 'utf8'), good);
    assert.equal(s.hasUnsavedChanges, true, 'the decision is still waiting to be written');
    // A new window opens the same file: the leftover temp file is ignored.
    const other = t.make().open();
    assert.deepEqual(other.problems, []);
    assert.equal(other.state.entities[0].status, 'accepted');
    failNext = false;
    assert.equal(s.flush(), true);
    assert.equal(readCuratedAnn(TEXT, readFileSync(t.annPath, 'utf8')).state.entities[1].status, 'rejected');
    assert.ok(readdirSync(t.dir).includes('.abstract.ann.999.deadbeef.tmp'));
  } finally {
    t.done();
  }
});

test('auto-save off: only flush writes', () => {
  const t = setup({ autoSave: false });
  try {
    const s = t.make();
    s.open();
    s.mergeSuggestions(suggestions(TEXT));
    s.apply({ kind: 'accept', ids: [s.state.entities[0].id] });
    assert.equal(t.timers.length, 0);
    assert.equal(existsSync(t.annPath), false);
    s.dispose();
    assert.equal(readCuratedAnn(TEXT, readFileSync(t.annPath, 'utf8')).state.entities[0].status, 'accepted');
  } finally {
    t.done();
  }
});

test('the text changed outside the editor: mentions flagged, not moved', () => {
  const t = setup();
  try {
    const s = t.make();
    s.open();
    s.mergeSuggestions(suggestions(TEXT));
    const spans = s.state.entities.map((e) => [e.start, e.end]);
    const changed = s.textChangedOnDisk(`XX${TEXT}`);
    assert.equal(changed.length, 4);
    assert.deepEqual(
      s.state.entities.map((e) => [e.start, e.end]),
      spans,
    );
    assert.ok(s.state.entities.every((e) => e.mismatch));
  } finally {
    t.done();
  }
});

test('BioC JSON as the curation format keeps status, score and model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'biom-curation-'));
  try {
    const textPath = join(dir, 'abstract.txt');
    const text = 'TNF-α 🧪 blocks COX-2.';
    writeFileSync(textPath, text);
    const s = new CurationSession({ uri: 'u', textPath, text, format: 'bioc-json', io: { ...nodeCurationIo, setTimer: () => 0 } });
    s.open();
    s.mergeSuggestions([
      { label: 'GENE', score: 0.75, start: 0, end: 5, text: 'TNF-α', model: 'ner' },
      { label: 'GENE', score: 0.5, start: 16, end: 21, text: 'COX-2', model: 'ner' },
    ]);
    s.apply({ kind: 'reject', ids: [s.state.entities[1].id] });
    s.flush();
    const json = readFileSync(join(dir, 'abstract.bioc.json'), 'utf8');
    const back = readCuratedBiocJson(text, json);
    assert.deepEqual(back.problems, []);
    assert.deepEqual(back.state.entities, s.state.entities);
    // BioC offsets are code points: COX-2 starts at 15 (the emoji is one).
    assert.match(json, /"offset": 15/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
