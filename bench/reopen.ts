// Benchmark for issue 17: reopening an annotated 50-abstract document in a new editor session (new worker, empty
// memory) shows every entity from the persistent result cache with no model run. `npm run bench:reopen`; bench/scale.ts
// calls measureReopenFromCache().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chemprotDevAbstracts } from '../test/helpers/paths';
import { forgetFingerprints } from '../src/core/cache/modelFingerprint';
import type { ModelRef } from '../src/core/engine';
import { AnnotationStore } from '../src/host/annotationStore';
import { DocumentAnnotator } from '../src/host/documentAnnotator';
import { WorkerBackend } from '../src/host/workerBackend';

const root = join(__dirname, '..');

/** The first `count` ChemProt development abstracts, a blank line between them (one paragraph each). */
function chemprotDocument(count: number): string {
  return chemprotDevAbstracts().slice(0, count).join('\n\n');
}

/** An editor session: its own worker process, in-memory caches and annotation store; the disk cache is shared. */
function session(cacheDir: string): { backend: WorkerBackend; annotator: DocumentAnnotator; store: AnnotationStore } {
  const backend = new WorkerBackend({
    workerPath: join(root, 'src', 'worker', 'main.ts'),
    execArgv: ['--import', 'tsx'],
    threads: 0,
    resultCache: { dir: cacheDir, maxBytes: 200 * 1024 * 1024, salt: 'bench' },
  });
  const store = new AnnotationStore();
  const model: ModelRef = { folder: join(root, 'models', 'ner-albert') };
  const annotator = new DocumentAnnotator({
    backend,
    store,
    // The editor's defaults: word-level max, min score 0.5, linking to MeSH / NCBI Gene (human) on.
    settings: () => ({ aggregation: 'max', minScore: 0.5, normalization: { species: 'human' } }),
    models: () => ({
      ner: [model],
      relations: { folder: join(root, 'models', 're-electra') },
      qa: { folder: join(root, 'models', 'qa-albert') },
    }),
  });
  return { backend, annotator, store };
}

export interface ReopenBench {
  /** "Annotate" to every entity stored, in a new session whose results come from the disk cache. */
  reopen_from_cache_ms: number;
  /** Session runs of any model in the new session's worker: 0 means nothing was computed. */
  reopen_model_calls: number;
  /** The first (computing) annotation, for scale. */
  first_annotate_ms: number;
  reopen_entities: number;
  reopen_same_entities: boolean;
}

export async function measureReopenFromCache(): Promise<ReopenBench> {
  const dir = mkdtempSync(join(tmpdir(), 'biom-reopen-'));
  const document = { uri: 'file:///bench/chemprot-50.txt', version: 1, name: 'chemprot-50.txt', getText: () => text };
  const text = chemprotDocument(50);
  try {
    const first = session(dir);
    let t = performance.now();
    const computed = await first.annotator.annotate(document);
    const first_annotate_ms = performance.now() - t;
    await first.backend.dispose();
    if (!computed) throw new Error('the first annotation produced nothing');
    // A new process would not know the model's hash: only the disk cache remembers it.
    forgetFingerprints();
    const second = session(dir);
    t = performance.now();
    const reopened = await second.annotator.annotate(document);
    const reopen_from_cache_ms = performance.now() - t;
    const stats = await second.backend.workerStats();
    await second.backend.dispose();
    return {
      reopen_from_cache_ms,
      reopen_model_calls: stats.modelCalls + stats.modelLoads,
      first_annotate_ms,
      reopen_entities: reopened?.length ?? 0,
      reopen_same_entities: JSON.stringify(reopened) === JSON.stringify(computed),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void measureReopenFromCache().then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      const ok = r.reopen_model_calls === 0 && r.reopen_same_entities && r.reopen_from_cache_ms <= 300;
      console.log(ok ? 'reopen from cache: target met (≤ 300 ms, zero model calls, same entities)' : 'reopen from cache: TARGET MISSED');
      process.exitCode = ok ? 0 : 1;
    },
    (e: Error) => {
      console.error(`bench:reopen failed: ${e.message}`);
      process.exitCode = 1;
    },
  );
}
