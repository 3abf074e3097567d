// Per-file session options, int8 `auto`, device fallback, length-bucketed batching and fast NER on real models.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Engine } from '../../src/core/engine';
import { ModelSession } from '../../src/core/runtime/onnxSession';
import { devicePlan, LARGE_MODEL_BYTES, prepackFor, useInt8 } from '../../src/core/runtime/sessionPolicy';
import { sessionOptionsFor } from '../../src/core/models/contract';
import { lengthBatches } from '../../src/core/tasks/buckets';
import { computePerToken, describeSpeed, folderComputePerToken, secondsPerAbstract } from '../../src/core/runtime/speedEstimate';
import { recognizeEntities } from '../../src/core/tasks/ner';
import { classifyTexts } from '../../src/core/tasks/relations';
import { splitSentences } from '../../src/core/text/sentences';
import { readConfig } from '../../src/extension/config';
import { modelRef } from '../../src/extension/models/modelRefs';
import { bundledModel, chemprotDevAbstracts } from '../helpers/paths';
import { biom } from '../helpers/cli';

const engine = new Engine({ threads: 1 });
after(() => engine.dispose());

test('pre-packing per file: on for int8 and small fp32 files, off for large fp32 (ALBERT or not)', () => {
  const MB = 1024 * 1024;
  assert.equal(prepackFor({ modelType: 'albert', quantized: true, bytes: 219 * MB }), true);
  assert.equal(prepackFor({ modelType: 'albert', quantized: false, bytes: 823 * MB }), false);
  assert.equal(prepackFor({ modelType: 'electra', quantized: false, bytes: 1300 * MB }), false);
  assert.equal(prepackFor({ modelType: 'albert', quantized: false, bytes: 8 * MB }), true);
  // The real bundled files: the 8 MB ALBERT now keeps onnxruntime's default instead of the old "off for every ALBERT".
  const fp32 = join(bundledModel('ner-albert'), 'onnx', 'model.onnx');
  assert.equal(sessionOptionsFor('albert', { path: fp32, quantized: false }).disablePrepacking, false);
});

test('quantized "auto" runs int8 only for large models that ship it; true/false as before', () => {
  assert.equal(useInt8('auto', { hasInt8: true, fp32Bytes: LARGE_MODEL_BYTES }), true);
  assert.equal(useInt8('auto', { hasInt8: true, fp32Bytes: LARGE_MODEL_BYTES - 1 }), false);
  assert.equal(useInt8('auto', { hasInt8: false, fp32Bytes: 10 * LARGE_MODEL_BYTES }), false);
  assert.equal(useInt8(true, { hasInt8: true, fp32Bytes: 1 }), true);
  assert.equal(useInt8(false, { hasInt8: true, fp32Bytes: 10 * LARGE_MODEL_BYTES }), false);
  // The bundled NER model has both files and is small: auto keeps fp32 (golden parity), true picks int8.
  assert.equal(modelRef(bundledModel('ner-albert'), 'auto').quantized, false);
  assert.equal(modelRef(bundledModel('ner-albert'), true).quantized, true);
  assert.equal(readConfig({ get: () => undefined }).runtime.quantized, 'auto');
  assert.equal(readConfig({ get: (k) => (k === 'runtime.quantized' ? true : undefined) as never }).runtime.quantized, true);
});

test('device plan: providers the npm binaries ship per platform, CPU last; others named in the message', () => {
  const linux = [
    { name: 'cpu', bundled: true },
    { name: 'cuda', bundled: false },
  ];
  assert.deepEqual(devicePlan('cuda', 'linux-x64', linux).providers, ['cuda', 'cpu']);
  assert.deepEqual(devicePlan('auto', 'linux-x64', linux).providers, ['cpu']);
  const dml = devicePlan('dml', 'linux-x64', linux);
  assert.deepEqual(dml.providers, ['cpu']);
  assert.match(dml.unavailable ?? '', /no dml provider on linux-x64/);
  assert.deepEqual(
    devicePlan('coreml', 'darwin-arm64', [
      { name: 'cpu', bundled: true },
      { name: 'coreml', bundled: true },
    ]).providers,
    ['coreml', 'cpu'],
  );
});

test('a device that cannot load (cuda here, no CUDA provider installed) falls back to the CPU with one message', async () => {
  const path = join(bundledModel('ner-albert'), 'onnx', 'model.onnx');
  const session = await ModelSession.load(bundledModel('ner-albert'), path, { threads: 1, device: 'cuda' });
  try {
    assert.equal(session.device, 'cpu');
    assert.match(session.deviceNote ?? '', /runs on the CPU: the cuda device could not be used/);
    const out = await session.run([{ ids: [2, 100, 3], typeIds: [0, 0, 0] }], 0);
    assert.equal(out[session.outputNames[0]].dims[0], 1);
  } finally {
    await session.release();
  }
  const cpu = await ModelSession.load(bundledModel('ner-albert'), path, { threads: 1, device: 'cpu' });
  assert.equal(cpu.deviceNote, undefined);
  await cpu.release();
});

test('CLI --device cuda: same entities as the CPU, one "biom:" line on stderr; a bad name is a usage error', () => {
  const text = 'Aspirin inhibits COX-2 in humans.';
  const cuda = biom(['ner', '--device', 'cuda'], text);
  const cpu = biom(['ner'], text);
  assert.equal(cuda.code, 0, cuda.stderr);
  assert.deepEqual(JSON.parse(cuda.stdout), JSON.parse(cpu.stdout));
  const lines = cuda.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, cuda.stderr);
  assert.match(lines[0], /^biom: BioM runs on the CPU: the cuda device could not be used/);
  const bad = biom(['ner', '--device', 'tpu'], text);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--device must be one of auto, cpu, cuda, dml, coreml, webgpu/);
});

test('lengthBatches: every row once, similar lengths together, batch size respected', () => {
  const lengths = [512, 20, 510, 22, 300, 21, 512, 19];
  const batches = lengthBatches(lengths, 3);
  assert.deepEqual(
    batches.flat().sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
  for (const b of batches) assert.ok(b.length <= 3);
  // Padding stays under 1.3x the real tokens per batch, so no 20-token row is padded to 500+ tokens.
  for (const b of batches) {
    const ls = b.map((i) => lengths[i]);
    assert.ok(b.length * Math.max(...ls) <= 1.3 * ls.reduce((x, y) => x + y, 0), `batch ${ls}`);
  }
  assert.deepEqual(batches[0], [7, 1, 5]);
});

test('bucketed NER and relations return results in input order, equal to one-at-a-time runs', async () => {
  const ner = await engine.load({ folder: bundledModel('ner-albert') }, 'ner');
  const texts = chemprotDevAbstracts().slice(0, 3);
  const long = texts.join(' ').repeat(3);
  // A long text: full windows plus a short last one, batched by length; same as batch size 1.
  const batched = await recognizeEntities(ner, long, { stride: 64, batchSize: 8 });
  const single = await recognizeEntities(ner, long, { stride: 64, batchSize: 1 });
  assert.deepEqual(
    batched.map((e) => [e.start, e.end, e.label]),
    single.map((e) => [e.start, e.end, e.label]),
  );
  batched.forEach((e, i) => assert.ok(Math.abs(e.score - single[i].score) < 1e-4));
  const re = await engine.load({ folder: bundledModel('re-electra') }, 'relations');
  const marked = [
    '@CHEMICAL$ inhibits @GENE$.',
    `A much longer sentence where @CHEMICAL$ was ${'shown '.repeat(40)}to bind @GENE$.`,
    '@GENE$ and @CHEMICAL$',
  ];
  const together = await classifyTexts(re, marked, { batchSize: 16 });
  for (const [i, m] of marked.entries()) {
    const [alone] = await classifyTexts(re, [m]);
    assert.equal(together[i][0].label, alone[0].label);
    assert.ok(Math.abs(together[i][0].score - alone[0].score) < 1e-4);
  }
});

test('fast NER mode: each sentence annotated on its own, offsets into the whole text', async () => {
  const ner = await engine.load({ folder: bundledModel('ner-albert') }, 'ner');
  const text = chemprotDevAbstracts()[0];
  const fast = await recognizeEntities(ner, text, { stride: 64, mode: 'fast' });
  assert.ok(fast.length > 0);
  for (const e of fast) assert.equal(text.slice(e.start, e.end), e.text);
  // Equal to running each sentence alone and shifting: the definition of fast mode.
  const bySentence = [];
  for (const s of splitSentences(text)) {
    if (text.slice(s.start, s.end).trim() === '') continue;
    for (const e of await recognizeEntities(ner, text.slice(s.start, s.end), { stride: 64 })) {
      bySentence.push([e.start + s.start, e.end + s.start, e.label]);
    }
  }
  assert.deepEqual(
    fast.map((e) => [e.start, e.end, e.label]),
    bySentence,
  );
  // Exact mode is untouched by the option's existence.
  const exact = await recognizeEntities(ner, text, { stride: 64 });
  assert.deepEqual(exact, await recognizeEntities(ner, text, { stride: 64, mode: 'exact' }));
});

test('picker speed estimate: scaled from the probe by compute per token; an xxlarge model is called slow', () => {
  const small = folderComputePerToken(bundledModel('ner-albert'));
  assert.ok(small && small > 0);
  const xxlarge = computePerToken({ hidden_size: 4096, intermediate_size: 16384, num_hidden_layers: 12 }) as number;
  // Probe: the bundled model annotated 8,000 characters per second on this machine.
  const probe = { charsPerSecond: 8000, computePerToken: small, measuredAt: '2026-11-27T00:00:00Z' };
  const bundled = secondsPerAbstract(probe, small, false) as number;
  assert.ok(Math.abs(bundled - 0.2) < 1e-9);
  assert.equal(describeSpeed(bundled), '~0.2 s per abstract here');
  const big = secondsPerAbstract(probe, xxlarge, false) as number;
  assert.ok(big > 5, `${big}`);
  assert.match(describeSpeed(big) ?? '', /slow on this machine/);
  // int8 is estimated faster, and no probe means no estimate rather than a guess.
  assert.ok((secondsPerAbstract(probe, xxlarge, true) as number) < big);
  assert.equal(secondsPerAbstract(undefined, xxlarge, false), undefined);
});
