// Benchmark for issue 12: normalization index load time and memory, and mentions linked per second on one core.
// Part of `npm run bench`; alone: `node --expose-gc --import tsx bench/normalize.ts`. Not a pass/fail test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledNormalizationDir, INDEX_FILES } from '../src/core/normalize/bundled';
import { Normalizer, type LinkKind } from '../src/core/normalize/normalizer';
import { loadIndexFile, type VocabularyIndex } from '../src/core/normalize/vocabulary';
import { readPubtator } from '../src/core/formats/pubtator';

const root = join(__dirname, '..');
const REPS = Number(process.env.BENCH_REPS ?? 3);
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const mb = (bytes: number): number => round(bytes / 2 ** 20);
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

export interface NormalizeBench {
  load_ms: Record<LinkKind, number>;
  /** JS heap growth for both indexes (target <= 150 MB); the index bytes themselves live in a Buffer, counted apart. */
  heap_mb: number;
  buffers_mb: number;
  mentions: number;
  /** Fresh normalizer per pass: every name looked up (no per-name cache help). */
  mentions_per_second_cold: number;
  /** The same documents again: repeated names come from the cache, as in an editor re-annotating. */
  mentions_per_second_warm: number;
  /** 2,000 hostile mentions (empty, punctuation, non-Latin, 10,000 characters) per second. */
  hostile_per_second: number;
}

export function runNormalizeBench(): NormalizeBench {
  const dir = bundledNormalizationDir();
  gc();
  const before = process.memoryUsage();
  const indexes = {} as Record<LinkKind, VocabularyIndex>;
  const load_ms = {} as Record<LinkKind, number>;
  for (const kind of ['chemical', 'gene'] as const) {
    const times: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const t = performance.now();
      indexes[kind] = loadIndexFile(join(dir, INDEX_FILES[kind]));
      times.push(performance.now() - t);
    }
    load_ms[kind] = round(median(times));
  }
  gc();
  const after = process.memoryUsage();

  // Gold mentions of the committed slices, linked document by document with their document context.
  const docs = [
    ...readPubtator(readFileSync(join(root, 'test', 'fixtures', 'normalization', 'bc5cdr_dev_first80.pubtator'), 'utf8')),
    ...readPubtator(readFileSync(join(root, 'test', 'fixtures', 'normalization', 'biored_first80.pubtator'), 'utf8')),
  ].map((d) => ({ text: d.text, entities: d.entities.filter((e) => /^(chemical|gene)$/i.test(e.label)).map(({ ids: _ids, ...e }) => e) }));
  const mentions = docs.reduce((n, d) => n + d.entities.length, 0);
  const pass = (normalizer: Normalizer): number => {
    const t = performance.now();
    for (const d of docs) normalizer.normalizeEntities(d.text, d.entities);
    return performance.now() - t;
  };
  pass(new Normalizer(indexes));
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const n = new Normalizer(indexes);
    cold.push(pass(n));
    warm.push(pass(n));
  }
  const hostile = ['', '   ', '()-[]', '阿司匹林', 'аспирин', 'x'.repeat(10_000), '('.repeat(10_000), 'ERK1/'.repeat(2_000)];
  const hostileNormalizer = new Normalizer(indexes);
  const t = performance.now();
  for (let i = 0; i < 250; i++) for (const h of hostile) hostileNormalizer.link(h + (i % 2 ? '' : ' '), i % 2 ? 'gene' : 'chemical');
  const hostileMs = performance.now() - t;
  return {
    load_ms,
    heap_mb: mb(after.heapUsed - before.heapUsed),
    buffers_mb: mb(after.arrayBuffers - before.arrayBuffers),
    mentions,
    mentions_per_second_cold: Math.round((mentions / median(cold)) * 1000),
    mentions_per_second_warm: Math.round((mentions / median(warm)) * 1000),
    hostile_per_second: Math.round((250 * hostile.length) / (hostileMs / 1000)),
  };
}

if (require.main === module) {
  console.log(JSON.stringify(runNormalizeBench(), null, 2));
}
