// What the editor offers a curator at a cursor or selection, word-boundary span fixing, the review count and the Entities tree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CuratedEntity } from '../../src/core/curation/types';
import {
  describeCounts,
  entitiesUnder,
  fixedSpan,
  entityWithSpan,
  isRelationCommandArgs,
  offeredActions,
  pairKey,
  relationBetween,
  relationStatuses,
  reviewText,
  typeChoices,
} from '../../src/host/curationActions';

const text = 'Dextrorphan binds the NMDA receptor; dextrorphan and aspirin.';

function entity(id: string, word: string, label: string, status: CuratedEntity['status'], from = 0): CuratedEntity {
  const start = text.indexOf(word, from);
  assert.ok(start >= 0, word);
  return { id, label, start, end: start + word.length, text: word, status, score: 0.9 };
}

const dex = entity('T1', 'Dextrorphan', 'CHEMICAL', 'suggested');
const nmda = entity('T2', 'NMDA receptor', 'GENE-Y', 'accepted');
const dex2 = entity('T3', 'dextrorphan', 'CHEMICAL', 'rejected', 20);
const aspirin = entity('T4', 'aspirin', 'CHEMICAL', 'added');
const all = [dex, nmda, dex2, aspirin];

describe('entities under the cursor or selection', () => {
  it('the cursor inside or at the right edge of an entity finds it; rejected ones only when shown', () => {
    assert.deepEqual(
      entitiesUnder(all, { start: 3, end: 3 }).map((e) => e.id),
      ['T1'],
    );
    assert.deepEqual(
      entitiesUnder(all, { start: dex.end, end: dex.end }).map((e) => e.id),
      ['T1'],
    );
    assert.deepEqual(entitiesUnder(all, { start: dex2.start + 1, end: dex2.start + 1 }), []);
    assert.deepEqual(
      entitiesUnder(all, { start: dex2.start + 1, end: dex2.start + 1 }, true).map((e) => e.id),
      ['T3'],
    );
  });

  it('a selection takes every entity it overlaps', () => {
    assert.deepEqual(
      entitiesUnder(all, { start: 5, end: nmda.start + 2 }).map((e) => e.id),
      ['T1', 'T2'],
    );
  });
});

describe('fixing a span to words', () => {
  it('drops white space at the edges and widens cut words', () => {
    assert.deepEqual(fixedSpan(text, { start: 2, end: 6 }), { start: 0, end: 11 });
    assert.deepEqual(fixedSpan(text, { start: 21, end: 26 }), { start: 22, end: 26 });
    assert.equal(fixedSpan(text, { start: 11, end: 12 }), undefined);
  });
});

describe('offered actions', () => {
  it('a suggestion under the cursor: accept (preferred), reject, change type, delete — no add without a selection', () => {
    const actions = offeredActions(all, { start: 3, end: 3 }, text);
    assert.deepEqual(
      actions.map((a) => a.kind),
      ['accept', 'reject', 'changeType', 'delete'],
    );
    assert.equal(actions[0].preferred, true);
    assert.match(actions[0].title, /Accept "Dextrorphan" \(CHEMICAL\)/);
  });

  it('an accepted entity is not offered Accept again', () => {
    const kinds = offeredActions(all, { start: nmda.start + 1, end: nmda.start + 1 }, text).map((a) => a.kind);
    assert.ok(!kinds.includes('accept'));
    assert.ok(kinds.includes('reject'));
  });

  it('a selection inside an entity offers to fix its span to the selection, widened to words', () => {
    // "NMDA" only: the curator shrinks "NMDA receptor" to the word.
    const start = nmda.start;
    const fix = offeredActions(all, { start, end: start + 4 }, text).find((a) => a.kind === 'fixSpan');
    assert.deepEqual(fix?.span, { start, end: start + 4 });
    assert.deepEqual(fix?.ids, ['T2']);
  });

  it('a selection over plain text offers Add with the span trimmed; an existing span is not added twice', () => {
    const start = text.indexOf('binds');
    const actions = offeredActions(all, { start: start - 1, end: start + 5 }, text);
    assert.deepEqual(
      actions.map((a) => [a.kind, a.span]),
      [['add', { start, end: start + 5 }]],
    );
    assert.ok(!offeredActions(all, { start: aspirin.start, end: aspirin.end }, text).some((a) => a.kind === 'add'));
    // A rejected span may be added again (the curator changed their mind with a new type).
    const kinds = offeredActions(all, { start: dex2.start, end: dex2.end }, text).map((a) => a.kind);
    assert.deepEqual(kinds, ['add']);
  });

  it('nothing is offered on plain text under an empty cursor', () => {
    assert.deepEqual(offeredActions(all, { start: text.indexOf('binds') + 1, end: text.indexOf('binds') + 1 }, text), []);
  });
});

describe('status bar and type choices', () => {
  it('counts what is left to review', () => {
    const counts = { suggested: 1, accepted: 1, rejected: 1, added: 1 };
    assert.equal(reviewText(counts).text, 'BioM: 1 to review');
    assert.equal(reviewText({ ...counts, suggested: 0 }).text, 'BioM: all reviewed');
    assert.equal(describeCounts(counts), '1 suggested · 1 accepted · 1 added · 1 rejected');
    assert.equal(describeCounts({ ...counts, suggested: 0, added: 0 }), '1 accepted · 1 rejected');
  });

  it('type choices: the model labels without BIO prefixes, then the configured ones, each once', () => {
    assert.deepEqual(typeChoices(['O', 'B-CHEMICAL', 'I-CHEMICAL', 'B-GENE-Y'], ['DISEASE', 'CHEMICAL', ' ']), [
      'CHEMICAL',
      'GENE-Y',
      'DISEASE',
    ]);
  });
});

describe('relation status for the relations panel', () => {
  it('keys each curated relation by its two spans and finds it again by them', () => {
    const state = {
      entities: all,
      relations: [
        { id: 'R1', label: 'CPR:4', chemical: 'T1', gene: 'T2', status: 'accepted' as const },
        { id: 'R2', label: 'CPR:3', chemical: 'T4', gene: 'T2', status: 'suggested' as const },
        { id: 'R3', label: 'CPR:3', chemical: 'T9', gene: 'T2', status: 'suggested' as const },
      ],
    };
    assert.deepEqual(relationStatuses(state), {
      [pairKey(dex, nmda)]: 'accepted',
      [pairKey(aspirin, nmda)]: 'suggested',
    });
    assert.equal(relationBetween(state, aspirin, nmda)?.id, 'R2');
    assert.equal(relationBetween(state, nmda, aspirin), undefined);
    assert.equal(entityWithSpan(all, { start: dex2.start, end: dex2.end })?.id, 'T3');
    assert.equal(entityWithSpan(all, { start: 0, end: 3 }), undefined);
  });
});

describe('biom.curation.relation argument', () => {
  it('takes a uri, two spans and an action; setLabel needs a label; anything else is refused', () => {
    const ok = { uri: 'file:///a.txt', chemical: { start: 0, end: 7 }, gene: { start: 17, end: 22 }, action: 'accept' };
    assert.ok(isRelationCommandArgs(ok));
    assert.ok(isRelationCommandArgs({ ...ok, action: 'setLabel', label: 'CPR:4' }));
    assert.ok(!isRelationCommandArgs({ ...ok, action: 'setLabel' }));
    assert.ok(!isRelationCommandArgs({ ...ok, action: 'delete' }));
    assert.ok(!isRelationCommandArgs({ ...ok, chemical: { start: 5, end: 2 } }));
    assert.ok(!isRelationCommandArgs({ ...ok, gene: { start: '1', end: 2 } }));
    assert.ok(!isRelationCommandArgs(undefined));
    assert.ok(!isRelationCommandArgs('file:///a.txt'));
  });
});
