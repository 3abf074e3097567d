import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { goldenQa } from '../helpers/golden';
import { readFileSync } from 'node:fs';
import { Engine } from '../../src/core/engine';
import { classifyTexts } from '../../src/core/tasks/relations';
import { answerQuestion } from '../../src/core/tasks/qa';
import { bundledModel, fixture } from '../helpers/paths';
import { referencePrefix } from '../helpers/referencePrefix';
import { join } from 'node:path';

const engine = new Engine();
// Mutation runs (test/mutation/run.mjs) check 40 RE sentences and 8 questions (3 of them over several windows).
const QUICK = process.env.BIOM_MUTATION === '1';
after(() => engine.dispose());

test('re-electra: every label score matches the Hugging Face text-classification pipeline (150 sentences)', async () => {
  const golden = JSON.parse(readFileSync(fixture('golden', 're-electra.json'), 'utf8')) as {
    inputs: string[];
    results: { label: string; score: number }[][];
  };
  const model = await engine.load({ folder: bundledModel('re-electra') }, 'relations');
  const inputs = golden.inputs.slice(0, QUICK ? 40 : undefined);
  const got = await classifyTexts(model, inputs);
  assert.equal(got.length, inputs.length);
  got.forEach((labels, i) => {
    assert.deepEqual(
      labels.map((l) => l.label),
      golden.results[i].map((l) => l.label),
      `input ${i} label order`,
    );
    labels.forEach((l, k) => assert.ok(Math.abs(l.score - golden.results[i][k].score) < 1e-4, `input ${i} ${l.label}`));
  });
});

test('qa-albert: answers, spans and scores match the reference post-processing', async (t) => {
  const golden = goldenQa();
  const model = await engine.load({ folder: bundledModel('qa-albert') }, 'qa');
  const { top_k, doc_stride, max_seq_len, max_answer_len } = golden.params;
  let shortened = 0;
  let worst = 0;
  const chosen = QUICK ? [...golden.inputs.keys()].filter((i) => i < 5 || i >= golden.inputs.length - 3) : [...golden.inputs.keys()];
  for (const i of chosen) {
    const input = golden.inputs[i];
    // The reference saw only the first ~384 context tokens (its tokenizer's truncation early exit); windows over
    // that prefix must match exactly. Offsets stay valid: it is a prefix.
    const context = await referencePrefix(join(bundledModel('qa-albert'), 'tokenizer.json'), input.context, max_seq_len);
    if (context.length < input.context.length) shortened++;
    const got = await answerQuestion(model, input.question, context, {
      topK: top_k,
      docStride: doc_stride,
      maxSeqLen: max_seq_len,
      maxAnswerLen: max_answer_len,
    });
    const want = golden.results[i];
    assert.equal(got.length, want.length, `input ${i} answer count`);
    got.forEach((a, k) => {
      const w = want[k];
      const where = `input ${i} answer ${k}`;
      assert.equal(a.start, w.start_utf16, `${where} start`);
      assert.equal(a.end, w.end_utf16, `${where} end`);
      assert.equal(a.answer, w.answer, `${where} text`);
      assert.deepEqual([a.window, a.startToken, a.endToken], [w.window, w.start_token, w.end_token], `${where} tokens`);
      // Relative: most reference scores are below 1e-4, so an absolute tolerance could not fail. Measured maximum
      // relative difference 6.2e-6 (ONNX vs PyTorch float32); an unmasked softmax is off by orders of magnitude.
      const relative = Math.abs(a.score - w.score) / w.score;
      worst = Math.max(worst, relative);
      assert.ok(relative <= 1e-5, `${where} score ${a.score} vs ${w.score} (relative difference ${relative})`);
    });
  }
  t.diagnostic(`largest relative score difference ${worst.toExponential(2)}`);
  if (!QUICK) assert.equal(shortened, 12, 'contexts longer than one window (several windows each)');
});
