// The editor's annotator (host side, real worker and models): one relation run per request, selections follow edits.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ModelRef } from '../../src/core/engine';
import type { TextChange } from '../../src/core/text/changes';
import type { AnnotatedEntity } from '../../src/core/types';
import { AnnotationStore } from '../../src/host/annotationStore';
import type { AnnotationBackend } from '../../src/host/backend';
import { DocumentAnnotator, outcomeOf, type HostDocument } from '../../src/host/documentAnnotator';
import { WorkerBackend } from '../../src/host/workerBackend';
import { bundledModel, chemprotDevAbstracts, fixtureModel, root } from '../helpers/paths';
import { modelName } from '../../src/core/pipeline';
import { staleness } from '../../src/host/staleness';

const worker = new WorkerBackend({ workerPath: join(root, 'src', 'worker', 'main.ts'), execArgv: ['--import', 'tsx'], threads: 1 });
after(() => worker.dispose());
const models = {
  ner: [{ folder: bundledModel('ner-albert') } as ModelRef],
  relations: { folder: bundledModel('re-electra') },
  qa: { folder: bundledModel('qa-albert') },
};
const abstracts = chemprotDevAbstracts();

/** The real backend, counting calls; `duringAnnotate` runs right after an NER request went out (an edit meanwhile). */
function spy(duringAnnotate?: () => void): AnnotationBackend & { calls: { annotate: number; relations: number } } {
  const calls = { annotate: 0, relations: 0 };
  return {
    calls,
    annotate: (text, options) => {
      calls.annotate++;
      const running = worker.annotate(text, options);
      duringAnnotate?.();
      return running;
    },
    relations: (...args) => {
      calls.relations++;
      return worker.relations(...args);
    },
    answer: (...args) => worker.answer(...args),
    finished: (...args) => worker.finished(...args),
    dispose: async () => undefined,
  };
}

/** An open document that edits like the editor: new text, version + 1, the change event to the annotator. */
class Doc implements HostDocument {
  version = 1;
  readonly name = 'doc.txt';
  constructor(
    readonly uri: string,
    private text: string,
  ) {}
  getText(): string {
    return this.text;
  }
  edit(annotator: DocumentAnnotator, change: TextChange, inserted: string): void {
    this.text = this.text.slice(0, change.start) + inserted + this.text.slice(change.end);
    this.version++;
    annotator.edited(this.uri, this.version, [change]);
  }
}

const overlapping = (entities: readonly AnnotatedEntity[]): AnnotatedEntity[] =>
  entities.filter((e, i) => entities.some((o, j) => j !== i && o.start < e.end && e.start < o.end));

describe('DocumentAnnotator', () => {
  it('Extract Relations on a document not yet annotated classifies its pairs once, though the panel follows "annotated"', async () => {
    const store = new AnnotationStore();
    const backend = spy();
    const annotator = new DocumentAnnotator({
      backend,
      store,
      settings: () => ({ aggregation: 'max', minScore: 0.5 }),
      models: () => models,
    });
    const doc = new Doc('file:///a.txt', abstracts[0]);
    // What the relations panel does: re-annotation makes relations stale, so it asks for them again.
    const followed: Promise<unknown>[] = [];
    store.onDidChange(({ reason }) => {
      if (reason === 'annotated') followed.push(annotator.extractRelations(doc));
    });
    const relations = await annotator.extractRelations(doc);
    assert.equal(followed.length, 1, 'the panel asked again while the first request annotated');
    assert.deepEqual(await followed[0], relations, 'and got the same answer');
    assert.ok(relations && relations.length > 0);
    assert.deepEqual(backend.calls, { annotate: 1, relations: 1 }, 'one NER run and one relation run, none thrown away');
    assert.deepEqual(store.get(doc.uri)?.relations, relations);
  });

  it('Annotate Selection replaces the entities of the selection where it is after edits made during the run', async () => {
    const store = new AnnotationStore();
    let edit: (() => void) | undefined;
    const annotator: DocumentAnnotator = new DocumentAnnotator({
      backend: spy(() => edit?.()),
      store,
      settings: () => ({ aggregation: 'max', minScore: 0.5 }),
      models: () => models,
    });
    const [first, second] = [abstracts[1], abstracts[2]];
    const doc = new Doc('file:///b.txt', `${first}\n\n${second}`);
    await annotator.annotate(doc);
    const before = store.get(doc.uri)!.entities;
    const inFirst = before.filter((e) => e.end <= first.length);
    const inSecond = before.filter((e) => e.start >= first.length + 2);
    assert.ok(inFirst.length > 0 && inSecond.length > 0);

    // The user selects the second abstract and runs Annotate Selection; while it runs, a preface longer than the
    // selection is pasted at the top, so every offset of the selection moves past where it was.
    const preface = 'Preface. '.repeat(Math.ceil((second.length + 10) / 9)) + '\n\n';
    edit = () => doc.edit(annotator, { start: 0, end: 0, insertedLength: preface.length }, preface);
    const selection = { start: first.length + 2, end: first.length + 2 + second.length };
    await annotator.annotate(doc, { range: selection });
    edit = undefined;

    const after = store.get(doc.uri)!;
    assert.equal(after.version, doc.version);
    const text = doc.getText();
    for (const e of after.entities) assert.equal(text.slice(e.start, e.end), e.text, `entity at ${e.start} on its words`);
    assert.deepEqual(overlapping(after.entities), [], 'no entity is left twice over the selection');
    const shift = preface.length;
    assert.deepEqual(
      after.entities.filter((e) => e.end <= shift + first.length).map((e) => [e.start, e.end, e.label]),
      inFirst.map((e) => [e.start + shift, e.end + shift, e.label]),
      'the first abstract keeps its entities, moved by the preface',
    );
    assert.deepEqual(
      after.entities.filter((e) => e.start >= shift + selection.start).map((e) => [e.start, e.end, e.label]),
      inSecond.map((e) => [e.start + shift, e.end + shift, e.label]),
      'the selection holds its new entities (the same text gives the same entities), moved by the preface',
    );
  });

  it('Cancel keeps the paragraphs that finished, says how much was done, and a new run annotates only the rest', async () => {
    const store = new AnnotationStore();
    const summaries: string[] = [];
    const backend = spy();
    let cancelAt = 0.84;
    const annotator = new DocumentAnnotator({
      backend,
      store,
      settings: () => ({ aggregation: 'max', minScore: 0.5 }),
      models: () => models,
      // The user presses Cancel on the notification once the progress passes `cancelAt`.
      withProgress: (_request, stale, work) => {
        const user = new AbortController();
        return outcomeOf(AbortSignal.any([stale, user.signal]), (signal) =>
          work(signal, (fraction) => {
            if (fraction > cancelAt) user.abort();
          }),
        );
      },
      onCancelled: (summary) => summaries.push(summary),
    });
    // 12 abstracts: the first worker call (16,000 characters) holds most of them, the cancel lands in the second.
    const parts = abstracts.slice(20, 32);
    const doc = new Doc('file:///cancel.txt', parts.join('\n\n'));
    assert.equal(await annotator.annotate(doc), undefined);
    const kept = store.get(doc.uri)?.entities ?? [];
    assert.equal(summaries.length, 1);
    const match = /kept (\d+) entities from the (\d+) of 12 paragraphs that finished \((\d+)%\)/.exec(summaries[0]);
    assert.ok(match, summaries[0]);
    const done = Number(match[2]);
    assert.ok(done > 0 && done < 12, summaries[0]);
    assert.equal(Number(match[1]), kept.length);
    assert.ok(kept.length > 0);
    const finishedEnd = parts.slice(0, done).join('\n\n').length;
    assert.ok(
      kept.every((e) => e.end <= finishedEnd),
      'only finished paragraphs keep entities',
    );

    // Annotating again finishes the rest; the kept entities are exactly the full run's in those paragraphs.
    cancelAt = 2;
    const all = await annotator.annotate(doc);
    assert.ok(all);
    assert.deepEqual(
      kept,
      all.filter((e) => e.end <= finishedEnd),
    );
    assert.ok(all.length > kept.length);
  });

  it('marks results stale after a failed run, a model change or an edit, until new results replace them', async () => {
    const store = new AnnotationStore();
    let current = models;
    const failures: string[] = [];
    const annotator = new DocumentAnnotator({
      backend: spy(),
      store,
      settings: () => ({ aggregation: 'max', minScore: 0.5 }),
      models: () => current,
      onFailure: (what) => failures.push(what),
    });
    const names = () => ({ ner: current.ner.map(modelName), relations: modelName(current.relations) });
    const doc = new Doc('file:///stale.txt', abstracts[4]);
    assert.ok(await annotator.extractRelations(doc));
    assert.deepEqual(staleness(store.get(doc.uri)!, names()), { entities: undefined, relations: undefined });

    // Another NER model chosen in the settings: what is shown was found by the old one.
    current = { ...models, ner: [{ folder: fixtureModel('ner-electra'), quantized: true }] };
    assert.match(staleness(store.get(doc.uri)!, names()).entities ?? '', /found by ner-albert; the NER model is now ner-electra/);
    current = models;

    // Typing makes the relations miss pairs in the new words (the entities only moved).
    doc.edit(annotator, { start: 0, end: 0, insertedLength: 6 }, 'Note. ');
    assert.deepEqual(staleness(store.get(doc.uri)!, names()), {
      entities: undefined,
      relations: 'the text was edited since they were extracted',
    });

    // A run that fails (a model folder that does not exist) leaves the old results, marked as from before it.
    current = { ...models, ner: [{ folder: join(root, 'no-such-model') }] };
    assert.equal(await annotator.annotate(doc), undefined);
    assert.deepEqual(failures, ['Annotation']);
    assert.match(staleness(store.get(doc.uri)!, names()).entities ?? '', /the last run failed/);
    current = models;
    await annotator.extractRelations(doc);
    assert.deepEqual(staleness(store.get(doc.uri)!, names()), { entities: undefined, relations: undefined });
  });
});
