// The int8 variant of a model folder is what runs when asked for, and fp32 otherwise.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Engine } from '../../src/core/engine';
import { ModelError } from '../../src/core/errors';
import { recognizeEntities } from '../../src/core/tasks/ner';
import { bundledModel, fixture } from '../helpers/paths';

const engine = new Engine({ threads: 1 });
after(() => engine.dispose());

const golden = JSON.parse(readFileSync(fixture('golden', 'ner-albert.json'), 'utf8')) as {
  texts: string[];
  results: { simple: { entity_group: string; score: number; start_utf16: number; end_utf16: number }[][] };
};

// Planted bug this catches: `quantized` loads onnx/model.onnx although onnx/model_quantized.onnx exists.
test('quantized: true runs model_quantized.onnx (scores differ from fp32 and the golden fp32 scores); false runs fp32', async () => {
  const folder = bundledModel('ner-albert');
  const fp32 = await engine.load({ folder, quantized: false }, 'ner');
  const int8 = await engine.load({ folder, quantized: true }, 'ner');
  let largest = 0;
  let sameLabels = 0;
  let compared = 0;
  for (const [i, text] of golden.texts.slice(0, 10).entries()) {
    const want = golden.results.simple[i];
    const a = await recognizeEntities(fp32, text);
    const b = await recognizeEntities(int8, text);
    // fp32 is the reference's model: its scores are the golden ones.
    assert.deepEqual(
      a.map((e) => [e.start, e.end]),
      want.map((e) => [e.start_utf16, e.end_utf16]),
      `text ${i}`,
    );
    a.forEach((e, k) => assert.ok(Math.abs(e.score - want[k].score) < 1e-4, `text ${i} fp32 score`));
    for (const e of b) {
      const twin = want.find((w) => w.start_utf16 === e.start && w.end_utf16 === e.end);
      if (!twin) continue;
      compared++;
      if (twin.entity_group === e.label) sameLabels++;
      largest = Math.max(largest, Math.abs(twin.score - e.score));
    }
  }
  // int8 weights move scores by far more than float rounding, while mostly keeping the same entities.
  assert.ok(compared >= 20, `${compared} entities found by both`);
  assert.ok(largest > 1e-3, `largest int8-vs-fp32 score difference ${largest}`);
  assert.ok(sameLabels >= compared * 0.9, `${sameLabels} of ${compared} labels agree`);
});

test('quantized: true on a folder without model_quantized.onnx is a clear model error naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'biom-int8-'));
  try {
    cpSync(bundledModel('re-electra'), dir, { recursive: true });
    assert.throws(
      () => engine.load({ folder: dir, quantized: true }, 'relations'),
      (e: unknown) => e instanceof ModelError && /onnx\/model_quantized\.onnx is missing/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
