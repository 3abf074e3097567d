import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { WorkerClient, WorkerRequestError } from '../../src/worker/client';
import { Engine } from '../../src/core/engine';
import { recognizeEntities } from '../../src/core/tasks/ner';
import { answerQuestion } from '../../src/core/tasks/qa';
import { CancelledError } from '../../src/core/errors';
import { bundledModel, chemprotDevAbstracts, fixtureModel, root } from '../helpers/paths';
import { expectedSpans, goldenNer, goldenQa, oneWindowQuestions, oneWindowTexts } from '../helpers/golden';

// The TypeScript entry through tsx: no build needed; dist/worker.js is the same code bundled.
const tsWorker = { workerPath: join(root, 'src', 'worker', 'main.ts'), execArgv: ['--import', 'tsx'] };
const ner = { folder: fixtureModel('ner-electra'), quantized: true };
const abstracts = chemprotDevAbstracts();

const logs: string[] = [];
const client = new WorkerClient({
  ...tsWorker,
  settings: { testHooks: true, threads: 1, idleReleaseMs: 1500 },
  hangTimeoutMs: 1500,
  backoffInitialMs: 50,
  onLog: (line) => logs.push(line),
});
const engine = new Engine({ threads: 1 });
after(async () => {
  await client.dispose();
  await engine.dispose();
});

test('results through the worker are identical to in-process results', async () => {
  // fp32: windows of different texts may share calls; int8 models run each text's calls alone (see SharedBatches).
  const fp32 = { ...ner, quantized: false };
  const model = await engine.load(fp32, 'ner');
  const texts = abstracts.slice(0, 3);
  const expected = await Promise.all(texts.map((t) => recognizeEntities(model, t, { stride: 64 })));
  // One text per request: the same model calls as in-process, so every field matches exactly.
  for (let i = 0; i < texts.length; i++) {
    assert.deepEqual(await client.recognizeEntities(fp32, [texts[i]], { stride: 64 }), [expected[i]]);
  }
  // Many texts per request share model calls (more padding): same entities, scores equal to float rounding.
  const shared = await client.recognizeEntities(fp32, texts, { stride: 64 });
  shared.forEach((entities, i) => {
    assert.deepEqual(
      entities.map(({ score: _, ...rest }) => rest),
      expected[i].map(({ score: _, ...rest }) => rest),
    );
    entities.forEach((e, k) => assert.ok(Math.abs(e.score - expected[i][k].score) < 1e-5));
  });
  assert.ok((await client.stats()).sharedCalls > 0, 'windows of different texts shared a model call');
  await client.disposeModel(fp32);
  const int8 = await engine.load(ner, 'ner');
  const expected8 = await Promise.all(texts.map((t) => recognizeEntities(int8, t, { stride: 64 })));
  assert.deepEqual(await client.recognizeEntities(ner, texts, { stride: 64 }), expected8);

  const qa = { folder: bundledModel('qa-albert') };
  const question = 'What does aspirin inhibit?';
  const inProcess = (await answerQuestion(await engine.load(qa, 'qa'), question, abstracts[0])).map(({ answer, score, start, end }) => ({
    answer,
    score,
    start,
    end,
  }));
  assert.deepEqual(await client.answerQuestion(qa, question, abstracts[0]), inProcess);
});

// Independent of the in-process engine: the Hugging Face reference's entities and answers (golden files).
test('results through the worker equal the reference pipeline on one-window golden texts and questions', async () => {
  const golden = goldenNer('ner-electra');
  const indices = await oneWindowTexts('ner-electra', golden);
  assert.ok(indices.length >= 10, `${indices.length} one-window texts`);
  const fp32 = { ...ner, quantized: false };
  const got = await client.recognizeEntities(
    fp32,
    indices.map((i) => golden.texts[i]),
    { aggregation: 'simple', stride: 64 },
  );
  indices.forEach((i, k) => {
    const want = golden.results.simple[i];
    assert.deepEqual(
      got[k].map((e) => [e.label, e.start, e.end]),
      expectedSpans(want),
      `text ${i}`,
    );
    got[k].forEach((e, j) => assert.ok(Math.abs(e.score - want[j].score) < 1e-4, `text ${i} entity ${j} score`));
  });
  await client.disposeModel(fp32);

  const qaGolden = goldenQa();
  const questions = await oneWindowQuestions(qaGolden, join(bundledModel('qa-albert'), 'tokenizer.json'));
  assert.ok(questions.length >= 10, `${questions.length} one-window questions`);
  const qa = { folder: bundledModel('qa-albert') };
  for (const i of questions.slice(0, 5)) {
    const { question, context } = qaGolden.inputs[i];
    const answers = await client.answerQuestion(qa, question, context, { topK: qaGolden.params.top_k });
    const want = qaGolden.results[i];
    assert.deepEqual(
      answers.map((a) => [a.answer, a.start, a.end]),
      want.map((w) => [w.answer, w.start_utf16, w.end_utf16]),
      `question ${i}`,
    );
    answers.forEach((a, k) => assert.ok(Math.abs(a.score - want[k].score) / want[k].score < 1e-5, `question ${i} answer ${k} score`));
  }
});

test('a model error is reported as kind "model", naming the folder', async () => {
  const error = await client.recognizeEntities({ folder: bundledModel('qa-albert') }, ['x']).catch((e: unknown) => e);
  assert.ok(error instanceof WorkerRequestError);
  assert.equal(error.kind, 'model');
  assert.match(error.message, /qa-albert/);
});

test('killing the worker mid-request: the request is retried once on a fresh worker and succeeds', async () => {
  const texts = abstracts.slice(0, 12);
  const before = client.restarts;
  let killed = false;
  const result = await client.recognizeEntities(
    ner,
    texts,
    { batchSize: 1 },
    {
      onProgress: () => {
        if (!killed && client.pid) {
          killed = true;
          process.kill(client.pid, 'SIGKILL');
        }
      },
    },
  );
  assert.ok(killed);
  assert.equal(client.restarts, before + 1);
  assert.equal(result.length, texts.length);
  const model = await engine.load(ner, 'ner');
  assert.deepEqual(
    result[5].map((e) => [e.start, e.end, e.label]),
    (await recognizeEntities(model, texts[5])).map((e) => [e.start, e.end, e.label]),
  );
});

test('a request that crashes the worker every time fails cleanly; the next request succeeds', async () => {
  const before = client.restarts;
  const error = await client.request({ kind: 'debug-crash' }).catch((e: unknown) => e);
  assert.ok(error instanceof WorkerRequestError);
  assert.equal(error.kind, 'crash');
  assert.match(error.message, /stopped while running "debug-crash".*SIGKILL.*retried once/s);
  assert.equal(client.restarts, before + 2);
  assert.equal(typeof (await client.ping()).pid, 'number');
});

test('a hung worker is killed by the watchdog and restarted', async () => {
  const started = Date.now();
  const error = await client.request({ kind: 'debug-hang' }).catch((e: unknown) => e);
  assert.ok(error instanceof WorkerRequestError);
  assert.equal(error.kind, 'crash');
  assert.match(error.message, /hung/);
  assert.ok(Date.now() - started < 15_000);
  assert.deepEqual((await client.recognizeEntities(ner, ['Aspirin inhibits COX-2.'])).length, 1);
});

test('a request over its time limit is failed and the worker restarted, not retried', async () => {
  const before = client.restarts;
  const error = await client.request({ kind: 'debug-hang' }, { timeoutMs: 300 }).catch((e: unknown) => e);
  assert.ok(error instanceof WorkerRequestError);
  assert.match(error.message, /time limit/);
  assert.equal(client.restarts, before + 1);
  await client.ping();
});

test('cancelling stops the work in the worker', async () => {
  await client.recognizeEntities(ner, ['warm up']);
  const base = await client.stats();
  const controller = new AbortController();
  const texts = abstracts.slice(0, 60);
  const started = Date.now();
  const pending = client.recognizeEntities(
    ner,
    texts,
    { batchSize: 1 },
    { signal: controller.signal, onProgress: () => controller.abort() },
  );
  await assert.rejects(pending, CancelledError);
  assert.ok(Date.now() - started < 10_000);
  await new Promise((r) => setTimeout(r, 300));
  const afterCancel = await client.stats();
  await new Promise((r) => setTimeout(r, 300));
  const later = await client.stats();
  assert.ok(
    afterCancel.rowsRun - base.rowsRun < texts.length,
    `ran ${afterCancel.rowsRun - base.rowsRun} windows of at least ${texts.length}`,
  );
  assert.equal(later.modelCalls, afterCancel.modelCalls, 'no model calls after the cancel settled');
});

test('idle sessions are released and reloaded lazily', async () => {
  await client.recognizeEntities(ner, ['Aspirin.']);
  const loaded = await client.stats();
  assert.equal(loaded.loadedModels.length, 1);
  await new Promise((r) => setTimeout(r, 2600));
  assert.deepEqual((await client.stats()).loadedModels, []);
  await client.recognizeEntities(ner, ['Aspirin.']);
  assert.equal((await client.stats()).modelLoads, loaded.modelLoads + 1);
});

test('debug requests are refused by a worker not started for tests', async () => {
  const plain = new WorkerClient({ ...tsWorker });
  try {
    const error = await plain.request({ kind: 'debug-crash' }).catch((e: unknown) => e);
    assert.ok(error instanceof WorkerRequestError);
    assert.equal(error.kind, 'input');
  } finally {
    await plain.dispose();
  }
});
