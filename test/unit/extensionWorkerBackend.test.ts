// The editor's backend runs every model in the worker process: same results as in-process, incremental, cancellable.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Engine, type ModelRef } from '../../src/core/engine';
import { CancelledError } from '../../src/core/errors';
import { defaultStride, recognizeEntities } from '../../src/core/tasks/ner';
import { extractRelations } from '../../src/core/tasks/relations';
import { answerQuestion } from '../../src/core/tasks/qa';
import { modelName } from '../../src/core/pipeline';
import { mapSpans } from '../../src/core/text/changes';
import { mergeEntities } from '../../src/core/pipeline';
import type { AnnotatedEntity } from '../../src/core/types';
import { WorkerBackend } from '../../src/host/workerBackend';
import type { WorkerStatus } from '../../src/worker/client';
import { bundledModel, chemprotDevAbstracts, fixtureModel, root } from '../helpers/paths';
import { expectedSpans, goldenNer, goldenQa, oneWindowQuestions, oneWindowTexts } from '../helpers/golden';

const abstracts = chemprotDevAbstracts();

const electra8: ModelRef = { folder: fixtureModel('ner-electra'), quantized: true };
const albert8: ModelRef = { folder: bundledModel('ner-albert'), quantized: true };
const albert: ModelRef = { folder: bundledModel('ner-albert'), quantized: false };
const relationsModel: ModelRef = { folder: bundledModel('re-electra') };
const qaModel: ModelRef = { folder: bundledModel('qa-albert') };

const statuses: WorkerStatus[] = [];
// The TypeScript worker entry through tsx, as test/unit/worker.test.ts runs it: no build needed.
const backend = new WorkerBackend({
  workerPath: join(root, 'src', 'worker', 'main.ts'),
  execArgv: ['--import', 'tsx'],
  threads: 1,
  timings: { backoffInitialMs: 50 },
  onStatus: (status) => statuses.push(status),
});
const engine = new Engine({ threads: 1 });
after(async () => {
  await backend.dispose();
  await engine.dispose();
});

/** What the editor showed before the worker: every model run on the whole text in-process, then merged. */
async function inProcessEntities(text: string, models: readonly ModelRef[]): Promise<AnnotatedEntity[]> {
  const perModel: AnnotatedEntity[][] = [];
  for (const ref of models) {
    const found = await recognizeEntities(await engine.load(ref, 'ner'), text, { aggregation: 'simple', stride: defaultStride('simple') });
    perModel.push(found.map((e) => ({ ...e, model: modelName(ref) })));
  }
  return perModel.length === 1 ? perModel[0] : mergeEntities(perModel);
}

const simple = { aggregation: 'simple' as const };

describe('WorkerBackend', () => {
  it('gives the in-process entities, relations and answers on ChemProt development abstracts', async () => {
    for (const text of abstracts.slice(0, 3)) {
      const expected = await inProcessEntities(text, [electra8, albert8]);
      const { entities } = await backend.annotate(text, { ...simple, models: [electra8, albert8] });
      assert.ok(expected.length > 0);
      assert.deepEqual(entities, expected);
    }
    // fp32 (the default setting): an abstract is one paragraph, so one text per model call, exactly as in-process.
    assert.deepEqual(
      (await backend.annotate(abstracts[3], { ...simple, models: [albert] })).entities,
      await inProcessEntities(abstracts[3], [albert]),
    );

    const text = abstracts[0];
    const entities = await inProcessEntities(text, [electra8]);
    const relations = await extractRelations(await engine.load(relationsModel, 'relations'), text, entities);
    assert.deepEqual((await backend.relations(text, entities, relationsModel)).relations, relations);

    const question = 'What does the drug inhibit?';
    const answers = (await answerQuestion(await engine.load(qaModel, 'qa'), question, text, { topK: 3 })).map(
      ({ answer, score, start, end }) => ({ answer, score, start, end }),
    );
    assert.deepEqual(await backend.answer(question, text, qaModel, 3), answers);
  });

  it('after a one-line edit re-runs only the edited paragraph; the rest only shift, as the editor moves them', async () => {
    const paragraphs = abstracts.slice(4, 8);
    const doc = paragraphs.join('\n\n');
    const progress: number[] = [];
    const first = await backend.annotate(doc, { ...simple, models: [electra8], onProgress: (f) => progress.push(f) });
    assert.equal(first.paragraphs, 4);
    assert.equal(first.rerun, 4);
    assert.equal(progress.at(-1), 1);
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
      'progress only moves forward',
    );

    // A line added at the end of the second paragraph: it and everything after it move.
    const editAt = paragraphs[0].length + 2 + paragraphs[1].length;
    const added = '\nAspirin was given to every patient.';
    const edited = doc.slice(0, editAt) + added + doc.slice(editAt);
    const before = backend.cacheStats();
    const second = await backend.annotate(edited, { ...simple, models: [electra8] });
    const stats = backend.cacheStats();
    assert.equal(second.rerun, 1);
    assert.equal(stats.misses - before.misses, 1);
    assert.equal(stats.hits - before.hits, 3);
    assert.ok(
      second.entities.some((e) => edited.slice(e.start, e.end) === 'Aspirin'),
      'the edited paragraph was run',
    );

    // The annotator moves a finished run's entities through edits made meanwhile (mapSpans); outside the edited
    // paragraph that must agree with what the cache gives for the new text, or the two would fight over positions.
    const moved = mapSpans(first.entities, [{ start: editAt, end: editAt, insertedLength: added.length }], 'drop');
    const paragraphStart = paragraphs[0].length + 2;
    const outside = (list: readonly AnnotatedEntity[]): AnnotatedEntity[] =>
      list.filter((e) => e.end <= paragraphStart || e.start >= editAt + added.length);
    assert.deepEqual(outside(moved), outside(second.entities));
    for (const e of second.entities) assert.equal(edited.slice(e.start, e.end), e.text, 'every entity sits on its words in the new text');
  });

  it('cancellation rejects with CancelledError', async () => {
    const controller = new AbortController();
    const doc = abstracts.slice(10, 50).join('\n\n');
    const running = backend.annotate(doc, {
      ...simple,
      models: [electra8],
      signal: controller.signal,
      onProgress: (fraction) => {
        if (fraction > 0) controller.abort();
      },
    });
    await assert.rejects(running, CancelledError);
    const aborted = AbortSignal.abort();
    await assert.rejects(backend.relations(abstracts[0], [], relationsModel, { signal: aborted }), CancelledError);
    await assert.rejects(backend.answer('Why?', abstracts[0], qaModel, 1, aborted), CancelledError);
  });

  it('reports a crashed worker, restarts it and keeps working; a thread change starts a new worker', async () => {
    const crashed = backend.pid;
    assert.ok(crashed);
    statuses.length = 0;
    process.kill(crashed, 'SIGKILL');
    const { entities } = await backend.annotate(abstracts[60], { ...simple, models: [electra8] });
    assert.deepEqual(entities, await inProcessEntities(abstracts[60], [electra8]));
    assert.notEqual(backend.pid, crashed);
    assert.deepEqual(
      statuses.map((s) => s.state),
      ['restarting', 'starting', 'ready'],
    );
    assert.match(statuses[0].state === 'restarting' ? statuses[0].reason : '', /SIGKILL/);

    const old = backend.pid;
    statuses.length = 0;
    await backend.setThreads(2);
    assert.notEqual(backend.pid, old);
    assert.deepEqual(
      statuses.map((s) => s.state),
      ['starting', 'ready'],
      "the old worker's exit is not reported as a crash",
    );
    const cached = await backend.annotate(abstracts[60], { ...simple, models: [electra8] });
    assert.equal(cached.rerun, 0, 'cached paragraphs survive a thread change');
  });

  // Independent of the in-process engine: the Hugging Face reference's entities (golden file) of texts that fit one
  // window, as paragraphs of one document, shifted to where each paragraph starts; and the reference's answers.
  it('gives the reference pipeline entities for a document of golden paragraphs, and its answers', async () => {
    const golden = goldenNer('ner-electra');
    const indices = await oneWindowTexts('ner-electra', golden);
    const doc = indices.map((i) => golden.texts[i]).join('\n\n');
    const electra: ModelRef = { folder: fixtureModel('ner-electra'), quantized: false };
    const { entities, paragraphs } = await backend.annotate(doc, { ...simple, models: [electra] });
    assert.equal(paragraphs, indices.length);
    let offset = 0;
    const expected: [string, number, number][] = [];
    for (const i of indices) {
      expected.push(
        ...expectedSpans(golden.results.simple[i]).map(([label, start, end]): [string, number, number] => [
          label,
          start + offset,
          end + offset,
        ]),
      );
      offset += golden.texts[i].length + 2;
    }
    assert.ok(expected.length >= 30);
    assert.deepEqual(
      entities.map((e) => [e.label, e.start, e.end]),
      expected,
    );
    const scores = indices.flatMap((i) => golden.results.simple[i].map((e) => e.score));
    entities.forEach((e, k) => assert.ok(Math.abs(e.score - scores[k]) < 1e-4, `entity ${k} score`));

    const qaGolden = goldenQa();
    const [q] = await oneWindowQuestions(qaGolden, join(bundledModel('qa-albert'), 'tokenizer.json'));
    const answers = await backend.answer(qaGolden.inputs[q].question, qaGolden.inputs[q].context, qaModel, 3);
    assert.deepEqual(
      answers.map((a) => [a.answer, a.start, a.end]),
      qaGolden.results[q].map((w) => [w.answer, w.start_utf16, w.end_utf16]),
    );
  });

  it('stops the worker process on dispose', async () => {
    const pid = backend.pid;
    assert.ok(pid);
    await backend.dispose();
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
    assert.equal(statuses.at(-1)?.state, 'stopped');
    await assert.rejects(backend.annotate('Imatinib targets ABL.', { ...simple, models: [electra8] }));
  });
});
