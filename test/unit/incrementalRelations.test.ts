// Incremental relations with the real ChemProt model: an edit re-classifies only the pairs of the sentence it touched.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../src/core/engine';
import { ParagraphCache } from '../../src/core/incremental';
import { incrementalRelations, type CachedRelation, type PairClassifier } from '../../src/core/incrementalRelations';
import { candidatePairs, extractRelations, type ClassifierModel } from '../../src/core/tasks/relations';
import { mapSpans } from '../../src/core/text/changes';
import { splitSentences } from '../../src/core/text/sentences';
import type { Entity } from '../../src/core/types';
import { bundledModel, chemprotDevAbstracts, fixture } from '../helpers/paths';

/** Four ChemProt development abstracts as one document (blank line between them) with their gold entities. */
function documentWithEntities(count: number): { text: string; entities: Entity[] } {
  const ids = readFileSync(fixture('chemprot', 'development_abstracts.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t')[0]);
  const texts = chemprotDevAbstracts();
  const rows = readFileSync(fixture('chemprot', 'development_entities.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  let text = '';
  const entities: Entity[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0) text += '\n\n';
    const base = text.length;
    text += texts[i];
    for (const [pmid, , label, start, end, mention] of rows) {
      if (pmid !== ids[i]) continue;
      entities.push({ label, start: base + Number(start), end: base + Number(end), text: mention, score: 1 });
    }
  }
  return { text, entities: entities.sort((a, b) => a.start - b.start || a.end - b.end) };
}

describe('incremental relations (re-electra)', () => {
  const engine = new Engine({ threads: 1 });
  let model: ClassifierModel;
  let classified = 0;
  let classify: PairClassifier;
  before(async () => {
    model = await engine.load({ folder: bundledModel('re-electra') }, 'relations');
    classify = (text, entities, signal) => {
      classified += candidatePairs(text, entities).length;
      return extractRelations(model, text, entities, { signal });
    };
  });
  after(() => engine.dispose());

  it('classifies every pair once, then only the pairs of an edited sentence, with the same results as a full run', async () => {
    const { text, entities } = documentWithEntities(4);
    const cache = new ParagraphCache<CachedRelation>();
    const fractions: number[] = [];
    const cold = await incrementalRelations(text, entities, 're', classify, cache, {
      pairsPerCall: 16,
      onProgress: (d, t) => fractions.push(d / t),
    });
    const allPairs = candidatePairs(text, entities).length;
    assert.ok(allPairs > 20, `${allPairs} pairs`);
    assert.equal(cold.pairs, allPairs);
    assert.equal(cold.pairsRerun, allPairs);
    assert.equal(classified, allPairs);
    assert.deepEqual(cold.relations, await extractRelations(model, text, entities));
    // Progress moves in steps (16 pairs per call), not only at the end.
    assert.ok(fractions.filter((f) => f > 0 && f < 1).length >= 2, `progress ${fractions.join(', ')}`);

    // Same text and entities: nothing goes to the model.
    classified = 0;
    const again = await incrementalRelations(text, entities, 're', classify, cache);
    assert.equal(again.pairsRerun, 0);
    assert.equal(classified, 0);
    assert.deepEqual(again.relations, cold.relations);

    // A word typed into one sentence of the third abstract (before its first mention, so the mentions survive).
    const sentences = splitSentences(text);
    const withPairs = sentences.filter(
      (s) =>
        candidatePairs(
          text,
          entities.filter((e) => e.start >= s.start && e.end <= s.end),
        ).length > 0,
    );
    const target = withPairs[Math.floor(withPairs.length / 2)];
    const first = entities.find((e) => e.start >= target.start && e.end <= target.end);
    assert.ok(first);
    const at = first.start;
    const change = { start: at, end: at, insertedLength: 'recently '.length };
    const edited = `${text.slice(0, at)}recently ${text.slice(at)}`;
    const moved = mapSpans(entities, [change], 'drop').map((e) => ({ ...e, text: edited.slice(e.start, e.end) }));
    assert.equal(moved.length, entities.length);
    const sentencePairs = candidatePairs(
      text,
      entities.filter((e) => e.start >= target.start && e.end <= target.end),
    ).length;
    classified = 0;
    const warm = await incrementalRelations(edited, moved, 're', classify, cache);
    assert.equal(warm.pairsRerun, sentencePairs);
    assert.equal(classified, sentencePairs);
    assert.equal(warm.sentencesRerun, 1);
    assert.deepEqual(warm.relations, await extractRelations(model, edited, moved));

    // Another model key shares nothing.
    classified = 0;
    assert.equal((await incrementalRelations(edited, moved, 'other', classify, cache)).pairsRerun, allPairs);
  });

  it('stops between calls when cancelled and keeps what finished for the next run', async () => {
    const { text, entities } = documentWithEntities(2);
    const cache = new ParagraphCache<CachedRelation>();
    const controller = new AbortController();
    let calls = 0;
    const stopping: PairClassifier = async (t, e, signal) => {
      const out = await classify(t, e, signal);
      if (++calls === 1) controller.abort();
      return out;
    };
    await assert.rejects(
      incrementalRelations(text, entities, 're', stopping, cache, { signal: controller.signal, pairsPerCall: 4 }),
      /cancel/i,
    );
    classified = 0;
    const rest = await incrementalRelations(text, entities, 're', classify, cache, { pairsPerCall: 4 });
    assert.ok(rest.pairsRerun > 0 && rest.pairsRerun < rest.pairs, `${rest.pairsRerun} of ${rest.pairs}`);
    assert.deepEqual(rest.relations, await extractRelations(model, text, entities));
  });
});
