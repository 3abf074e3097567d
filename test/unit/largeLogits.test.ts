// Scores stay exact when a model's logits are large (real checkpoints can emit logits in the hundreds or thousands):
// models with constant logits, run by onnxruntime on real tokenizers, give scores computed here by hand.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Tokenizer } from 'tokenizers';
import { Engine } from '../../src/core/engine';
import { recognizeEntities } from '../../src/core/tasks/ner';
import { classifyTexts, extractRelations } from '../../src/core/tasks/relations';
import { answerQuestion } from '../../src/core/tasks/qa';
import { bundledModel, fixtureModel } from '../helpers/paths';
import { constantQaModel, constantSequenceClassifier, constantTokenClassifier } from '../helpers/tinyOnnx';

const dir = mkdtempSync(join(tmpdir(), 'biom-logits-'));
const engine = new Engine({ threads: 1 });
after(async () => {
  await engine.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** A model folder with the tokenizer and config of `from` and the given ONNX graph. */
function folderWith(name: string, from: string, onnx: Buffer): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, 'onnx'), { recursive: true });
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) cpSync(join(from, file), join(folder, file));
  writeFileSync(join(folder, 'onnx', 'model.onnx'), onnx);
  return folder;
}

/** softmax of small numbers, by the textbook formula (no overflow possible at these sizes). */
const softmax = (xs: number[]): number[] => xs.map((x) => Math.exp(x) / xs.reduce((s, y) => s + Math.exp(y), 0));

const SENTENCE = 'Gefitinib inhibits EGFR.';

// Planted bug this catches: softmax without subtracting the maximum (exp(1003) is Infinity, every score NaN).
test('NER with logits above 1000: every word is labelled and scored as by softmax of the logit differences', async () => {
  const logits = [1000, 1003, 1000, 1001, 1000]; // O, B-CHEMICAL, I-CHEMICAL, B-GENE, I-GENE
  const folder = folderWith('ner', fixtureModel('ner-electra'), constantTokenClassifier(logits));
  const model = await engine.load({ folder }, 'ner');
  const p = softmax([0, 3, 0, 1, 0])[1];
  const got = await recognizeEntities(model, SENTENCE, { aggregation: 'first' });
  // Every word is its own B-CHEMICAL entity (B- starts a new one).
  assert.deepEqual(
    got.map((e) => [e.label, e.start, e.end, e.text]),
    [
      ['CHEMICAL', 0, 9, 'Gefitinib'],
      ['CHEMICAL', 10, 18, 'inhibits'],
      ['CHEMICAL', 19, 23, 'EGFR'],
      ['CHEMICAL', 23, 24, '.'],
    ],
  );
  for (const e of got) assert.ok(Math.abs(e.score - p) < 1e-9, `score ${e.score}, expected ${p}`);
});

// Planted bug this catches: softmax without subtracting the maximum, in sequence classification.
test('relations with logits above 1000: the label and score are the softmax of the logit differences', async () => {
  const logits = [1000, 1000, 1004, 1000, 1000, 1000]; // false, CPR:3, CPR:4, CPR:5, CPR:6, CPR:9
  const folder = folderWith('re', bundledModel('re-electra'), constantSequenceClassifier(logits));
  const model = await engine.load({ folder }, 'relations');
  const p = softmax([0, 0, 4, 0, 0, 0]);
  const [scores] = await classifyTexts(model, ['@CHEMICAL$ inhibits @GENE$.']);
  assert.deepEqual(
    scores.map((s) => s.label),
    ['CPR:4', 'false', 'CPR:3', 'CPR:5', 'CPR:6', 'CPR:9'],
  );
  assert.ok(Math.abs(scores[0].score - p[2]) < 1e-9 && Math.abs(scores[1].score - p[0]) < 1e-9, JSON.stringify(scores));
  const chemical = { label: 'CHEMICAL', score: 1, start: 0, end: 9, text: 'Gefitinib' };
  const gene = { label: 'GENE', score: 1, start: 19, end: 23, text: 'EGFR' };
  const [relation, ...rest] = await extractRelations(model, SENTENCE, [chemical, gene]);
  assert.equal(rest.length, 0);
  assert.equal(relation.label, 'CPR:4');
  assert.ok(Math.abs(relation.score - p[2]) < 1e-9);
});

// Planted bugs this catches: softmax without the maximum subtracted (NaN scores); softmax over every token instead of
// the context tokens and CLS only (the question tokens would take probability mass: 1/n² instead of 1/(m+1)²).
test('QA with equal logits of 1000: probability is spread over the context tokens and CLS only', async () => {
  const folder = folderWith('qa', bundledModel('qa-albert'), constantQaModel(1000));
  const model = await engine.load({ folder }, 'qa');
  const question = 'What does gefitinib inhibit?';
  const context = 'Gefitinib inhibits EGFR tyrosine kinase activity.';
  // Counted with the tokenizers package directly: the context tokens of the one window.
  const tokenizer = Tokenizer.fromFile(join(folder, 'tokenizer.json'));
  const encoding = await tokenizer.encode(question, context);
  const sequenceIds = encoding.getSequenceIds();
  const contextTokens = sequenceIds.filter((s) => s === 1).length;
  assert.ok(contextTokens >= 5 && contextTokens < sequenceIds.length - 5, `${contextTokens} of ${sequenceIds.length} tokens`);
  const expected = 1 / (contextTokens + 1) ** 2;
  const answers = await answerQuestion(model, question, context, { topK: 3 });
  assert.equal(answers.length, 3);
  for (const a of answers) assert.ok(Math.abs(a.score - expected) / expected < 1e-6, `score ${a.score}, expected ${expected}`);
  // All spans score the same: ties go to the earliest start, then the shortest span.
  const first = sequenceIds.indexOf(1);
  assert.deepEqual(
    answers.map((a) => [a.startToken, a.endToken]),
    [
      [first, first],
      [first, first + 1],
      [first, first + 2],
    ],
  );
  const offsets = encoding.getOffsets();
  assert.equal(answers[2].answer, context.slice(offsets[first][0], offsets[first + 2][1]));
});
