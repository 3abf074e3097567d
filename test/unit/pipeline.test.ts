// The core pipeline: word-level strategies never show part of a word; merging and the minScore filter.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Engine } from '../../src/core/engine';
import { findEntities, isWordLevel, localNerSource, mergeEntities, shownEntities, snapToWords } from '../../src/core/pipeline';
import { AGGREGATIONS, type Entity } from '../../src/core/types';
import { bundledModel, chemprotDevAbstracts, fixtureModel } from '../helpers/paths';

const engine = new Engine({ threads: 1 });
after(() => engine.dispose());

const WORD = /[\p{L}\p{N}\p{M}]/u;
const cutsWord = (text: string, e: Entity): boolean =>
  (WORD.test(text[e.start - 1] ?? '') && WORD.test(text[e.start] ?? '')) ||
  (WORD.test(text[e.end - 1] ?? '') && WORD.test(text[e.end] ?? ''));

test('snapToWords widens a span cut inside a word to the whole word', () => {
  const text = 'Binding of dextrorphan to receptors.';
  const start = text.indexOf('trorphan');
  const [e] = snapToWords(text, [{ label: 'CHEMICAL', score: 0.9, start, end: start + 8, text: 'trorphan' }]);
  assert.deepEqual([e.start, e.end, e.text], [text.indexOf('dextrorphan'), text.indexOf(' to'), 'dextrorphan']);
  const whole = { label: 'GENE', score: 0.9, start: 26, end: 35, text: 'receptors' };
  assert.equal(snapToWords(text, [whole])[0], whole, 'a whole word is left as it is');
});

test('first, average and max never show a span that starts or ends inside a word (20 abstracts, both tokenizers)', async () => {
  const texts = chemprotDevAbstracts().slice(0, 20);
  let cutBySimple = 0;
  for (const folder of [bundledModel('ner-albert'), fixtureModel('ner-electra')]) {
    const model = await engine.load({ folder }, 'ner');
    for (const aggregation of AGGREGATIONS) {
      const source = localNerSource(model, { folder }, aggregation);
      for (const text of texts) {
        const { entities } = await findEntities(text, [source], { aggregation });
        const cut = entities.filter((e) => cutsWord(text, e));
        if (isWordLevel(aggregation)) assert.deepEqual(cut, [], `${aggregation} on ${folder}`);
        else if (aggregation === 'simple') cutBySimple += cut.length;
        for (const e of entities) assert.equal(text.slice(e.start, e.end), e.text);
      }
    }
  }
  // The rule matters: the token-level grouping does cut words on this text, which is why it is not the default.
  assert.ok(cutBySimple > 0);
});

test('merging keeps the higher score where mentions overlap; minScore keeps what reaches it', () => {
  const e = (start: number, end: number, score: number, model: string) => ({
    label: 'CHEMICAL',
    score,
    start,
    end,
    text: 'x'.repeat(end - start),
    model,
  });
  const merged = mergeEntities([
    [e(0, 5, 0.6, 'a'), e(10, 12, 0.9, 'a')],
    [e(3, 8, 0.7, 'b'), e(20, 22, 0.4, 'b')],
  ]);
  assert.deepEqual(
    merged.map((m) => [m.start, m.model]),
    [
      [3, 'b'],
      [10, 'a'],
      [20, 'b'],
    ],
  );
  assert.deepEqual(
    shownEntities(merged, 0.5).map((m) => m.start),
    [3, 10],
  );
});
