// Benchmark: one huge document (ChemProt development abstracts repeated to N MB) through NER, relations and QA in the
// inference worker, as the editor sends it: the worker's peak RSS per size (it must stay flat, under 1.5 GB at 50 MB)
// and the host's event-loop delay meanwhile. Not part of `npm test`. Run: npm run bench:huge (BENCH_HUGE_MB=1,2,4).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WorkerClient } from '../src/worker/client';
import { TextTokenizer } from '../src/core/tokenize/tokenizer';
import { overlappingSegments } from '../src/core/text/segments';
import { chemprotDevAbstracts, root } from '../test/helpers/paths';

const SIZES_MB = (process.env.BENCH_HUGE_MB ?? '1,2,4')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const LIMIT_MB = 1536;
const models = {
  ner: { folder: join(root, 'models', 'ner-albert'), quantized: false },
  relations: { folder: join(root, 'models', 're-electra'), quantized: false },
  qa: { folder: join(root, 'models', 'qa-albert'), quantized: false },
};

function documentOf(megabytes: number): string {
  const abstracts = chemprotDevAbstracts();
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < megabytes * 1e6; i++) {
    const a = abstracts[i % abstracts.length];
    parts.push(a);
    size += a.length + 2;
  }
  return parts.join('\n\n');
}

/** Peak resident memory of a process (Linux): the highest VmRSS seen by polling, and the kernel's VmHWM. */
function rssSampler(pid: number): { peek(): number; stop(): { peakMb: number; hwmMb: number } } {
  const read = (field: string): number => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  };
  let peak = read('VmRSS');
  const timer = setInterval(() => (peak = Math.max(peak, read('VmRSS'))), 200);
  return {
    peek: () => Math.round(read('VmHWM')),
    stop: () => {
      clearInterval(timer);
      return { peakMb: Math.round(Math.max(peak, read('VmRSS'))), hwmMb: Math.round(read('VmHWM')) };
    },
  };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work();
  return [result, Date.now() - started];
}

async function measure(megabytes: number): Promise<Record<string, number>> {
  const text = documentOf(megabytes);
  const client = new WorkerClient({
    workerPath: join(root, 'dist', 'worker.js'),
    settings: { threads: THREADS },
    hangTimeoutMs: 600_000,
  });
  try {
    const { pid } = await client.ping();
    const rss = rssSampler(pid);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const phase = (name: string): void => void process.stderr.write(`  ${name}: worker VmHWM ${rss.peek()} MB\n`);
    const [[entities], nerMs] = await timed(() => client.recognizeEntities(models.ner, [text], { aggregation: 'simple', stride: 64 }));
    phase(`NER ${nerMs} ms`);
    const found = entities.filter((e) => e.score >= 0.5);
    const [relations, reMs] = await timed(() => client.extractRelations(models.relations, text, found));
    phase(`relations ${reMs} ms, ${found.length} entities`);
    const [answers, qaMs] = await timed(() => client.answerQuestion(models.qa, 'What inhibits COX-2?', text, { topK: 3 }));
    phase(`QA ${qaMs} ms`);
    loop.disable();
    const { peakMb, hwmMb } = rss.stop();
    return {
      document_mb: Math.round(text.length / 1e5) / 10,
      entities: found.length,
      relations: relations.length,
      answers: answers.length,
      ner_s: nerMs / 1000,
      relations_s: reMs / 1000,
      qa_s: qaMs / 1000,
      worker_peak_rss_mb: peakMb,
      worker_vmhwm_mb: hwmMb,
      host_event_loop_p99_ms: Math.round(loop.percentile(99) / 1e5) / 10,
      host_event_loop_max_ms: Math.round(loop.max / 1e5) / 10,
    };
  } finally {
    await client.dispose();
  }
}

/**
 * Tokenization only (no model), in this process: the heap that QA's windows take for a whole N MB context at once
 * (what QA did before) against the largest piece it now windows at a time. Fast enough for sizes the full run is not.
 */
async function windowsOnly(): Promise<void> {
  const tokenizer = await TextTokenizer.load(models.qa.folder, join(models.qa.folder, 'tokenizer.json'));
  const heap = (): number => {
    global.gc?.();
    return process.memoryUsage().heapUsed / 2 ** 20;
  };
  const rows: Record<string, number>[] = [];
  for (const mb of SIZES_MB) {
    const text = documentOf(mb);
    const base = heap();
    const all = await tokenizer.encodePairWindows('What inhibits COX-2?', text, 384, 128);
    const whole = heap() - base;
    const windows = all.length;
    all.length = 0;
    let piece = 0;
    for (const s of overlappingSegments(text)) {
      const before = heap();
      const w = await tokenizer.encodePairWindows('What inhibits COX-2?', text.slice(s.start, s.end), 384, 128);
      piece = Math.max(piece, heap() - before);
      w.length = 0;
    }
    rows.push({ document_mb: mb, windows, heap_all_windows_mb: Math.round(whole), heap_largest_piece_mb: Math.round(piece) });
    process.stderr.write(`${JSON.stringify(rows[rows.length - 1])}\n`);
  }
  console.table(rows);
}

async function main(): Promise<void> {
  if (process.env.BENCH_HUGE_WINDOWS_ONLY) return windowsOnly();
  const rows: Record<string, number>[] = [];
  for (const mb of SIZES_MB) {
    process.stderr.write(`${mb} MB document…\n`);
    const row = await measure(mb);
    rows.push(row);
    process.stderr.write(`${JSON.stringify(row)}\n`);
  }
  console.table(rows);
  const worst = Math.max(...rows.map((r) => r.worker_vmhwm_mb));
  console.log(`worker peak RSS ${worst} MB (limit ${LIMIT_MB} MB): ${worst < LIMIT_MB ? 'under' : 'OVER'} the limit`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'huge.json'), JSON.stringify({ threads: THREADS, rows }, null, 2) + '\n');
}

void main();
