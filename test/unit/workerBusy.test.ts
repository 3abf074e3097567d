// A model call longer than the hang timeout (a BioM-ALBERT-xxlarge batch on a small CPU takes minutes, and
// onnxruntime-node's run blocks the worker's thread so pings go unanswered) is not taken for a hung worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { WorkerClient } from '../../src/worker/client';
import { Engine } from '../../src/core/engine';
import { recognizeEntities } from '../../src/core/tasks/ner';
import { chemprotDevAbstracts, fixtureModel, root } from '../helpers/paths';

test('one model call far longer than the hang timeout finishes: the worker announces it instead of being killed', async () => {
  const model = { folder: fixtureModel('ner-electra'), quantized: false };
  // ~50 abstracts (under the 100k-character segment size) in one text, all windows in one batch: a single blocking session.run of tens of thousands of tokens.
  const text = chemprotDevAbstracts().slice(0, 50).join(' ');
  const logs: string[] = [];
  const client = new WorkerClient({
    workerPath: join(root, 'src', 'worker', 'main.ts'),
    execArgv: ['--import', 'tsx'],
    settings: { threads: 1 },
    hangTimeoutMs: 300,
    backoffInitialMs: 50,
    onLog: (line) => logs.push(line),
  });
  const engine = new Engine({ threads: 1 });
  try {
    await client.ping();
    const started = performance.now();
    const [entities] = await client.recognizeEntities(model, [text], { aggregation: 'simple', stride: 64, batchSize: 1024 });
    const ms = performance.now() - started;
    assert.ok(ms > 1000, `the call blocked the worker for much longer than the 300 ms hang timeout (took ${Math.round(ms)} ms)`);
    assert.ok(!logs.some((l) => /hung/.test(l)), `no hang was declared: ${logs.join(' | ')}`);
    const local = await recognizeEntities(await engine.load(model, 'ner'), text, { aggregation: 'simple', stride: 64, batchSize: 1024 });
    assert.deepEqual(entities, local);
  } finally {
    await client.dispose();
    await engine.dispose();
  }
});
