// Visible text first: a document's paragraphs are annotated edited-first, then on-screen, then outward; scrolling
// re-orders the work not yet started; decorations (partial results) show the visible paragraph before the first one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ModelRef } from '../../src/core/engine';
import { IncrementalAnnotator } from '../../src/core/incremental';
import type { Span } from '../../src/core/types';
import { AnnotationStore } from '../../src/host/annotationStore';
import { DocumentAnnotator } from '../../src/host/documentAnnotator';
import { DocumentPriorities, paragraphOrder } from '../../src/host/visibleFirst';
import { WorkerBackend } from '../../src/host/workerBackend';
import { bundledModel, chemprotDevAbstracts, root } from '../helpers/paths';

/** Ten paragraphs of 100 characters with a 2-character gap: paragraph i spans [102 i, 102 i + 100). */
const paragraphs: Span[] = Array.from({ length: 10 }, (_, i) => ({ start: i * 102, end: i * 102 + 100 }));
const all = paragraphs.map((_, i) => i);
const at = (i: number): Span => ({ start: i * 102 + 10, end: i * 102 + 20 });

describe('paragraphOrder', () => {
  it('nothing known about the screen: document order, nothing urgent', () => {
    assert.deepEqual(paragraphOrder(paragraphs, all, { visible: [], edited: [] }), { order: all, urgent: 0 });
  });

  it('scrolled to the middle: the visible paragraphs first, then outward, below before above at equal distance', () => {
    const visible = [{ start: paragraphs[5].start + 50, end: paragraphs[6].start + 50 }];
    const plan = paragraphOrder(paragraphs, all, { visible, edited: [] });
    assert.deepEqual(plan.order, [5, 6, 7, 4, 8, 3, 9, 2, 1, 0]);
    assert.equal(plan.urgent, 2);
  });

  it('edited paragraphs go before the visible ones', () => {
    const plan = paragraphOrder(paragraphs, all, { visible: [at(5)], edited: [at(1)] });
    assert.deepEqual(
      plan.order.slice(0, 3),
      [1, 5, 4],
      'then the nearer neighbour: 4 ends 12 characters above the view, 6 starts 82 below',
    );
    assert.equal(plan.urgent, 2);
  });

  it('only pending paragraphs are ordered; two editors on one document both count', () => {
    const plan = paragraphOrder(paragraphs, [0, 2, 3, 8, 9], { visible: [at(2), at(9)], edited: [] });
    assert.deepEqual(plan.order, [2, 9, 8, 3, 0]);
    assert.equal(plan.urgent, 2);
  });

  it('a cursor (empty range) at a paragraph end still counts for it', () => {
    assert.deepEqual(paragraphOrder(paragraphs, all, { visible: [{ start: 100, end: 100 }], edited: [] }).order[0], 0);
  });
});

describe('DocumentPriorities', () => {
  it('an edit moves the visible range and becomes an edited range at its new place', () => {
    const p = new DocumentPriorities();
    p.setVisible([{ start: 500, end: 700 }]);
    // 10 characters inserted at 50, 5 deleted at 300 (one event, offsets before it).
    p.applyEdits([
      { start: 50, end: 50, insertedLength: 10 },
      { start: 300, end: 305, insertedLength: 0 },
    ]);
    assert.deepEqual(p.current(), {
      visible: [{ start: 505, end: 705 }],
      edited: [
        { start: 50, end: 60 },
        { start: 310, end: 310 },
      ],
    });
    assert.equal(p.takeEdited().length, 2);
    assert.deepEqual(p.current().edited, []);
  });
});

describe('IncrementalAnnotator with a plan', () => {
  it('runs the visible paragraph alone first, and re-orders the rest when the user scrolls meanwhile', async () => {
    const texts = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} `.padEnd(60, String(i)));
    const text = texts.join('\n\n');
    const calls: string[][] = [];
    const priorities = new DocumentPriorities();
    const start = (i: number): number => text.indexOf(texts[i]);
    priorities.setVisible([{ start: start(3), end: start(3) + 5 }]);
    const annotator = new IncrementalAnnotator<Span>(
      async (batch) => {
        calls.push(batch.map((t) => t.slice(10, 11)));
        // The user scrolls to the end while the first call runs.
        if (calls.length === 1) priorities.setVisible([{ start: start(5), end: start(5) + 5 }]);
        return batch.map(() => [{ start: 0, end: 4 }]);
      },
      { charsPerCall: 130 },
    );
    const partial: number[] = [];
    const result = await annotator.annotate('m', text, {
      plan: (spans, pending) => paragraphOrder(spans, pending, { ...priorities.current(), edited: [] }),
      onPartial: (known) => partial.push(known().length),
    });
    assert.deepEqual(calls, [['3'], ['5'], ['4', '2'], ['1', '0']]);
    assert.equal(result.items.length, 6);
    assert.deepEqual(partial, [1, 2, 4], 'results offered after every call but the last (the final result follows)');
  });
});

describe('DocumentAnnotator: visible paragraph first (real worker and model)', () => {
  const worker = new WorkerBackend({ workerPath: join(root, 'src', 'worker', 'main.ts'), execArgv: ['--import', 'tsx'], threads: 1 });
  after(() => worker.dispose());

  it('scrolled to paragraph 12 of 16: its entities are stored before paragraph 0 has any, and the end result is whole', async () => {
    const abstracts = chemprotDevAbstracts().slice(0, 16);
    const text = abstracts.join('\n\n');
    const starts = abstracts.map((a) => text.indexOf(a));
    const store = new AnnotationStore();
    const model: ModelRef = { folder: bundledModel('ner-albert') };
    const annotator = new DocumentAnnotator({
      backend: worker,
      store,
      settings: () => ({ aggregation: 'max', minScore: 0.5 }),
      models: () => ({ ner: [model], relations: { folder: bundledModel('re-electra') }, qa: { folder: bundledModel('qa-albert') } }),
    });
    const uri = 'file:///long.txt';
    const inParagraph = (i: number, spans: readonly Span[]): boolean =>
      spans.some((e) => e.start >= starts[i] && e.end <= starts[i] + abstracts[i].length);
    const seen: { reason: string; p12: boolean; p0: boolean }[] = [];
    store.onDidChange(({ reason }) => {
      const entities = store.get(uri)?.entities ?? [];
      seen.push({ reason, p12: inParagraph(12, entities), p0: inParagraph(0, entities) });
    });
    annotator.visibleRangesChanged(uri, [{ start: starts[12] + 10, end: starts[12] + 200 }]);
    const entities = await annotator.annotate({ uri, version: 1, name: 'long.txt', getText: () => text });
    assert.ok(entities && inParagraph(0, entities) && inParagraph(12, entities), 'both paragraphs have entities in the end');
    assert.deepEqual(seen[0], { reason: 'partial', p12: true, p0: false }, 'the first thing shown is the visible paragraph');
    assert.equal(seen.at(-1)?.reason, 'annotated');
    assert.equal(store.get(uri)?.partial, undefined);
  });
});
