// Task options, errors and rules that the golden files do not exercise, on real tokenizers with models whose logits
// are known constants (expected scores by hand) or the bundled models.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Tokenizer } from 'tokenizers';
import { Engine } from '../../src/core/engine';
import { CancelledError, InputError, ModelError } from '../../src/core/errors';
import { DEFAULT_STRIDE, defaultStride, recognizeEntities } from '../../src/core/tasks/ner';
import { CHEMPROT_CLASSES, candidatePairs, classifyTexts, extractRelations } from '../../src/core/tasks/relations';
import { answerQuestion } from '../../src/core/tasks/qa';
import type { Entity } from '../../src/core/types';
import { bundledModel, fixtureModel } from '../helpers/paths';
import { constantQaModel, constantSequenceClassifier, constantTokenClassifier } from '../helpers/tinyOnnx';

const dir = mkdtempSync(join(tmpdir(), 'biom-tasks-'));
const engine = new Engine({ threads: 1 });
after(async () => {
  await engine.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function folderWith(name: string, from: string, onnx: Buffer, config?: (c: Record<string, unknown>) => void): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, 'onnx'), { recursive: true });
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) cpSync(join(from, file), join(folder, file));
  if (config) {
    const c = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
    config(c);
    writeFileSync(join(folder, 'config.json'), JSON.stringify(c));
  }
  writeFileSync(join(folder, 'onnx', 'model.onnx'), onnx);
  return folder;
}

const SENTENCE = 'Gefitinib inhibits EGFR tyrosine kinase activity in NSCLC cells.';
const entity = (text: string, label: string, mention: string, from = 0): Entity => {
  const start = text.indexOf(mention, from);
  return { label, score: 1, start, end: start + mention.length, text: mention };
};

test('NER options: the default stride, and clear errors for a stride with "none" or outside the window', async () => {
  assert.equal(DEFAULT_STRIDE, 64);
  assert.equal(defaultStride('none'), undefined);
  for (const a of ['simple', 'first', 'average', 'max'] as const) assert.equal(defaultStride(a), 64);
  const model = await engine.load({ folder: bundledModel('ner-albert') }, 'ner');
  await assert.rejects(
    recognizeEntities(model, 'x', { aggregation: 'none', stride: 8 }),
    (e: unknown) => e instanceof InputError && /needs an aggregation other than "none"/.test(e.message),
  );
  for (const stride of [-1, 1.5, 510, 600]) {
    await assert.rejects(
      recognizeEntities(model, 'x', { stride }),
      (e: unknown) =>
        e instanceof InputError && e.message === `stride must be an integer from 0 to 509 (windows hold 510 text tokens), got ${stride}`,
    );
  }
  await assert.rejects(recognizeEntities(model, 'x', { maxLength: 20, stride: 18 }), /from 0 to 17 \(windows hold 18 text tokens\)/);
  assert.ok((await recognizeEntities(model, SENTENCE, { stride: 509 })).length > 0, 'the widest stride is allowed');
  assert.ok((await recognizeEntities(model, SENTENCE, { stride: 0 })).length > 0, 'stride 0 is allowed');
  // A window longer than the model's own maximum is cut to it.
  assert.deepEqual(await recognizeEntities(model, SENTENCE, { maxLength: 100_000 }), await recognizeEntities(model, SENTENCE));
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(recognizeEntities(model, SENTENCE, { signal: controller.signal }), CancelledError);
});

test('NER: every window of a long text is classified, whatever the batch size; a model with the wrong class count is refused', async () => {
  const model = await engine.load({ folder: fixtureModel('ner-electra') }, 'ner');
  const text = Array.from({ length: 12 }, () => SENTENCE).join(' ');
  const reference = await recognizeEntities(model, text, { maxLength: 32, stride: 8, batchSize: 1 });
  assert.ok(reference.filter((e) => e.text === 'Gefitinib').length === 12, 'every sentence annotated');
  for (const batchSize of [2, 3, 64]) {
    const got = await recognizeEntities(model, text, { maxLength: 32, stride: 8, batchSize });
    assert.deepEqual(
      got.map((e) => [e.label, e.start, e.end]),
      reference.map((e) => [e.label, e.start, e.end]),
      `batch ${batchSize}`,
    );
  }
  // A wrong class count is refused when the folder loads (one sample run), naming the folder, before any text is read.
  await assert.rejects(
    engine.load({ folder: folderWith('ner3', fixtureModel('ner-electra'), constantTokenClassifier([0, 1, 2])) }, 'ner'),
    (e: Error) => e instanceof ModelError && /ner3: .*shape \[1, \d+, 3\], expected \[1, \d+, 5\] for 5 labels/.test(e.message),
  );
});

test('NER aggregation "simple" with every token I-CHEMICAL: one entity over the whole text, score by hand', async () => {
  const folder = folderWith('ner-i', fixtureModel('ner-electra'), constantTokenClassifier([0, 0, 2, 0, 1]));
  const model = await engine.load({ folder }, 'ner');
  const p = Math.exp(2) / (Math.exp(2) + Math.exp(1) + 3);
  const [one, ...rest] = await recognizeEntities(model, SENTENCE, { aggregation: 'simple' });
  assert.equal(rest.length, 0);
  assert.deepEqual([one.label, one.start, one.end], ['CHEMICAL', 0, SENTENCE.length]);
  assert.ok(Math.abs(one.score - p) < 1e-7);
  // "none": one entity per token, labelled with its B-/I- label and its index in the window (CLS is 0).
  const tokens = await recognizeEntities(model, 'EGFR binds', { aggregation: 'none' });
  assert.deepEqual(
    tokens.map((e) => [e.label, e.text, e.index]),
    [
      ['I-CHEMICAL', 'EGFR', 1],
      ['I-CHEMICAL', 'binds', 2],
    ],
  );
});

test('NER: equal best scores go to the first label, as numpy argmax does', async () => {
  const folder = folderWith('ner-tie', fixtureModel('ner-electra'), constantTokenClassifier([1000, 1003, 1000, 1003, 1000]));
  const model = await engine.load({ folder }, 'ner');
  const p = Math.exp(3) / (2 * Math.exp(3) + 3);
  for (const aggregation of ['simple', 'first', 'average', 'max'] as const) {
    const got = await recognizeEntities(model, 'EGFR binds', { aggregation });
    assert.deepEqual(
      got.map((e) => [e.label, e.text]),
      [
        ['CHEMICAL', 'EGFR'],
        ['CHEMICAL', 'binds'],
      ],
      aggregation,
    );
    for (const e of got) assert.ok(Math.abs(e.score - p) < 1e-9, `${aggregation} ${e.score}`);
  }
});

test('NER with nothing to find: an empty text, and a long text over several windows where every token is O', async () => {
  const model = await engine.load(
    { folder: folderWith('ner-o', fixtureModel('ner-electra'), constantTokenClassifier([5, 0, 0, 0, 0])) },
    'ner',
  );
  assert.deepEqual(await recognizeEntities(model, ''), []);
  assert.deepEqual(await recognizeEntities(model, SENTENCE.repeat(8), { maxLength: 16, stride: 4 }), []);
});

test('QA options: an empty question and a bad top-k are input errors; the answer length is capped; output names', async () => {
  const folder = folderWith('qa', bundledModel('qa-albert'), constantQaModel(3));
  const model = await engine.load({ folder }, 'qa');
  await assert.rejects(
    answerQuestion(model, ' \n', SENTENCE),
    (e: unknown) => e instanceof InputError && e.message === 'the question is empty',
  );
  for (const topK of [0, -1, 1.5]) {
    await assert.rejects(
      answerQuestion(model, 'Why?', SENTENCE, { topK }),
      (e: unknown) => e instanceof InputError && e.message === `top-k must be a positive integer, got ${topK}`,
    );
  }
  const question = 'What does gefitinib inhibit?';
  const encoding = await Tokenizer.fromFile(join(folder, 'tokenizer.json')).encode(question, SENTENCE);
  const sequenceIds = encoding.getSequenceIds();
  const first = sequenceIds.indexOf(1);
  const m = sequenceIds.filter((s) => s === 1).length;
  const expected = 1 / (m + 1) ** 2;
  // maxAnswerLen 1: only one-token answers, in token order (equal scores).
  const single = await answerQuestion(model, question, SENTENCE, { topK: 4, maxAnswerLen: 1 });
  assert.deepEqual(
    single.map((a) => [a.startToken, a.endToken]),
    [0, 1, 2, 3].map((k) => [first + k, first + k]),
  );
  for (const a of single) assert.ok(Math.abs(a.score - expected) / expected < 1e-6);
  // A window longer than the model allows is cut to the model's maximum.
  assert.deepEqual(
    await answerQuestion(model, question, SENTENCE, { maxSeqLen: 100_000 }),
    await answerQuestion(model, question, SENTENCE, { maxSeqLen: 512 }),
  );
  // Default: 3 answers; maxAnswerLen 2 allows spans of two tokens.
  assert.equal((await answerQuestion(model, question, SENTENCE)).length, 3);
  const two = await answerQuestion(model, question, SENTENCE, { topK: 3, maxAnswerLen: 2 });
  assert.deepEqual(
    two.map((a) => [a.startToken, a.endToken]),
    [
      [first, first],
      [first, first + 1],
      [first + 1, first + 1],
    ],
  );
  // Every span of a short context fits: m·(m+1)/2 answers at most.
  assert.equal(
    (await answerQuestion(model, question, 'EGFR binds.', { topK: 1000 })).length,
    ((k) => (k * (k + 1)) / 2)(
      (await Tokenizer.fromFile(join(folder, 'tokenizer.json')).encode(question, 'EGFR binds.')).getSequenceIds().filter((s) => s === 1)
        .length,
    ),
  );

  // Outputs are found by name (start/end anywhere in it), else the first two; one output is an error.
  const named = await engine.load(
    { folder: folderWith('qa-named', bundledModel('qa-albert'), constantQaModel(3, ['span_end', 'span_start'])) },
    'qa',
  );
  assert.deepEqual(
    (await answerQuestion(named, question, SENTENCE)).map((a) => a.score),
    (await answerQuestion(model, question, SENTENCE)).map((a) => a.score),
  );
  const plain = await engine.load({ folder: folderWith('qa-plain', bundledModel('qa-albert'), constantQaModel(3, ['a', 'b'])) }, 'qa');
  assert.equal((await answerQuestion(plain, question, SENTENCE)).length, 3);
  await assert.rejects(
    engine.load({ folder: folderWith('qa-one', bundledModel('qa-albert'), constantQaModel(3, ['logits'])) }, 'qa'),
    (e: Error) => e instanceof ModelError && /qa-one: .*a QA model needs start and end logits/.test(e.message),
  );
});

test('QA over several windows: every window is read (batch sizes 1 and 4 agree), offsets stay inside the context', async () => {
  // Equal logits: a window's spans score 1/(m+1)² for its m context tokens, so the last, shortest window wins.
  const model = await engine.load({ folder: folderWith('qa-windows', bundledModel('qa-albert'), constantQaModel(0)) }, 'qa');
  const context = Array.from({ length: 30 }, (_, i) => `Compound ${i} inhibits kinase ${i}.`).join(' ');
  const options = { maxSeqLen: 64, docStride: 16, topK: 5 };
  const one = await answerQuestion(model, 'What inhibits kinase 29?', context, { ...options, batchSize: 1 });
  const four = await answerQuestion(model, 'What inhibits kinase 29?', context, { ...options, batchSize: 4 });
  assert.deepEqual(four, one);
  assert.ok(one[0].window >= 4, `best answer from window ${one[0].window}`);
  assert.ok(one.every((a) => a.window === one[0].window));
  assert.ok(one[0].start > context.length * 0.75, `the last window starts near the end (${one[0].start} of ${context.length})`);
  for (const a of one) assert.equal(context.slice(a.start, a.end), a.answer);
  const real = await engine.load({ folder: bundledModel('qa-albert') }, 'qa');
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(answerQuestion(real, 'Why?', context, { signal: controller.signal }), CancelledError);
});

test('relation pairs: chemical and gene types by name, touching mentions pair, overlapping ones do not', () => {
  const text = 'Aspirin-COX-2 and caffeine bind A2A; statin HMGCR.';
  const aspirin = entity(text, 'CHEMICAL', 'Aspirin');
  const cox = entity(text, 'GENE-Y', 'COX-2');
  const pairs = candidatePairs(text, [
    aspirin,
    cox,
    entity(text, 'chemical', 'caffeine'),
    entity(text, 'Protein', 'A2A'),
    entity(text, 'gene_or_gene_product', 'HMGCR'),
    entity(text, 'DISEASE', 'statin'),
    entity(text, 'GENES', 'bind'),
  ]);
  assert.deepEqual(
    pairs.map((p) => [p.chemical.text, p.gene.text]),
    [
      ['Aspirin', 'COX-2'],
      ['Aspirin', 'A2A'],
      ['Aspirin', 'HMGCR'],
      ['caffeine', 'COX-2'],
      ['caffeine', 'A2A'],
      ['caffeine', 'HMGCR'],
    ],
  );
  assert.equal(pairs[0].marked, '@CHEMICAL$-@GENE$ and caffeine bind A2A; statin HMGCR.');
  assert.equal(pairs[4].marked, 'Aspirin-COX-2 and @CHEMICAL$ bind @GENE$; statin HMGCR.');
  for (const gene of ['GENE', 'GENE-N', 'gene-y', 'PROTEIN'])
    assert.equal(candidatePairs(text, [aspirin, { ...cox, label: gene }]).length, 1, gene);
  for (const other of ['GENEX', 'XGENE', 'CHEMICALS', 'O'])
    assert.equal(candidatePairs(text, [aspirin, { ...cox, label: other }]).length, 0, other);
  // Overlapping or nested mentions never pair; a gene before the chemical is marked in text order.
  assert.equal(candidatePairs(text, [aspirin, { ...cox, start: 6, end: 13 }]).length, 0);
  assert.equal(candidatePairs(text, [aspirin, { ...cox, start: 2, end: 4 }]).length, 0);
  assert.equal(
    candidatePairs(text, [
      { ...aspirin, start: 8, end: 13 },
      { ...cox, start: 0, end: 7 },
    ])[0].marked,
    '@GENE$-@CHEMICAL$ and caffeine bind A2A; statin HMGCR.',
  );
  assert.deepEqual(candidatePairs('', []), []);
  assert.deepEqual(Object.keys(CHEMPROT_CLASSES), ['CPR:3', 'CPR:4', 'CPR:5', 'CPR:6', 'CPR:9']);
  assert.equal(CHEMPROT_CLASSES['CPR:4'], 'inhibits / downregulates');
});

test('classifyTexts: batch size does not change results; empty input; wrong class count is refused; a negative label drops', async () => {
  const model = await engine.load({ folder: bundledModel('re-electra') }, 'relations');
  const texts = [
    '@CHEMICAL$ inhibits @GENE$.',
    'Levels of @CHEMICAL$ and @GENE$ were normal in a much longer sentence than the first.',
    '@GENE$ is activated by @CHEMICAL$.',
  ];
  const reference = await classifyTexts(model, texts, { batchSize: 1 });
  assert.equal(reference.length, 3);
  for (const batchSize of [2, 16]) {
    const got = await classifyTexts(model, texts, { batchSize });
    got.forEach((labels, i) =>
      labels.forEach((l, k) => assert.ok(l.label === reference[i][k].label && Math.abs(l.score - reference[i][k].score) < 1e-5)),
    );
  }
  for (const labels of reference) for (let k = 1; k < labels.length; k++) assert.ok(labels[k - 1].score >= labels[k].score);
  assert.deepEqual(await classifyTexts(model, []), []);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(classifyTexts(model, texts, { signal: controller.signal }), CancelledError);

  await assert.rejects(
    engine.load({ folder: folderWith('re4', bundledModel('re-electra'), constantSequenceClassifier([0, 1, 2, 3])) }, 'relations'),
    (e: Error) => e instanceof ModelError && /re4: .*shape \[1, 4\], expected \[1, 6\] for 6 labels/.test(e.message),
  );

  const text = 'Aspirin inhibits COX-2.';
  const pair = [entity(text, 'CHEMICAL', 'Aspirin'), entity(text, 'GENE', 'COX-2')];
  const noRelation = await engine.load(
    {
      folder: folderWith(
        're-none',
        bundledModel('re-electra'),
        constantSequenceClassifier([2, 1]),
        (c) => (c.id2label = { 0: 'no_relation', 1: 'CPR:4' }),
      ),
    },
    'relations',
  );
  assert.deepEqual(await extractRelations(noRelation, text, pair), []);
  const kept = await extractRelations(noRelation, text, pair, { includeNegative: true });
  assert.deepEqual(
    kept.map((r) => [r.label, r.chemical.text, r.gene.text, r.sentence]),
    [['no_relation', 'Aspirin', 'COX-2', { start: 0, end: text.length }]],
  );
  assert.ok(Math.abs(kept[0].score - Math.exp(2) / (Math.exp(2) + Math.exp(1))) < 1e-9);
});
