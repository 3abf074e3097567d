import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Engine } from '../../src/core/engine';
import { classifyTexts } from '../../src/core/tasks/relations';
import { answerQuestion } from '../../src/core/tasks/qa';
import { OffsetMap } from '../../src/core/text/offsets';
import { bundledModel, fixture } from '../helpers/paths';
import { referencePrefix } from '../helpers/referencePrefix';
import { join } from 'node:path';

const engine = new Engine();
after(() => engine.dispose());

test('re-electra: every label score matches the Hugging Face text-classification pipeline (150 sentences)', async () => {
  const golden = JSON.parse(readFileSync(fixture('golden', 're-electra.json'), 'utf8')) as {
    inputs: string[];
    results: { label: string; score: number }[][];
  };
  const model = await engine.load({ folder: bundledModel('re-electra') }, 'relations');
  const got = await classifyTexts(model, golden.inputs);
  assert.equal(got.length, golden.inputs.length);
  got.forEach((labels, i) => {
    assert.deepEqual(labels.map((l) => l.label), golden.results[i].map((l) => l.label), `input ${i} label order`);
    labels.forEach((l, k) => assert.ok(Math.abs(l.score - golden.results[i][k].score) < 1e-4, `input ${i} ${l.label}`));
  });
});

test('qa-albert: answers, spans and scores match the reference post-processing', async () => {
  const golden = JSON.parse(readFileSync(fixture('golden', 'qa-albert.json'), 'utf8')) as {
    params: { top_k: number; doc_stride: number; max_seq_len: number; max_answer_len: number };
    inputs: { question: string; context: string }[];
    results: { score: number; start: number; end: number; answer: string; window: number; start_token: number; end_token: number }[][];
  };
  const model = await engine.load({ folder: bundledModel('qa-albert') }, 'qa');
  const { top_k, doc_stride, max_seq_len, max_answer_len } = golden.params;
  let shortened = 0;
  for (const [i, input] of golden.inputs.entries()) {
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
    const map = new OffsetMap(input.context);
    const want = golden.results[i];
    assert.equal(got.length, want.length, `input ${i} answer count`);
    got.forEach((a, k) => {
      const w = want[k];
      const where = `input ${i} answer ${k}`;
      assert.equal(a.start, map.toUtf16(w.start), `${where} start`);
      assert.equal(a.end, map.toUtf16(w.end), `${where} end`);
      assert.equal(a.answer, w.answer, `${where} text`);
      assert.deepEqual([a.window, a.startToken, a.endToken], [w.window, w.start_token, w.end_token], `${where} tokens`);
      const close = Math.abs(a.score - w.score) < 1e-4 || Math.abs(a.score - w.score) <= 1e-3 * Math.abs(w.score);
      assert.ok(close, `${where} score ${a.score} vs ${w.score}`);
    });
  }
  assert.equal(shortened, 12, 'contexts longer than one window (several windows each)');
});
