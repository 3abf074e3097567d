import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCuratedAnn, writeCuratedAnn } from '../../src/core/formats/bratAnn';
import { CurationDocument } from '../../src/core/curation/document';
import type { CurationState } from '../../src/core/curation/types';

const TEXT = 'TNF-α 🧪 blocks\r\nCOX-2; aspirin\r\ninhibits PTGS2.';
const at = (w: string, from = 0) => {
  const start = TEXT.indexOf(w, from);
  return { start, end: start + w.length };
};

function curated(): CurationState {
  return {
    entities: [
      {
        id: 'T1',
        label: 'GENE',
        ...at('TNF-α'),
        text: 'TNF-α',
        status: 'accepted',
        score: 0.97,
        model: 'BioM-ELECTRA (int8)',
        // The model said CHEMICAL over "TNF" before the curator fixed it (offsets after the emoji test code points).
        suggestion: { label: 'CHEMICAL', start: 0, end: 3 },
      },
      { id: 'T2', label: 'GENE', ...at('COX-2'), text: 'COX-2', status: 'rejected', score: 0.51, model: 'm' },
      {
        id: 'T3',
        label: 'CHEMICAL',
        ...at('aspirin'),
        text: 'aspirin',
        status: 'added',
        ids: [{ id: 'MESH:D001241', score: 1, name: 'Aspirin' }],
      },
      { id: 'T4', label: 'GENE', ...at('PTGS2'), text: 'PTGS2', status: 'suggested', score: 0.8, model: 'm' },
      // Spans a line break: written as two fragments.
      {
        id: 'T5',
        label: 'GENE',
        start: TEXT.indexOf('blocks'),
        end: TEXT.indexOf('COX-2') + 5,
        text: TEXT.slice(TEXT.indexOf('blocks'), TEXT.indexOf('COX-2') + 5),
        status: 'accepted',
      },
    ],
    relations: [
      { id: 'R1', label: 'CPR:4', chemical: 'T3', gene: 'T4', status: 'accepted', score: 0.9, model: 'rel', suggestedLabel: 'CPR:9' },
      { id: 'R2', label: 'CPR:3', chemical: 'T3', gene: 'T2', status: 'rejected' },
    ],
  };
}

test('what we write reads back as the same curation', () => {
  const ann = writeCuratedAnn(TEXT, curated());
  const { state, problems } = readCuratedAnn(TEXT, ann);
  assert.deepEqual(problems, []);
  const byPosition = [...curated().entities].sort((a, b) => a.start - b.start || a.end - b.end);
  assert.deepEqual(state.entities, byPosition);
  assert.deepEqual(state.relations, curated().relations);
  assert.match(ann, /^A\d+\tStatus T2 rejected$/m);
  assert.match(ann, /^R2\tCPR:3 Arg1:T3 Arg2:T2$/m);
  assert.match(ann, /^#\d+\tAnnotatorNotes T1\tscore 0\.9700; model BioM-ELECTRA \(int8\); suggested CHEMICAL 0 3$/m);
  assert.match(ann, /^#\d+\tAnnotatorNotes R1\tscore 0\.9000; model rel; suggested CPR:9$/m);
  assert.match(ann, /^N\d+\tReference T3 MESH:D001241\tAspirin$/m);
  // Code points: the emoji counts one, so "blocks" starts at 8, not 9.
  assert.match(ann, /^T5\tGENE 8 14;16 21\tblocks COX-2$/m);
});

test('lines of other tools come back verbatim, and go only with an entity the curator deleted', () => {
  const other = [
    'T1\tGENE 0 5\tTNF-α',
    'T9\tProtein 8 14\tblocks',
    'E1\tBlocking:T9 Theme:T1',
    'A4\tNegated E1',
    '*\tEquiv T1 T9',
    '#7\tAnnotatorNotes T1\tchecked by Anna',
    'M2\tSpeculation E1',
  ].join('\n');
  const { state, problems } = readCuratedAnn(TEXT, `${other}\n`);
  assert.deepEqual(problems, []);
  const written = writeCuratedAnn(TEXT, state);
  for (const line of other.split('\n')) assert.ok(written.split('\n').includes(line), `kept: ${line}`);
  // New attribute and note ids never collide with the other tool's.
  const ids = written
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0])
    .filter((id) => id !== '*');
  assert.equal(new Set(ids).size, ids.length);
  const doc = new CurationDocument(TEXT, state);
  doc.apply({ kind: 'delete', ids: ['T9'] });
  const after = writeCuratedAnn(TEXT, doc.state);
  assert.ok(!after.includes('E1\t'), 'the event on the deleted trigger goes');
  assert.ok(after.includes('#7\tAnnotatorNotes T1\tchecked by Anna'));
  doc.undo();
  assert.ok(writeCuratedAnn(TEXT, doc.state).includes('E1\tBlocking:T9 Theme:T1'), 'undo brings it back');
});

test('malformed lines are reported by line number, valid lines load, nothing is lost on write', () => {
  const ann = [
    'T1\tGENE 0 5\tTNF-α',
    'T2\tGENE 0 999\tfar away',
    'T1\tGENE 8 14\tblocks',
    'garbage line',
    'T3\tCHEMICAL 23 30\twrong',
    'R1\tCPR:4 Arg1:T3 Arg2:T77',
    'T4\tGENE 10 x\toops',
  ].join('\n');
  const { state, problems } = readCuratedAnn(TEXT, ann);
  const lines = new Set(problems.map((p) => p.line));
  assert.deepEqual([...lines].sort(), [2, 3, 4, 5, 6, 7]);
  assert.equal(problems.length, 6);
  assert.match(problems.find((p) => p.line === 2)?.message ?? '', /past the end/);
  assert.match(problems.find((p) => p.line === 3)?.message ?? '', /duplicate id T1/);
  assert.match(problems.find((p) => p.line === 5)?.message ?? '', /"wrong"/);
  assert.deepEqual(
    state.entities.map((e) => [e.id, !!e.mismatch]),
    [
      ['T1', false],
      ['T3', true],
    ],
  );
  const written = writeCuratedAnn(TEXT, state).split('\n');
  for (const line of ann.split('\n')) assert.ok(written.includes(line), `kept: ${line}`);
  // A new entity never takes an id that a kept bad line uses.
  const doc = new CurationDocument(TEXT, state);
  const id = doc.apply({ kind: 'add', label: 'X', span: at('PTGS2') }).changed[0];
  assert.equal(id, 'T5');
});

test('a truly discontinuous mention is kept and reported, not shown', () => {
  const { state, problems } = readCuratedAnn(TEXT, 'T1\tGENE 0 5;10 14\tTNF-α ocks\n');
  assert.equal(state.entities.length, 0);
  assert.equal(problems.length, 1);
  assert.equal(writeCuratedAnn(TEXT, state), 'T1\tGENE 0 5;10 14\tTNF-α ocks\n');
});

test('no status attribute: a scored mention is a suggestion, any other was made by a person', () => {
  const { state } = readCuratedAnn(TEXT, 'T1\tGENE 0 5\tTNF-α\nT2\tGENE 16 21\tCOX-2\n#1\tAnnotatorNotes T2\tscore 0.5000\n');
  assert.deepEqual(
    state.entities.map((e) => e.status),
    ['added', 'suggested'],
  );
});
