import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/core/engine';
import { recognizeEntities } from '../../src/core/tasks/ner';
import type { Aggregation, Entity } from '../../src/core/types';
import { fixtureModel } from '../helpers/paths';
import { referencePrefix } from '../helpers/referencePrefix';
import { goldenNer, type GoldenEntity } from '../helpers/golden';
import { join } from 'node:path';

const engine = new Engine();
// Mutation runs (test/mutation/run.mjs) use the first 6 texts (the 5 hostile ones among them) and one long-text
// aggregation, so each mutant is judged in seconds; npm test uses everything.
const QUICK = process.env.BIOM_MUTATION === '1';
after(() => engine.dispose());

// Expected spans come from the golden file's own UTF-16 offsets, never from the engine's OffsetMap: an offset bug
// (e.g. astral characters mapped to their low surrogate) must not cancel out between expectation and result.
function compare(text: string, got: Entity[], expected: GoldenEntity[], where: string): void {
  const want = expected.map((e) => ({
    label: (e.entity ?? e.entity_group)!,
    start: e.start_utf16,
    end: e.end_utf16,
    text: text.slice(e.start_utf16, e.end_utf16),
    index: e.index,
  }));
  assert.deepEqual(
    got.map((e) => ({ label: e.label, start: e.start, end: e.end, text: e.text, index: e.index })),
    want,
    where,
  );
  got.forEach((e, i) => assert.ok(Math.abs(e.score - expected[i].score) < 1e-4, `${where} #${i} score ${e.score} vs ${expected[i].score}`));
}

for (const name of ['ner-albert', 'ner-electra'] as const) {
  const golden = goldenNer(name);
  test(`${name} golden: entities after astral characters have UTF-16 offsets that differ from their code points`, () => {
    // Without such entities an offset bug after emoji or 𝔾-style letters could not fail the tests below.
    const shifted = Object.values(golden.results)
      .flat(2)
      .filter((e) => e.start_utf16 !== e.start);
    assert.ok(shifted.length >= 20, `${shifted.length} shifted entities`);
    for (const e of shifted) assert.ok(e.start_utf16 > e.start && e.end_utf16 - e.start_utf16 >= e.end - e.start);
  });
  for (const aggregation of ['none', 'simple', 'first', 'average', 'max'] as Aggregation[]) {
    test(`${name} matches the Hugging Face pipeline, aggregation ${aggregation}, ${golden.texts.length} texts`, async () => {
      const model = await engine.load({ folder: fixtureModel(name) }, 'ner');
      for (const [i, text] of golden.texts.slice(0, QUICK ? 6 : undefined).entries()) {
        const got = await recognizeEntities(model, text, { aggregation });
        compare(text, got, golden.results[aggregation][i], `${name} ${aggregation} text ${i}`);
      }
    });
  }
  // The reference's tokenizer (0.23.2) stopped tokenizing after the word that reached 512 tokens (its truncation
  // early exit, huggingface/tokenizers#1990), so its stride windows cover only that prefix of the long text: on the
  // prefix every reference entity must match exactly; on the whole text every window must be annotated.
  for (const aggregation of (Object.keys(golden.long) as Aggregation[]).filter((a) => !QUICK || a === 'max')) {
    test(`${name} long text (stride 64): matches the reference on its prefix, every window annotated, ${aggregation}`, async () => {
      const model = await engine.load({ folder: fixtureModel(name) }, 'ner');
      const text = golden.long_text;
      const prefix = await referencePrefix(join(fixtureModel(name), 'tokenizer.json'), text, model.maxLength);
      assert.ok(prefix.length < text.length / 2, 'the reference saw a prefix only');
      const onPrefix = await recognizeEntities(model, prefix, { aggregation, stride: 64 });
      compare(prefix, onPrefix, golden.long[aggregation], `${name} long ${aggregation} on the reference prefix`);

      const windows = await model.tokenizer.encodeWindows(text, model.maxLength, 64);
      assert.ok(windows.length >= 3, `the long text needs several windows, got ${windows.length}`);
      const strided = await recognizeEntities(model, text, { aggregation, stride: 64 });
      const lastWindowStart = Array.from(text)
        .slice(0, windows[windows.length - 1].offsets[1][0])
        .join('').length;
      assert.ok(
        strided.some((e) => e.start >= lastWindowStart),
        'entities found in the last window',
      );
      for (let i = 1; i < strided.length; i++) assert.ok(strided[i].start >= strided[i - 1].end, 'merged entities do not overlap');
    });
  }
}
