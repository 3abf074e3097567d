// Benchmark for issue 17: the extension's worker at BioM-ALBERT-xxlarge and BioM-ELECTRA-Large shape (random weights,
// exact shapes), fp32 and int8. Run with `npm run bench:scale`; writes bench/results/scale.json. Not a pass/fail test.
// Models are generated once into BIOM_BENCH_CACHE (default ~/.cache/biom-bench) by tools/make_scale_onnx.py.
// BENCH_SCALE_QUICK=1: fewer layers (2 ALBERT, 4 ELECTRA), 10 abstracts, 8 rows; the JSON says so (quick: true).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { cpus, homedir, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src/core/engine';
import { evaluateChemprot, readChemprot } from '../src/core/eval/chemprot';
import { ModelSession, type InputRow } from '../src/core/runtime/onnxSession';
import { sessionOptionsFor } from '../src/core/models/contract';
import { prepackFor } from '../src/core/runtime/sessionPolicy';
import { WorkerBackend } from '../src/host/workerBackend';
import { chemprotDevAbstracts } from '../test/helpers/paths';
import { writeFileAtomic } from '../src/core/io/atomicWrite';
import { DEFAULT_AGGREGATION, DEFAULT_MIN_SCORE } from '../src/core/pipeline';
import { AnnotationStore } from '../src/host/annotationStore';
import { DocumentAnnotator } from '../src/host/documentAnnotator';
import { measureReopenFromCache } from './reopen';
import type { NerMode } from '../src/core/tasks/ner';
import type { ModelRef } from '../src/core/engine';
import { TextTokenizer } from '../src/core/tokenize/tokenizer';

const root = join(__dirname, '..');
const QUICK = process.env.BENCH_SCALE_QUICK === '1';
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const CACHE = process.env.BIOM_BENCH_CACHE ?? join(homedir(), '.cache', 'biom-bench');
const ABSTRACTS = Number(process.env.BENCH_SCALE_ABSTRACTS ?? (QUICK ? 10 : 50));
/** Rows of 128 tokens per tokens/s measurement (each batch size runs all of them). */
const ROWS = Number(process.env.BENCH_SCALE_ROWS ?? (QUICK ? 8 : 16));
const ROW_TOKENS = 128;
/** Measuring ALBERT fp32 with pre-packing on costs ~50 s; BENCH_SCALE_PREPACK_CHECK=0 skips it. */
const PREPACK_CHECK = process.env.BENCH_SCALE_PREPACK_CHECK !== '0';
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
/** BENCH_SCALE_F1=0 reuses the F1 block of the last scale.json (it depends on the bundled models only, not the shapes). */
const F1 = process.env.BENCH_SCALE_F1 !== '0';
const RESULTS_DIR = join(root, 'bench', 'results');
/** Each finished model file's numbers, so an interrupted run resumes where it stopped (same shape, layers and mode). */
const PARTIAL = join(RESULTS_DIR, QUICK ? 'scale.partial.quick.json' : 'scale.partial.json');

function cpuFeatures(): string[] {
  try {
    const flags =
      readFileSync('/proc/cpuinfo', 'utf8')
        .match(/^flags\s*:(.*)$/m)?.[1]
        .trim()
        .split(/\s+/) ?? [];
    return flags.filter((f) => /^(avx2|avx512f|avx512_vnni|avx_vnni|amx_int8|fma)$/.test(f));
  } catch {
    return [];
  }
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

interface Shape {
  id: string;
  modelType: 'albert' | 'electra';
  architecture: string;
  /** Generator flags (tools/make_scale_onnx.py). */
  args: string[];
  layers: number;
  /** The bundled/fixture folder whose tokenizer (vocab within the shape's) and labels are used. */
  tokenizerFrom: string;
  /** Abstracts through the worker for the fp32 file (fp32 xxlarge runs ~30 tokens/s: 50 abstracts would take 10 min). */
  fp32Abstracts: number;
}

const SHAPES: Shape[] = [
  {
    id: 'albert-xxlarge',
    modelType: 'albert',
    architecture: 'AlbertForTokenClassification',
    layers: QUICK ? 2 : 12,
    args: ['--hidden', '4096', '--heads', '64', '--ffn', '16384', '--emb', '128', '--vocab', '30000'],
    tokenizerFrom: join(root, 'models', 'ner-albert'),
    fp32Abstracts: Math.min(ABSTRACTS, Number(process.env.BENCH_SCALE_FP32_ABSTRACTS ?? (QUICK ? 3 : 5))),
  },
  {
    id: 'electra-large',
    modelType: 'electra',
    architecture: 'ElectraForTokenClassification',
    layers: QUICK ? 4 : 24,
    args: ['--unshared', '--hidden', '1024', '--heads', '16', '--ffn', '4096', '--emb', '1024', '--vocab', '28895'],
    tokenizerFrom: join(root, 'test', 'fixtures', 'models', 'ner-electra'),
    fp32Abstracts: ABSTRACTS,
  },
];

const log = (s: string): void => void process.stderr.write(`${s}\n`);
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

function ensurePython(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import onnx, numpy'], { encoding: 'utf8' });
  if (probe.status === 0) return;
  log('bench:scale needs Debian python3-onnx and python3-numpy; installing them with apt-get …');
  const apt = spawnSync(
    'sh',
    ['-c', 'apt-get install -y python3-onnx python3-numpy || (apt-get update && apt-get install -y python3-onnx python3-numpy)'],
    {
      stdio: 'inherit',
    },
  );
  if (apt.status !== 0 || spawnSync(PYTHON, ['-c', 'import onnx, numpy']).status !== 0) {
    log(`bench:scale: ${PYTHON} cannot import onnx and numpy. Install them: sudo apt-get install python3-onnx python3-numpy`);
    process.exit(2);
  }
}

/** A model folder in the engine's layout, generated once per shape and layer count (fp32 and int8 files). */
function modelFolder(shape: Shape): string {
  const folder = join(CACHE, `${shape.id}-L${shape.layers}`);
  const onnxDir = join(folder, 'onnx');
  mkdirSync(onnxDir, { recursive: true });
  const config = JSON.parse(readFileSync(join(shape.tokenizerFrom, 'config.json'), 'utf8')) as Record<string, unknown>;
  const labels = Object.keys(config.id2label as object).length;
  writeFileAtomic(
    join(folder, 'config.json'),
    JSON.stringify(
      { ...config, architectures: [shape.architecture], model_type: shape.modelType, num_hidden_layers: shape.layers },
      null,
      2,
    ),
    { overwrite: true },
  );
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) {
    if (existsSync(join(shape.tokenizerFrom, f))) cpSync(join(shape.tokenizerFrom, f), join(folder, f));
  }
  for (const [file, extra] of [
    ['model.onnx', []],
    ['model_quantized.onnx', ['--int8']],
  ] as const) {
    const out = join(onnxDir, file);
    if (existsSync(out)) continue;
    const t = performance.now();
    log(`generating ${out} …`);
    // Into a temp name, then renamed: an interrupted run never leaves a half-written model behind.
    const tmp = join(onnxDir, `tmp-${file}`);
    execFileSync(
      PYTHON,
      [
        join(root, 'tools', 'make_scale_onnx.py'),
        tmp,
        '--layers',
        String(shape.layers),
        '--labels',
        String(labels),
        ...shape.args,
        ...extra,
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    renameSync(tmp, out);
    log(`  ${round((performance.now() - t) / 1000, 1)} s`);
  }
  return folder;
}

const abstracts = chemprotDevAbstracts();

/** Peak resident memory of a process (Linux VmHWM), in MB. */
function peakRssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? round(Number(m[1]) / 1024, 0) : null;
  } catch {
    return null;
  }
}

function newBackend(mode: NerMode): WorkerBackend {
  const workerPath = join(root, 'dist', 'worker.js');
  if (!existsSync(workerPath)) throw new Error('dist/worker.js is missing: run `npm run build` first');
  return new WorkerBackend({
    workerPath,
    threads: THREADS,
    nerMode: () => mode,
    timings: { hangTimeoutMs: 30 * 60_000, startTimeoutMs: 60_000 },
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

/** Real ChemProt token rows cut to ROW_TOKENS, ROWS of them. */
async function tokenRows(folder: string): Promise<InputRow[]> {
  const tokenizer = await TextTokenizer.load(folder, join(folder, 'tokenizer.json'));
  const rows: InputRow[] = [];
  for (const text of abstracts) {
    if (rows.length >= ROWS) break;
    const [w] = await tokenizer.encodeWindows(text, ROW_TOKENS, undefined);
    rows.push({ ids: w.ids, typeIds: w.typeIds });
  }
  return rows;
}

/** Raw session.run tokens/s at batch 1, 4 and 16 on the same rows (per-file session options, as the engine uses). */
async function rawTokensPerSecond(
  folder: string,
  quantized: boolean,
  modelType: string,
  rows: InputRow[],
): Promise<Record<string, number>> {
  const path = join(folder, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
  const session = await ModelSession.load(folder, path, sessionOptionsFor(modelType, { path, quantized }, THREADS));
  const out: Record<string, number> = {};
  try {
    await session.run(rows.slice(0, 1), 0);
    for (const batch of [1, 4, 16]) {
      const t = performance.now();
      for (let i = 0; i < rows.length; i += batch) await session.run(rows.slice(i, i + batch), 0);
      const tokens = rows.reduce((s, r) => s + r.ids.length, 0);
      out[`batch_${batch}`] = round(tokens / ((performance.now() - t) / 1000), 1);
      log(`    batch ${batch}: ${out[`batch_${batch}`]} tokens/s`);
    }
  } finally {
    await session.release();
  }
  return out;
}

/** session.run alone on the windows the worker runs for these texts (same stride, batch size 8, one text at a time). */
async function rawRunMs(folder: string, quantized: boolean, texts: string[]): Promise<{ ms: number; tokens: number }> {
  const engine = new Engine({ threads: THREADS });
  try {
    const model = await engine.load({ folder, quantized }, 'ner');
    const batches: InputRow[][] = [];
    let tokens = 0;
    for (const text of texts) {
      const windows = await model.tokenizer.encodeWindows(text, model.maxLength, 64);
      for (let i = 0; i < windows.length; i += 8) batches.push(windows.slice(i, i + 8));
      tokens += windows.reduce((s, w) => s + w.ids.length, 0);
    }
    const t = performance.now();
    for (const b of batches) await model.session.run(b, model.tokenizer.info.padId);
    return { ms: performance.now() - t, tokens };
  } finally {
    await engine.dispose();
  }
}

/** Abstracts in the document the editor shows, and the one on screen (scrolled to the middle, as a reader would be). */
const DOCUMENT_ABSTRACTS = 20;
const VISIBLE_ABSTRACT = 10;

/**
 * "Annotate" on a 20-abstract document scrolled to its 11th abstract, through the editor's own path (DocumentAnnotator
 * with the visible range, the store, the worker): milliseconds until the store first shows entities of the visible
 * abstract. The rest of the document is then cancelled (its time is the abstracts_ms figure).
 */
async function firstVisibleMs(
  annotator: DocumentAnnotator,
  store: AnnotationStore,
  uri: string,
  from: number,
): Promise<{ ms: number; shown: boolean }> {
  const parts = abstracts.slice(from, from + DOCUMENT_ABSTRACTS);
  const text = parts.join('\n\n');
  const start = parts.slice(0, VISIBLE_ABSTRACT).reduce((n, p) => n + p.length + 2, 0);
  const visible = { start, end: start + parts[VISIBLE_ABSTRACT].length };
  const document = { uri, version: 1, name: 'bench.txt', getText: () => text };
  annotator.visibleRangesChanged(uri, [visible]);
  const t = performance.now();
  const first = new Promise<{ ms: number; shown: boolean }>((resolve) => {
    const sub = store.onDidChange((change) => {
      if (change.uri !== uri || (change.reason !== 'partial' && change.reason !== 'annotated')) return;
      const entities = store.get(uri)?.entities ?? [];
      const shown = entities.some((e) => e.start >= visible.start && e.end <= visible.end);
      // The first results the editor draws: they must be the visible abstract's (visible text first).
      sub.dispose();
      resolve({ ms: performance.now() - t, shown });
    });
  });
  const run = annotator.annotate(document);
  const result = await first;
  annotator.cancel(uri);
  await run.catch(() => undefined);
  return result;
}

/** The editor's path for one model file: a worker backend, the annotation store and a DocumentAnnotator over them. */
function editorPath(folder: string, quantized: boolean, mode: NerMode) {
  const backend = newBackend(mode);
  const ref: ModelRef = { folder, quantized };
  const store = new AnnotationStore();
  const annotator = new DocumentAnnotator({
    backend,
    store,
    settings: () => ({ aggregation: DEFAULT_AGGREGATION, minScore: DEFAULT_MIN_SCORE }),
    models: () => ({ ner: [ref], relations: ref, qa: ref }),
  });
  return { backend, ref, store, annotator };
}

/** Cold (the model not loaded yet) on one document, then warm on another: the first-visible pair every run reports. */
async function coldAndWarm({ annotator, store }: ReturnType<typeof editorPath>) {
  const cold = await firstVisibleMs(annotator, store, 'file:///bench/cold.txt', 0);
  const warm = await firstVisibleMs(annotator, store, 'file:///bench/warm.txt', DOCUMENT_ABSTRACTS);
  return { cold, warm };
}

/**
 * Cold: a fresh worker (model not loaded) and a document scrolled to its middle: time to the visible abstract's first
 * decorations. Warm: the same worker, another document. Then N abstracts end to end.
 */
async function throughWorker(
  folder: string,
  quantized: boolean,
  mode: NerMode,
  count: number,
): Promise<Record<string, number | boolean | null>> {
  const path = editorPath(folder, quantized, mode);
  const { backend, ref } = path;
  const options = { models: [ref], aggregation: DEFAULT_AGGREGATION };
  try {
    const { cold, warm } = await coldAndWarm(path);
    const texts = abstracts.slice(2 * DOCUMENT_ABSTRACTS, 2 * DOCUMENT_ABSTRACTS + count);
    const [all] = await timed(() => backend.annotate(texts.join('\n\n'), options));
    return {
      cold_first_visible_ms: round(cold.ms, 0),
      warm_first_visible_ms: round(warm.ms, 0),
      first_results_were_visible_abstract: cold.shown && warm.shown,
      abstracts_ms: round(all, 0),
      worker_peak_rss_mb: peakRssMb(backend.pid),
    };
  } finally {
    await backend.dispose();
  }
}

/** Session creation + first run with onnxruntime's pre-packing on and off (the 7 s vs 49 s claim). */
async function startup(folder: string, quantized: boolean, disablePrepacking: boolean, rows: InputRow[]): Promise<number> {
  const path = join(folder, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
  const t = performance.now();
  const session = await ModelSession.load(folder, path, { threads: THREADS, disablePrepacking });
  await session.run(rows.slice(0, 1), 0);
  const ms = performance.now() - t;
  await session.release();
  return round(ms, 0);
}

/** NER F1 on ChemProt dev with the bundled ner-albert: exact fp32 (reference), fast mode, int8. */
async function f1Costs(): Promise<Record<string, number>> {
  const dir = join(root, 'test', 'fixtures', 'chemprot');
  const docs = readChemprot(
    join(dir, 'development_abstracts.tsv'),
    join(dir, 'development_entities.tsv'),
    join(dir, 'development_gold_standard.tsv'),
  );
  const engine = new Engine({ threads: THREADS });
  try {
    const folder = join(root, 'models', 'ner-albert');
    const fp32 = await engine.load({ folder, quantized: false }, 'ner');
    const int8 = await engine.load({ folder, quantized: true }, 'ner');
    const f1 = async (model: typeof fp32, mode: 'exact' | 'fast'): Promise<[number, number]> => {
      const [ms, scores] = await timed(() => evaluateChemprot(docs, { ner: model, aggregation: 'simple', mode }));
      return [(scores as { ner?: { f1: number } }).ner?.f1 ?? Number.NaN, ms];
    };
    const [exact, exactMs] = await f1(fp32, 'exact');
    const [fast, fastMs] = await f1(fp32, 'fast');
    const [q, qMs] = await f1(int8, 'exact');
    return {
      documents: docs.length,
      exact_f1: round(exact, 4),
      fast_f1: round(fast, 4),
      int8_f1: round(q, 4),
      fast_mode_f1_cost: round(exact - fast, 4),
      int8_f1_cost: round(exact - q, 4),
      exact_ms: round(exactMs, 0),
      fast_ms: round(fastMs, 0),
      int8_ms: round(qMs, 0),
    };
  } finally {
    await engine.dispose();
  }
}

/**
 * BENCH_SCALE_FIRST_VISIBLE_ONLY=1: only cold and warm first-visible times for each int8 file (what `auto` runs), the
 * editor's path as in the full run; prints JSON, writes bench/results/scale.first-visible.json. A minute per shape.
 */
async function firstVisibleOnly(): Promise<void> {
  const out: Record<string, unknown> = {
    benchmark: 'scale first visible',
    started: new Date().toISOString(),
    load_average_at_start: loadavg(),
  };
  for (const shape of SHAPES) {
    const folder = modelFolder(shape);
    const path = editorPath(folder, true, 'exact');
    try {
      const { cold, warm } = await coldAndWarm(path);
      out[`${shape.id}-int8`] = {
        cold_first_visible_ms: round(cold.ms, 0),
        warm_first_visible_ms: round(warm.ms, 0),
        shown: cold.shown && warm.shown,
      };
      log(`${shape.id} int8: ${JSON.stringify(out[`${shape.id}-int8`])}`);
    } finally {
      await path.backend.dispose();
    }
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileAtomic(join(RESULTS_DIR, 'scale.first-visible.json'), `${JSON.stringify(out, null, 2)}\n`, { overwrite: true });
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

async function main(): Promise<void> {
  ensurePython();
  mkdirSync(CACHE, { recursive: true });
  if (process.env.BENCH_SCALE_FIRST_VISIBLE_ONLY === '1') return firstVisibleOnly();
  const started = new Date().toISOString();
  const load = loadavg();
  const results: Record<string, unknown> = {};
  mkdirSync(RESULTS_DIR, { recursive: true });
  const partial: Record<string, unknown> = readJson(PARTIAL) ?? {};
  for (const shape of SHAPES) {
    const folder = modelFolder(shape);
    const rows = await tokenRows(folder);
    const entry: Record<string, unknown> = { folder, layers: shape.layers };
    for (const quantized of [false, true]) {
      const variant = quantized ? 'int8' : 'fp32';
      const done = partial[`${shape.id}-L${shape.layers}-${variant}`];
      if (done) {
        log(`${shape.id} L${shape.layers} ${variant}: from ${PARTIAL}`);
        entry[variant] = done;
        continue;
      }
      const file = join(folder, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
      const bytes = statSync(file).size;
      log(`${shape.id} L${shape.layers} ${variant} (${round(bytes / 2 ** 20, 0)} MB)`);
      const prepack = prepackFor({ modelType: shape.modelType, quantized, bytes });
      log('  raw session.run tokens/s');
      const tps = await rawTokensPerSecond(folder, quantized, shape.modelType, rows);
      log('  through the worker');
      const count = quantized ? ABSTRACTS : shape.fp32Abstracts;
      const worker = await throughWorker(folder, quantized, 'exact', count);
      log(`    ${JSON.stringify(worker)}`);
      // Fast NER mode's speed where it matters: the int8 file `auto` picks, through the worker.
      const fast = quantized ? await throughWorker(folder, quantized, 'fast', count) : undefined;
      if (fast) log(`    fast mode: ${JSON.stringify(fast)}`);
      const raw = await rawRunMs(folder, quantized, abstracts.slice(2 * DOCUMENT_ABSTRACTS, 2 * DOCUMENT_ABSTRACTS + count));
      const workerTps = raw.tokens / ((worker.abstracts_ms as number) / 1000);
      const rawTps = raw.tokens / (raw.ms / 1000);
      entry[variant] = {
        file_mb: round(bytes / 2 ** 20, 0),
        prepacking: prepack,
        tokens_per_s: tps,
        tokens_per_s_rows: `${rows.length} rows of up to ${ROW_TOKENS} tokens (a batch never holds more rows than that)`,
        ...worker,
        abstracts: count,
        abstract_tokens: raw.tokens,
        worker_tokens_per_s: round(workerTps, 1),
        raw_tokens_per_s: round(rawTps, 1),
        worker_vs_raw_ratio: round(workerTps / rawTps, 3),
        ...(fast
          ? {
              fast_mode: {
                cold_first_visible_ms: fast.cold_first_visible_ms,
                warm_first_visible_ms: fast.warm_first_visible_ms,
                abstracts_ms: fast.abstracts_ms,
                speedup_vs_exact: round((worker.abstracts_ms as number) / (fast.abstracts_ms as number), 2),
              },
            }
          : {}),
      };
      log(`    worker ${round(workerTps, 1)} vs raw ${round(rawTps, 1)} tokens/s`);
      partial[`${shape.id}-L${shape.layers}-${variant}`] = entry[variant];
      writeFileAtomic(PARTIAL, JSON.stringify(partial, null, 2), { overwrite: true });
    }
    const f = entry.fp32 as { tokens_per_s: Record<string, number> };
    const q = entry.int8 as { tokens_per_s: Record<string, number> };
    entry.int8_speedup = Object.fromEntries(Object.keys(f.tokens_per_s).map((k) => [k, round(q.tokens_per_s[k] / f.tokens_per_s[k], 2)]));
    if (shape.modelType === 'albert' && PREPACK_CHECK) {
      log('  start-up with pre-packing off / on (fp32)');
      const off = await startup(folder, false, true, rows);
      const on = await startup(folder, false, false, rows);
      entry.fp32_startup_ms = { prepacking_off: off, prepacking_on: on };
      log(`    ${off} ms vs ${on} ms`);
    }
    results[shape.id] = entry;
  }
  const previous = readJson(join(RESULTS_DIR, 'scale.json'))?.f1 as Record<string, number> | undefined;
  let f1: Record<string, number>;
  if (!F1 && previous) {
    log('F1 costs: reused from the last bench/results/scale.json (BENCH_SCALE_F1=0)');
    f1 = { ...previous, reused_from_previous_run: 1 };
  } else {
    log('F1 costs on ChemProt dev (bundled ner-albert)');
    f1 = await f1Costs();
  }
  log(`  ${JSON.stringify(f1)}`);
  log('reopen from the persistent cache (bench/reopen.ts)');
  const reopen = await measureReopenFromCache();
  log(`  ${JSON.stringify(reopen)}`);
  const albert = results['albert-xxlarge'] as Record<string, Record<string, number>>;
  const headline = albert.int8;
  const out = {
    benchmark: 'scale',
    quick: QUICK,
    note: QUICK
      ? `QUICK MODE: ${SHAPES.map((s) => `${s.id} ${s.layers} layers`).join(', ')} (not the real depth); ${ABSTRACTS} abstracts`
      : 'full shapes: ALBERT-xxlarge 12 shared layers, ELECTRA-Large 24 layers; random weights',
    started,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      // int8 speed depends on these: without AVX-512 VNNI, MatMulInteger gains much less over fp32.
      cpu_features: cpuFeatures(),
      cores: cpus().length,
      memory_gb: round(totalmem() / 2 ** 30, 1),
      load_average_at_start: load.map((x) => round(x, 2)),
      load_average_at_end: loadavg().map((x) => round(x, 2)),
      platform: `${process.platform}-${process.arch}`,
      node: process.version,
      threads: THREADS,
    },
    // Headline numbers: ALBERT-xxlarge shape through the worker with the int8 file `quantized: auto` picks.
    cold_first_visible_ms: headline.cold_first_visible_ms,
    warm_first_visible_ms: headline.warm_first_visible_ms,
    first_visible_measures: `a ${DOCUMENT_ABSTRACTS}-abstract document scrolled to abstract ${VISIBLE_ABSTRACT + 1}: Annotate until the store first shows that abstract's entities (DocumentAnnotator + worker, visible text first)`,
    int8_speedup: (albert.int8_speedup as unknown as Record<string, number>).batch_4,
    worker_vs_raw_ratio: headline.worker_vs_raw_ratio,
    worker_peak_rss_mb: headline.worker_peak_rss_mb,
    abstracts_ms: headline.abstracts_ms,
    reopen_from_cache_ms: round(reopen.reopen_from_cache_ms, 1),
    reopen_model_calls: reopen.reopen_model_calls,
    reopen_note:
      '50 ChemProt abstracts, bundled ner-albert, editor defaults (linking on): a new worker on the same disk cache (bench/reopen.ts)',
    fast_mode_f1_cost: f1.fast_mode_f1_cost,
    int8_f1_cost: f1.int8_f1_cost,
    f1,
    models: results,
  };
  writeFileAtomic(join(RESULTS_DIR, 'scale.json'), `${JSON.stringify(out, null, 2)}\n`, { overwrite: true });
  log(`wrote bench/results/scale.json${QUICK ? ' (QUICK MODE)' : ''}`);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main().catch((e) => {
  log(`bench:scale failed: ${(e as Error).message}`);
  process.exit(1);
});
