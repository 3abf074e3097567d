// Decorations stay on their words after edits above them, and leave words that were edited.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnnotationStore } from '../../src/host/annotationStore';
import { mapSpan, mapSpans, toTextChange } from '../../src/core/text/changes';
import type { AnnotatedEntity } from '../../src/core/types';

function entity(text: string, doc: string, label = 'CHEMICAL', from = 0): AnnotatedEntity {
  const start = doc.indexOf(text, from);
  assert.ok(start >= 0, `${text} in the document`);
  return { label, score: 0.9, start, end: start + text.length, text, model: 'ner-albert' };
}

/** Applies VS Code-style content changes (all against the text before the event) to a string. */
function applyChanges(doc: string, changes: { rangeOffset: number; rangeLength: number; text: string }[]): string {
  return [...changes]
    .sort((a, b) => b.rangeOffset - a.rangeOffset)
    .reduce((t, c) => t.slice(0, c.rangeOffset) + c.text + t.slice(c.rangeOffset + c.rangeLength), doc);
}

describe('range tracking after edits', () => {
  const doc = 'Aspirin inhibits COX-2.\nIbuprofen inhibits COX-1.';

  it('moves mentions after a line inserted above them, and they still cover the same words', () => {
    const entities = [entity('Aspirin', doc), entity('COX-2', doc, 'GENE'), entity('COX-1', doc, 'GENE')];
    const change = { rangeOffset: 0, rangeLength: 0, text: 'A new first line 😀.\n' };
    const after = applyChanges(doc, [change]);
    const moved = mapSpans(entities, [toTextChange(change)], 'drop');
    assert.deepEqual(
      moved.map((e) => after.slice(e.start, e.end)),
      ['Aspirin', 'COX-2', 'COX-1'],
    );
  });

  it('counts offsets in UTF-16 code units (an emoji is two)', () => {
    const moved = mapSpan({ start: 10, end: 15 }, { start: 0, end: 0, insertedLength: '😀'.length }, 'drop');
    assert.deepEqual(moved, { start: 12, end: 17 });
  });

  it('drops a mention whose text was edited, keeps the others', () => {
    const entities = [entity('Aspirin', doc), entity('COX-2', doc, 'GENE')];
    const at = doc.indexOf('COX-2') + 3;
    const moved = mapSpans(entities, [{ start: at, end: at + 1, insertedLength: 0 }], 'drop');
    assert.deepEqual(
      moved.map((e) => e.text),
      ['Aspirin'],
    );
  });

  it('typing right after a mention leaves it; typing right before moves it', () => {
    const span = { start: 5, end: 10 };
    assert.deepEqual(mapSpan(span, { start: 10, end: 10, insertedLength: 1 }, 'drop'), span);
    assert.deepEqual(mapSpan(span, { start: 5, end: 5, insertedLength: 2 }, 'drop'), { start: 7, end: 12 });
  });

  it('deleting text above a mention moves it back', () => {
    assert.deepEqual(mapSpan({ start: 20, end: 25 }, { start: 2, end: 12, insertedLength: 0 }, 'drop'), { start: 10, end: 15 });
  });

  it('sentences stretch with typing inside them and at their end', () => {
    assert.deepEqual(mapSpan({ start: 0, end: 23 }, { start: 8, end: 8, insertedLength: 4 }, 'stretch'), { start: 0, end: 27 });
    assert.deepEqual(mapSpan({ start: 0, end: 23 }, { start: 23, end: 23, insertedLength: 4 }, 'stretch'), { start: 0, end: 27 });
    assert.deepEqual(mapSpan({ start: 30, end: 40 }, { start: 0, end: 5, insertedLength: 0 }, 'stretch'), { start: 25, end: 35 });
  });

  it('applies several changes of one event (multi-cursor) against the text before the event', () => {
    const entities = [entity('Aspirin', doc), entity('Ibuprofen', doc), entity('COX-1', doc, 'GENE')];
    const changes = [
      { rangeOffset: 0, rangeLength: 0, text: '>> ' },
      { rangeOffset: doc.indexOf('Ibuprofen'), rangeLength: 0, text: '>> ' },
    ];
    const after = applyChanges(doc, changes);
    const moved = mapSpans(entities, changes.map(toTextChange), 'drop');
    assert.deepEqual(
      moved.map((e) => after.slice(e.start, e.end)),
      ['Aspirin', 'Ibuprofen', 'COX-1'],
    );
  });

  it('the store shifts entities and relation pairs, and drops a pair whose mention was edited', () => {
    const store = new AnnotationStore();
    const aspirin = entity('Aspirin', doc);
    const cox2 = entity('COX-2', doc, 'GENE');
    const ibu = entity('Ibuprofen', doc);
    const cox1 = entity('COX-1', doc, 'GENE');
    store.setEntities('file:///a.txt', 1, [aspirin, cox2, ibu, cox1]);
    store.setRelations('file:///a.txt', 1, [
      { label: 'CPR:4', score: 0.8, chemical: aspirin, gene: cox2, sentence: { start: 0, end: 23 } },
      { label: 'CPR:4', score: 0.7, chemical: ibu, gene: cox1, sentence: { start: 24, end: doc.length } },
    ]);
    const events: string[] = [];
    store.onDidChange((c) => events.push(c.reason));
    // Insert a word before the first line, and change "Aspirin" itself.
    store.applyEdits('file:///a.txt', 2, [
      { start: 0, end: 0, insertedLength: 4 },
      { start: aspirin.start + 1, end: aspirin.start + 2, insertedLength: 1 },
    ]);
    const state = store.get('file:///a.txt');
    assert.ok(state);
    assert.equal(state.version, 2);
    assert.deepEqual(
      state.entities.map((e) => [e.text, e.start]),
      [
        ['COX-2', cox2.start + 4],
        ['Ibuprofen', ibu.start + 4],
        ['COX-1', cox1.start + 4],
      ],
    );
    assert.equal(state.relations?.length, 1);
    assert.equal(state.relations?.[0].chemical.start, ibu.start + 4);
    assert.deepEqual(state.relations?.[0].sentence, { start: 28, end: doc.length + 4 });
    assert.deepEqual(events, ['edited']);
    // Shifted is not annotated: live mode must still run this document once it is turned on.
    assert.equal(state.edited, true);
    store.setEntities('file:///a.txt', 2, state.entities);
    assert.equal(store.get('file:///a.txt')?.edited, false);
  });

  it('Annotate Selection replaces only the entities inside the selection', () => {
    const store = new AnnotationStore();
    store.setEntities('u', 1, [entity('Aspirin', doc), entity('Ibuprofen', doc)]);
    const range = { start: doc.indexOf('\n') + 1, end: doc.length };
    store.replaceEntitiesIn('u', 1, range, [entity('COX-1', doc, 'GENE')]);
    assert.deepEqual(
      store.get('u')?.entities.map((e) => e.text),
      ['Aspirin', 'COX-1'],
    );
  });
});
