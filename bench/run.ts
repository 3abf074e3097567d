// Benchmark for issue 4: pipeline overhead, Transformers.js comparison, throughput, host event loop, incremental edits.
// Run with `npm run bench`; writes bench/results/latest.json and prints a table. Not a pass/fail test.
import { chemprotDevAbstracts } from '../test/helpers/paths';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Engine, type LoadedModel } from '../src/core/engine';
import { recognizeEntities } from '../src/core/tasks/ner';
import { answerQuestion } from '../src/core/tasks/qa';
import { IncrementalAnnotator } from '../src/core/incremental';
import { WorkerClient } from '../src/worker/client';
import type { Entity } from '../src/core/types';
import type { Window } from '../src/core/tokenize/tokenizer';
import { runNormalizeBench } from './normalize';
import { runRelationsBench } from './relations';
import { runPanelBench } from './panelRender';
import { runCurationBench } from './curation';

const root = join(__dirname, '..');
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const NER_ELECTRA = join(root, 'test', 'fixtures', 'models', 'ner-electra');
const NER_ALBERT = join(root, 'models', 'ner-albert');
const QA_ALBERT = join(root, 'models', 'qa-albert');

const abstracts = chemprotDevAbstracts();
const fifty = abstracts.slice(0, 50);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Median of REPS runs after one warm-up run. */
async function medianMs(fn: () => Promise<unknown>, reps = REPS): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) times.push(await timed(fn));
  return median(times);
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** Pipeline (tokenize + run + post-process) vs session.run alone on the very same windows and batches. */
async function overhead(model: LoadedModel): Promise<{ pipeline_ms: number; session_run_ms: number; ratio: number }> {
  const options = { aggregation: 'simple' as const, stride: 64, batchSize: 8 };
  const windows: Window[][] = [];
  for (const text of fifty) windows.push(await model.tokenizer.encodeWindows(text, model.maxLength, options.stride));
  const pure = async (): Promise<void> => {
    for (const w of windows) for (let i = 0; i < w.length; i += 8) await model.session.run(w.slice(i, i + 8), model.tokenizer.info.padId);
  };
  const pipeline = async (): Promise<void> => {
    for (const text of fifty) await recognizeEntities(model, text, options);
  };
  // Interleave so that load from other processes on the machine hits both alike.
  await pure();
  await pipeline();
  const p: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < REPS; i++) {
    s.push(await timed(pure));
    p.push(await timed(pipeline));
  }
  return { pipeline_ms: round(median(p)), session_run_ms: round(median(s)), ratio: round(median(p) / median(s), 3) };
}

interface TjsModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline: (task: string, model: string, options: Record<string, unknown>) => Promise<TjsPipeline>;
}
type TjsPipeline = ((input: unknown, options?: Record<string, unknown>) => Promise<unknown>) & { dispose(): Promise<void> };

async function transformersJs(task: string, folder: string): Promise<TjsPipeline> {
  const tjs = (await import('@huggingface/transformers')) as unknown as TjsModule;
  tjs.env.allowRemoteModels = false;
  tjs.env.allowLocalModels = true;
  tjs.env.localModelPath = `${dirname(folder)}/`;
  return tjs.pipeline(task, basename(folder), {
    dtype: 'fp32',
    device: 'cpu',
    session_options: { intraOpNumThreads: THREADS, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' },
  });
}

/** Throughput of session.run alone: 32 windows of 128 tokens from the abstracts, at several batch sizes. */
async function tokensPerSecond(model: LoadedModel): Promise<Record<string, number>> {
  const windows: Window[] = [];
  for (const text of abstracts.slice(100, 132)) windows.push(await model.tokenizer.encode(text, 128));
  const tokens = windows.reduce((n, w) => n + w.ids.length, 0);
  const out: Record<string, number> = {};
  for (const batch of [1, 8, 32]) {
    const ms = await medianMs(
      async () => {
        for (let i = 0; i < windows.length; i += batch) await model.session.run(windows.slice(i, i + batch), model.tokenizer.info.padId);
      },
      Math.min(REPS, 2),
    );
    out[`batch_${batch}`] = Math.round((tokens / ms) * 1000);
  }
  return out;
}

async function main(): Promise<void> {
  const started = performance.now();
  const engine = new Engine({ threads: THREADS });
  const results: Record<string, unknown> = { threads: THREADS, reps: REPS, node: process.version, date: new Date().toISOString() };

  log('normalization: index load, memory, mentions per second…');
  results.normalization = runNormalizeBench();
  results.curation = runCurationBench();

  log('overhead (50 abstracts, in-process pipeline vs session.run on the same windows)…');
  const electra = await engine.load({ folder: NER_ELECTRA }, 'ner');
  const albert = await engine.load({ folder: NER_ALBERT }, 'ner');
  const overheadElectra = await overhead(electra);
  const overheadAlbert = await overhead(albert);
  results.ner_overhead_ratio = overheadAlbert.ratio;
  results.ner_overhead = { 'ner-albert': overheadAlbert, 'ner-electra': overheadElectra };

  log('Transformers.js token-classification on ner-electra…');
  const tjsNer = await transformersJs('token-classification', NER_ELECTRA);
  const tjsNerMs = await medianMs(async () => {
    for (const text of fifty) await tjsNer(text);
  });
  await tjsNer.dispose();
  // The same work on our side: no stride (Transformers.js truncates to one window), per-token output.
  const oursNerMs = await medianMs(async () => {
    for (const text of fifty) await recognizeEntities(electra, text, { aggregation: 'none' });
  });
  const oursAlbertMs = await medianMs(async () => {
    for (const text of fifty) await recognizeEntities(albert, text, { aggregation: 'none' });
  });
  // Fast NER mode (opt-in, biom.ner.mode): sentence windows batched by length, entities out (word grouping included).
  const oursFastMs = await medianMs(async () => {
    for (const text of fifty) await recognizeEntities(electra, text, { aggregation: 'simple', stride: 64, mode: 'fast' });
  });
  results.speedup_vs_transformersjs_ner = round(tjsNerMs / oursNerMs);
  results.speedup_vs_transformersjs_ner_fast = round(tjsNerMs / oursFastMs);
  results.ner_e2e_ms = {
    'transformersjs ner-electra': round(tjsNerMs),
    'ours ner-electra': round(oursNerMs),
    'ours ner-electra fast mode': round(oursFastMs),
    'ours ner-albert': round(oursAlbertMs),
  };

  log('Transformers.js question-answering on qa-albert…');
  const qaModel = await engine.load({ folder: QA_ALBERT }, 'qa');
  const contexts = abstracts.slice(0, 20);
  const question = 'What does the compound inhibit?';
  const tjsQa = await transformersJs('question-answering', QA_ALBERT);
  const askTjs = tjsQa as unknown as (q: string, c: string, o?: Record<string, unknown>) => Promise<unknown>;
  const tjsQaMsReal = await medianMs(async () => {
    for (const context of contexts) await askTjs(question, context, { top_k: 1 });
  });
  await tjsQa.dispose();
  const oursQaMs = await medianMs(async () => {
    for (const context of contexts) await answerQuestion(qaModel, question, context, { topK: 1 });
  });
  results.speedup_vs_transformersjs_qa = round(tjsQaMsReal / oursQaMs);
  results.qa_e2e_ms = { 'transformersjs qa-albert': round(tjsQaMsReal), 'ours qa-albert': round(oursQaMs) };

  log('tokens/s (ner-albert, fp32 and int8, windows of 128 tokens)…');
  const albert8 = await engine.load({ folder: NER_ALBERT, quantized: true }, 'ner');
  results.tokens_per_second = { fp32: await tokensPerSecond(albert), int8: await tokensPerSecond(albert8) };
  await engine.dispose();

  log('worker: 200-paragraph document, one-line edit…');
  const client = new WorkerClient({
    workerPath: join(root, 'src', 'worker', 'main.ts'),
    execArgv: ['--import', 'tsx'],
    settings: { threads: THREADS },
  });
  const spec = { folder: NER_ELECTRA, quantized: true };
  const nerOptions = { aggregation: 'simple' as const, stride: 64 };
  const runner = (texts: string[], signal: AbortSignal | undefined): Promise<Entity[][]> =>
    client.recognizeEntities(spec, texts, nerOptions, { signal });
  const doc200 = abstracts.slice(0, 200).join('\n\n');
  const incremental = new IncrementalAnnotator<Entity>(runner);
  const cold = await timed(() => incremental.annotate('electra-int8-simple-64', doc200));
  const editTimes: number[] = [];
  const reruns: number[] = [];
  for (let k = 0; k < 5; k++) {
    const target = 40 * k + 7;
    const parts = doc200.split('\n\n');
    parts[target] = parts[target].replace(/\. /, `. Edit ${k} adds one line here. `);
    const edited = parts.join('\n\n');
    const t = performance.now();
    const r = await incremental.annotate('electra-int8-simple-64', edited);
    editTimes.push(performance.now() - t);
    reruns.push(r.rerun);
  }
  results.incremental_ms = round(median(editTimes));
  results.paragraphs_rerun = median(reruns);
  results.incremental_cold_ms = round(cold);

  log('worker: relations after a one-line edit in the 200-abstract document…');
  Object.assign(results, await runRelationsBench(THREADS));

  log('relations panel: 5,000 rows posted to the webview bundle in chromium…');
  Object.assign(results, await runPanelBench());

  log('worker: host event loop while a 1 MB document is annotated…');
  const big = abstracts.join('\n\n');
  const bigAnnotator = new IncrementalAnnotator<Entity>(runner, { charsPerCall: 32_000 });
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const limitMs = Number(process.env.BENCH_BIG_LIMIT_MS ?? 90_000);
  const controller = new AbortController();
  const stop = setTimeout(() => controller.abort(), limitMs);
  let done = 0;
  let total = 0;
  histogram.enable();
  const bigStart = performance.now();
  let completed = true;
  try {
    await bigAnnotator.annotate('electra-int8-simple-64', big, {
      signal: controller.signal,
      onProgress: (d, t) => {
        done = d;
        total = t;
      },
    });
  } catch {
    completed = false;
  }
  histogram.disable();
  clearTimeout(stop);
  const stats = await client.stats();
  results.event_loop_p99_ms = round(histogram.percentile(99) / 1e6);
  results.event_loop_max_ms = round(histogram.max / 1e6);
  results.big_document = {
    chars: big.length,
    paragraphs_done: done,
    paragraphs: total,
    completed,
    ms: round(performance.now() - bigStart),
    worker_rss_mb: Math.round(stats.rssBytes / 2 ** 20),
    host_heap_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  };
  await client.dispose();
  results.total_s = round((performance.now() - started) / 1000, 1);

  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const rows: [string, string, string][] = [
    ['ner_overhead_ratio (ner-albert)', String(results.ner_overhead_ratio), '<= 1.10'],
    ['ner_overhead_ratio (ner-electra)', String(overheadElectra.ratio), '<= 1.10'],
    ['speedup_vs_transformersjs_ner', String(results.speedup_vs_transformersjs_ner), '>= 2'],
    ['speedup_vs_transformersjs_ner_fast (fast mode)', String(results.speedup_vs_transformersjs_ner_fast), '>= 2'],
    ['speedup_vs_transformersjs_qa', String(results.speedup_vs_transformersjs_qa), '>= 2'],
    [
      'tokens_per_second fp32 b1/b8/b32',
      Object.values((results.tokens_per_second as Record<string, Record<string, number>>).fp32).join(' / '),
      '',
    ],
    [
      'tokens_per_second int8 b1/b8/b32',
      Object.values((results.tokens_per_second as Record<string, Record<string, number>>).int8).join(' / '),
      '',
    ],
    ['event_loop_p99_ms', String(results.event_loop_p99_ms), '< 16'],
    ['incremental_ms', String(results.incremental_ms), ''],
    ['paragraphs_rerun', String(results.paragraphs_rerun), '1'],
    ['relations_rerun_after_edit_ms', String(results.relations_rerun_after_edit_ms), '< 500'],
    ['relations_pairs_rerun', String(results.relations_pairs_rerun), `${results.relations_pairs_in_edited_sentence} (the edited sentence)`],
    ['relations_panel_render_ms (5,000 rows)', String(results.relations_panel_render_ms ?? results.relations_panel_skipped), '< 200'],
    ['relations_panel_filter_ms', String(results.relations_panel_filter_ms ?? '-'), ''],
    ...normalizationRows(results.normalization as ReturnType<typeof runNormalizeBench>),
    ['curation action_ms (2,000 entities)', String((results.curation as ReturnType<typeof runCurationBench>).action_ms), '< 50'],
    ['curation write_ann_ms (2,000 entities)', String((results.curation as ReturnType<typeof runCurationBench>).write_ann_ms), '< 20'],
  ];
  console.log(rows.map(([k, v, t]) => `${k.padEnd(36)} ${v.padStart(22)}  ${t}`).join('\n'));
  console.log(JSON.stringify(results, null, 2));
}

function normalizationRows(n: ReturnType<typeof runNormalizeBench>): [string, string, string][] {
  return [
    ['normalize load_ms chemical / gene', `${n.load_ms.chemical} / ${n.load_ms.gene}`, '<= 300'],
    ['normalize heap_mb (+ buffers_mb)', `${n.heap_mb} (+ ${n.buffers_mb})`, '<= 150'],
    ['normalize mentions_per_second cold/warm', `${n.mentions_per_second_cold} / ${n.mentions_per_second_warm}`, '>= 50,000'],
  ];
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
