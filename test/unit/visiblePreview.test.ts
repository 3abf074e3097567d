// A large model's first decorations come from the first visible sentences, run before the whole visible paragraph;
// the exact paragraph result replaces them (the final entities are the whole-text run's).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ModelRef } from '../../src/core/engine';
import { LARGE_MODEL_BYTES } from '../../src/core/runtime/sessionPolicy';
import { AnnotationStore } from '../../src/host/annotationStore';
import { DocumentAnnotator } from '../../src/host/documentAnnotator';
import { needsPreview, PREVIEW_CHARS, previewSpan } from '../../src/host/visiblePreview';
import { WorkerBackend } from '../../src/host/workerBackend';
import { chemprotDevAbstracts, fixtureModel, root } from '../helpers/paths';

describe('previewSpan', () => {
  const text = 'First one here. Second sentence is here. Third one. Fourth sentence comes now. Fifth.';
  it('starts at the sentence under the top of the screen and takes whole sentences', () => {
    const at = text.indexOf('sentence is');
    const span = previewSpan(text, [{ start: at, end: text.length }]);
    assert.deepEqual(span && text.slice(span.start, span.end), 'Second sentence is here. Third one. Fourth sentence comes now. Fifth.');
  });
  it(`stops before ${PREVIEW_CHARS} characters, but always keeps one sentence`, () => {
    const long = `${'word '.repeat(100).trim()}. More ${'more '.repeat(9).trim()}.`;
    const span = previewSpan(long, [{ start: 0, end: long.length }]);
    assert.deepEqual(span, { start: 0, end: long.indexOf('.') + 1 });
  });
  it('nothing visible, or only blank text: no preview', () => {
    assert.equal(previewSpan(text, []), undefined);
    assert.equal(previewSpan('   \n\n  ', [{ start: 0, end: 7 }]), undefined);
  });
});

describe('needsPreview', () => {
  it('only for a model whose file is large', () => {
    const small = { folder: '/m/small' };
    const large = { folder: '/m/large', quantized: true };
    const bytes = (path: string): number => (path === join('/m/large', 'onnx', 'model_quantized.onnx') ? LARGE_MODEL_BYTES : 10e6);
    assert.equal(needsPreview([small], bytes), false);
    assert.equal(needsPreview([small, large], bytes), true);
  });
});

describe('DocumentAnnotator with a large model (real worker)', () => {
  const temp = mkdtempSync(join(tmpdir(), 'biom-preview-'));
  // The fixture model, made "large" by a sparse external-data file beside it (the graph does not read it).
  const folder = join(temp, 'ner-large');
  cpSync(fixtureModel('ner-electra'), folder, { recursive: true });
  writeFileSync(join(folder, 'onnx', 'model.onnx.data'), '');
  truncateSync(join(folder, 'onnx', 'model.onnx.data'), LARGE_MODEL_BYTES);
  const backend = new WorkerBackend({ workerPath: join(root, 'src', 'worker', 'main.ts'), execArgv: ['--import', 'tsx'], threads: 1 });
  after(async () => {
    await backend.dispose();
    rmSync(temp, { recursive: true, force: true });
  });

  it('the first entities shown are the visible sentences’ own; the final ones are the whole-text run’s', async () => {
    const model: ModelRef = { folder };
    const parts = chemprotDevAbstracts().slice(0, 6);
    const text = parts.join('\n\n');
    const visibleStart = parts.slice(0, 4).reduce((n, p) => n + p.length + 2, 0);
    const store = new AnnotationStore();
    const annotator = new DocumentAnnotator({
      backend,
      store,
      settings: () => ({ aggregation: 'max', minScore: 0.5 }),
      models: () => ({ ner: [model], relations: model, qa: model }),
    });
    const uri = 'file:///preview.txt';
    const snapshots: { reason: string; entities: { start: number; end: number }[] }[] = [];
    store.onDidChange((c) => snapshots.push({ reason: c.reason, entities: [...(store.get(uri)?.entities ?? [])] }));
    annotator.visibleRangesChanged(uri, [{ start: visibleStart, end: visibleStart + parts[4].length }]);
    const final = await annotator.annotate({ uri, version: 1, name: 'preview.txt', getText: () => text });
    const span = previewSpan(text, [{ start: visibleStart, end: visibleStart + parts[4].length }]);
    assert.ok(span && span.start === visibleStart && span.end - span.start <= PREVIEW_CHARS + 400);
    const first = snapshots[0];
    assert.equal(first.reason, 'partial');
    assert.ok(first.entities.length > 0, 'the preview found entities in the first visible sentences');
    assert.ok(
      first.entities.every((e) => e.start >= span.start && e.end <= span.end),
      'the first decorations are inside the previewed sentences',
    );
    const exact = await backend.annotate(text, { models: [model], aggregation: 'max' });
    assert.deepEqual(final, exact.entities, 'the preview leaves no trace in the final result');
  });
});
