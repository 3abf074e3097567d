// Long texts are read in overlapping windows; where windows cut an entity, the merge keeps the whole mention.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/core/engine';
import { recognizeEntities } from '../../src/core/tasks/ner';
import { fixtureModel } from '../helpers/paths';

const engine = new Engine({ threads: 1 });
after(() => engine.dispose());

const TEXT = 'The epidermal growth factor receptor tyrosine kinase inhibitor gefitinib blocked signalling in lung cancer cells.';
const EXPECTED = [
  ['GENE', 4, 52, 'epidermal growth factor receptor tyrosine kinase'],
  ['CHEMICAL', 63, 72, 'gefitinib'],
];

// Planted bug this catches: of two overlapping entities from neighbouring windows the merge keeps the first (the
// mention cut at the end of a window: "epidermal growth factor") instead of the longer, whole one.
test('windows of 11–13 tokens cut the gene name; the merged result is the whole mention, as in one window', async () => {
  const model = await engine.load({ folder: fixtureModel('ner-electra') }, 'ner');
  const oneWindow = await recognizeEntities(model, TEXT);
  assert.deepEqual(
    oneWindow.map((e) => [e.label, e.start, e.end, e.text]),
    EXPECTED,
  );
  for (const maxLength of [11, 12, 13]) {
    for (const stride of [3, 5, 7]) {
      const windows = await model.tokenizer.encodeWindows(TEXT, maxLength, stride);
      assert.ok(windows.length >= 2, `${maxLength}/${stride}: several windows`);
      const merged = await recognizeEntities(model, TEXT, { maxLength, stride });
      assert.deepEqual(
        merged.map((e) => [e.label, e.start, e.end, e.text]),
        EXPECTED,
        `windows of ${maxLength} tokens, stride ${stride}`,
      );
    }
  }
});
