import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CurationDocument, groupEntities, HISTORY_LIMIT } from '../../src/core/curation/document';
import type { AnnotatedEntity, Relation } from '../../src/core/types';
import type { CurationState } from '../../src/core/curation/types';

const TEXT = 'Aspirin inhibits COX-1. Aspirin and ibuprofen inhibit COX-2 in mice.';

function suggestion(text: string, word: string, label: string, score = 0.9, from = 0): AnnotatedEntity {
  const start = text.indexOf(word, from);
  assert.ok(start >= 0, word);
  return { label, score, start, end: start + word.length, text: word, model: 'ner-model' };
}

function suggested(): CurationDocument {
  const doc = new CurationDocument(TEXT);
  doc.mergeSuggestions([
    suggestion(TEXT, 'Aspirin', 'CHEMICAL', 0.99),
    suggestion(TEXT, 'COX-1', 'GENE', 0.8),
    suggestion(TEXT, 'Aspirin', 'CHEMICAL', 0.95, 10),
    suggestion(TEXT, 'ibuprofen', 'CHEMICAL', 0.6),
    suggestion(TEXT, 'COX-2', 'GENE', 0.4),
  ]);
  return doc;
}

const byText = (doc: CurationDocument, text: string, nth = 0) => doc.state.entities.filter((e) => e.text === text)[nth];

test('accept, reject, change type: one status each, counts follow', () => {
  const doc = suggested();
  const aspirin = byText(doc, 'Aspirin');
  doc.apply({ kind: 'accept', ids: [aspirin.id] });
  doc.apply({ kind: 'reject', ids: [byText(doc, 'COX-2').id] });
  doc.apply({ kind: 'setLabel', ids: [byText(doc, 'ibuprofen').id], label: 'DRUG' });
  assert.deepEqual(doc.counts(), { suggested: 2, accepted: 2, rejected: 1, added: 0 });
  assert.equal(byText(doc, 'ibuprofen').label, 'DRUG');
  assert.equal(byText(doc, 'ibuprofen').status, 'accepted');
});

test('add returns the new id first and ids are never reused, even after undo', () => {
  const doc = suggested();
  const mice = TEXT.indexOf('mice');
  const { changed } = doc.apply({ kind: 'add', label: 'SPECIES', span: { start: mice, end: mice + 4 } });
  const first = changed[0];
  assert.equal(doc.entityById(first)?.text, 'mice');
  assert.equal(doc.entityById(first)?.status, 'added');
  doc.undo();
  assert.equal(doc.entityById(first), undefined);
  const again = doc.apply({ kind: 'add', label: 'SPECIES', span: { start: mice, end: mice + 4 } }).changed[0];
  assert.notEqual(again, first);
  assert.equal(doc.apply({ kind: 'accept', ids: ['T999'] }).changed.length, 0);
  assert.equal(doc.canRedo, false);
});

test('undo and redo walk 150 steps back and forth', () => {
  const doc = suggested();
  const start = JSON.stringify(doc.state);
  const ids = doc.state.entities.map((e) => e.id);
  // Every step changes something (an unchanged action records no step): alternate status and a fresh label.
  const snapshots: string[] = [];
  for (let i = 0; i < 150; i++) {
    const id = ids[i % ids.length];
    const before = doc.entityById(id)?.status;
    const changed = doc.apply(
      i % 3 === 0 ? { kind: before === 'rejected' ? 'accept' : 'reject', ids: [id] } : { kind: 'setLabel', ids: [id], label: `L${i}` },
    ).changed;
    assert.deepEqual(changed, [id]);
    snapshots.push(JSON.stringify(doc.state));
  }
  for (let i = 149; i >= 0; i--) {
    assert.equal(JSON.stringify(doc.state), snapshots[i]);
    assert.ok(doc.undo());
  }
  assert.equal(JSON.stringify(doc.state), start);
  assert.equal(doc.undo(), false);
  for (let i = 0; i < 150; i++) {
    assert.ok(doc.redo());
    assert.equal(JSON.stringify(doc.state), snapshots[i]);
  }
  assert.ok(HISTORY_LIMIT >= 100);
});

test('a bulk action is one undo step', () => {
  const doc = suggested();
  const ids = doc.sameTextAndLabel(byText(doc, 'Aspirin').id);
  assert.equal(ids.length, 2);
  doc.apply({ kind: 'accept', ids });
  doc.apply({ kind: 'reject', ids: doc.atOrAbove(0.5) });
  assert.deepEqual(doc.counts(), { suggested: 1, accepted: 2, rejected: 2, added: 0 });
  doc.undo();
  assert.deepEqual(doc.counts(), { suggested: 3, accepted: 2, rejected: 0, added: 0 });
  doc.undo();
  assert.deepEqual(doc.counts(), { suggested: 5, accepted: 0, rejected: 0, added: 0 });
});

test('a new model run keeps every decision and replaces only suggestions', () => {
  const doc = suggested();
  const aspirin = byText(doc, 'Aspirin');
  const cox1 = byText(doc, 'COX-1');
  doc.apply({ kind: 'accept', ids: [aspirin.id] });
  doc.apply({ kind: 'reject', ids: [cox1.id] });
  const mice = TEXT.indexOf('mice');
  doc.apply({ kind: 'add', label: 'SPECIES', span: { start: mice, end: mice + 4 } });
  const ibuprofenId = byText(doc, 'ibuprofen').id;
  // The new run sees Aspirin as a GENE, COX-1 again, "mice" as a chemical, ibuprofen again, and something new.
  doc.mergeSuggestions([
    { ...suggestion(TEXT, 'Aspirin', 'GENE', 0.7) },
    suggestion(TEXT, 'COX-1', 'GENE', 0.99),
    suggestion(TEXT, 'mice', 'CHEMICAL', 0.5),
    suggestion(TEXT, 'ibuprofen', 'CHEMICAL', 0.65),
    suggestion(TEXT, 'inhibit', 'CHEMICAL', 0.51, 30),
  ]);
  const s = doc.state.entities;
  assert.deepEqual(
    s.map((e) => `${e.text}:${e.label}:${e.status}`),
    [
      'Aspirin:CHEMICAL:accepted',
      'COX-1:GENE:rejected',
      'ibuprofen:CHEMICAL:suggested',
      'inhibit:CHEMICAL:suggested',
      'mice:SPECIES:added',
    ],
  );
  // Same span and label as before keeps its id, so relations and notes keep pointing at it.
  assert.equal(byText(doc, 'ibuprofen').id, ibuprofenId);
  assert.equal(byText(doc, 'ibuprofen').score, 0.65);
});

test('relations merge by argument spans; a decided relation stays as decided', () => {
  const doc = suggested();
  const e = (w: string, n = 0) => byText(doc, w, n);
  const rel = (c: string, g: string, label: string, cn = 0): Relation => ({
    label,
    score: 0.9,
    chemical: { ...e(c, cn), score: 1 },
    gene: { ...e(g), score: 1 },
    sentence: { start: 0, end: TEXT.length },
  });
  doc.mergeSuggestions(
    doc.state.entities.map((x) => ({ ...x, score: x.score ?? 1, model: 'ner-model' })),
    [rel('Aspirin', 'COX-1', 'CPR:4'), rel('ibuprofen', 'COX-2', 'CPR:4')],
  );
  assert.equal(doc.state.relations.length, 2);
  const first = doc.state.relations[0];
  doc.apply({ kind: 'setRelationLabel', ids: [first.id], label: 'CPR:3' });
  // Keeping a relation keeps its arguments.
  assert.equal(doc.entityById(first.chemical)?.status, 'accepted');
  doc.mergeSuggestions(
    doc.state.entities.map((x) => ({ ...x, score: x.score ?? 1, model: 'ner-model' })),
    [rel('Aspirin', 'COX-1', 'CPR:9'), rel('Aspirin', 'COX-2', 'CPR:4', 1)],
  );
  const labels = doc.state.relations.map(
    (r) => `${doc.entityById(r.chemical)?.text}>${doc.entityById(r.gene)?.text}:${r.label}:${r.status}`,
  );
  assert.deepEqual(labels.sort(), ['Aspirin>COX-1:CPR:3:accepted', 'Aspirin>COX-2:CPR:4:suggested']);
  const added = doc.apply({ kind: 'addRelation', chemical: e('ibuprofen').id, gene: e('COX-2').id, label: 'CPR:6' });
  assert.equal(doc.relationById(added.changed[0])?.status, 'added');
  doc.apply({ kind: 'delete', ids: [e('COX-2').id] });
  assert.equal(doc.state.relations.length, 1, 'relations of a deleted entity go');
  doc.undo();
  assert.equal(doc.state.relations.length, 3, 'and come back in the same undo step');
});

test('edits move annotations; touched ones go; an edit inside keeps the mention', () => {
  const doc = suggested();
  const cox1 = byText(doc, 'COX-1').id;
  doc.apply({ kind: 'accept', ids: [cox1] });
  const prefix = 'Background: ';
  let text = prefix + TEXT;
  doc.applyTextChanges([{ start: 0, end: 0, insertedLength: prefix.length }], text);
  for (const e of doc.state.entities) assert.equal(text.slice(e.start, e.end), e.text);
  // Delete "ibuprofen": the mention goes.
  const ib = text.indexOf('ibuprofen');
  text = text.slice(0, ib) + text.slice(ib + 'ibuprofen'.length);
  doc.applyTextChanges([{ start: ib, end: ib + 'ibuprofen'.length, insertedLength: 0 }], text);
  assert.equal(byText(doc, 'ibuprofen'), undefined);
  // Type inside COX-1 (COX-1 → COXX-1): kept, stretched, text refreshed, still accepted.
  const at = text.indexOf('COX-1') + 3;
  text = `${text.slice(0, at)}X${text.slice(at)}`;
  doc.applyTextChanges([{ start: at, end: at, insertedLength: 1 }], text);
  assert.equal(doc.entityById(cox1)?.text, 'COXX-1');
  assert.equal(doc.entityById(cox1)?.status, 'accepted');
  for (const e of doc.state.entities) assert.equal(text.slice(e.start, e.end), e.text);
  // Undo of a curation action after edits lands on the moved words.
  doc.undo();
  assert.equal(doc.entityById(cox1)?.status, 'suggested');
  assert.equal(text.slice(doc.entityById(cox1)?.start, doc.entityById(cox1)?.end), 'COXX-1');
});

test('checkText flags mismatches and never moves them', () => {
  const doc = suggested();
  const before = doc.state.entities.map((e) => [e.start, e.end]);
  const changedText = `XX${TEXT}`;
  const flagged = doc.checkText(changedText);
  assert.ok(flagged.length > 0);
  assert.deepEqual(
    doc.state.entities.map((e) => [e.start, e.end]),
    before,
  );
  assert.ok(doc.state.entities.every((e) => e.mismatch === (changedText.slice(e.start, e.end) !== e.text)));
  doc.checkText(TEXT);
  assert.ok(doc.state.entities.every((e) => !e.mismatch));
});

test('navigation and lookups', () => {
  const doc = suggested();
  const first = byText(doc, 'Aspirin');
  assert.equal(doc.nextUnreviewed(-1, 1)?.id, first.id);
  assert.equal(doc.nextUnreviewed(TEXT.length, 1)?.id, first.id, 'wraps forward');
  assert.equal(doc.nextUnreviewed(0, -1)?.text, 'COX-2', 'wraps backward');
  assert.equal(doc.entityAt(TEXT.indexOf('COX-1') + 2)?.text, 'COX-1');
  assert.equal(doc.entityAt(TEXT.indexOf('inhibits') + 2), undefined);
  assert.deepEqual(
    doc.entitiesIn({ start: 0, end: 23 }).map((e) => e.text),
    ['Aspirin', 'COX-1'],
  );
  doc.apply({ kind: 'accept', ids: doc.state.entities.map((e) => e.id) });
  assert.equal(doc.nextUnreviewed(0, 1), undefined);
});

test('groupEntities groups by type then text with status counts and a status filter', () => {
  const doc = suggested();
  doc.apply({ kind: 'reject', ids: [byText(doc, 'Aspirin').id] });
  const groups = groupEntities(doc.state);
  assert.deepEqual(
    groups.map((g) => [g.label, g.count]),
    [
      ['CHEMICAL', 3],
      ['GENE', 2],
    ],
  );
  const aspirin = groups[0].texts[0];
  assert.equal(aspirin.text, 'Aspirin');
  assert.deepEqual(aspirin.statuses, { suggested: 1, accepted: 0, rejected: 1, added: 0 });
  const open = groupEntities(doc.state, { statuses: ['suggested'] });
  assert.equal(open[0].texts[0].count, 1);
});

test('a state given to the constructor is copied, not shared', () => {
  const state: CurationState = {
    entities: [{ id: 'T7', label: 'GENE', start: 17, end: 22, text: 'COX-1', status: 'accepted' }],
    relations: [],
  };
  const doc = new CurationDocument(TEXT, state);
  doc.apply({ kind: 'reject', ids: ['T7'] });
  assert.equal(state.entities[0].status, 'accepted');
  const id = doc.apply({ kind: 'add', label: 'X', span: { start: 0, end: 7 } }).changed[0];
  assert.equal(id, 'T8');
});

test('a correction keeps what the model said, so the model is scored on its own answer', () => {
  const doc = suggested();
  const cox = byText(doc, 'COX-1');
  doc.apply({ kind: 'setLabel', ids: [cox.id], label: 'PROTEIN' });
  doc.apply({ kind: 'setSpan', id: cox.id, span: { start: cox.start, end: cox.end - 2 } });
  assert.deepEqual(doc.entityById(cox.id)?.suggestion, { label: 'GENE', start: cox.start, end: cox.end });
  // Back to the model's answer: nothing was corrected after all.
  doc.apply({ kind: 'setSpan', id: cox.id, span: { start: cox.start, end: cox.end } });
  doc.apply({ kind: 'setLabel', ids: [cox.id], label: 'GENE' });
  assert.equal(doc.entityById(cox.id)?.suggestion, undefined);
  // A curator's own entity has no model answer to keep.
  const added = doc.apply({ kind: 'add', label: 'X', span: { start: 0, end: 3 } }).changed[0];
  doc.apply({ kind: 'setLabel', ids: [added], label: 'Y' });
  assert.equal(doc.entityById(added)?.suggestion, undefined);
});
