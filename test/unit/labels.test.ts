// Labels are read in one place: BIO prefixes, entity types and kinds; relations pair token-level ("none") results too.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { entityKind, entityType, isBioLabel, parseLabel } from '../../src/core/labels';
import { softmax } from '../../src/core/math';
import { Engine } from '../../src/core/engine';
import { recognizeEntities, defaultStride } from '../../src/core/tasks/ner';
import { candidatePairs } from '../../src/core/tasks/relations';
import { writeConll } from '../../src/core/formats/conll';
import { bundledModel, chemprotDevAbstracts } from '../helpers/paths';

const engine = new Engine();
after(() => engine.dispose());

test('BIO labels parse into prefix and type; kinds come from the type', () => {
  assert.deepEqual(parseLabel('B-CHEMICAL'), { prefix: 'B', type: 'CHEMICAL' });
  assert.deepEqual(parseLabel('I-GENE-Y'), { prefix: 'I', type: 'GENE-Y' });
  assert.deepEqual(parseLabel('CHEMICAL'), { prefix: undefined, type: 'CHEMICAL' });
  // E-/S- are not BIO: such a label is a type of its own, as models with those labels are refused.
  assert.equal(entityType('S-CHEMICAL'), 'S-CHEMICAL');
  assert.equal(isBioLabel('S-CHEMICAL'), false);
  assert.equal(isBioLabel('I-GENE'), true);
  assert.equal(entityKind('B-CHEMICAL'), 'chemical');
  assert.equal(entityKind('I-GENE-N'), 'gene');
  assert.equal(entityKind('B-DISEASE'), 'other');
});

test('softmax sums to one and keeps the order of the logits', () => {
  const p = softmax(new Float32Array([0, 9, 1, 2, 3]), 1, 3);
  assert.equal(p.length, 3);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(p[0] > p[2] && p[2] > p[1]);
});

test('aggregation "none": the token-level chemicals and genes the editor colours are paired for relations', async () => {
  const ner = await engine.load({ folder: bundledModel('ner-albert') }, 'ner');
  const text = chemprotDevAbstracts()[0];
  const entities = await recognizeEntities(ner, text, { aggregation: 'none', stride: defaultStride('none') });
  assert.ok(entities.some((e) => e.label === 'B-CHEMICAL') && entities.some((e) => e.label.endsWith('-GENE')));
  const pairs = candidatePairs(text, entities);
  assert.ok(pairs.length > 0, 'B-CHEMICAL / B-GENE tokens in one sentence make pairs');
  for (const p of pairs) {
    assert.equal(entityKind(p.chemical.label), 'chemical');
    assert.equal(entityKind(p.gene.label), 'gene');
  }
  // CoNLL reads the same labels: no token is written with a doubled prefix.
  const conll = writeConll([{ id: 'd', text, entities }]);
  assert.doesNotMatch(conll, /\t[BI]-[BI]-/);
  assert.match(conll, /\tB-CHEMICAL/);
});
