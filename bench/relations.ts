// Benchmark for issue 15: relations after a one-line edit in a 200-abstract document, through the editor's worker
// backend (the same path as the relations panel in live mode). `npm run bench:relations`; also part of `npm run bench`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { candidatePairs } from '../src/core/tasks/relations';
import { mapSpans } from '../src/core/text/changes';
import { splitSentences } from '../src/core/text/sentences';
import type { Entity } from '../src/core/types';
import { WorkerBackend } from '../src/host/workerBackend';

const root = join(__dirname, '..');

/** The first `count` ChemProt development abstracts, blank line between them, with their gold entities. */
function chemprotDocument(count: number): { text: string; entities: Entity[] } {
  const dir = join(root, 'test', 'fixtures', 'chemprot');
  const lines = readFileSync(join(dir, 'development_abstracts.tsv'), 'utf8').trim().split('\n').slice(0, count);
  const rows = readFileSync(join(dir, 'development_entities.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const byPmid = new Map<string, string[][]>();
  for (const row of rows) byPmid.set(row[0], [...(byPmid.get(row[0]) ?? []), row]);
  let text = '';
  const entities: Entity[] = [];
  for (const line of lines) {
    const [pmid, title, abstract] = line.split('\t');
    if (text) text += '\n\n';
    const base = text.length;
    text += `${title} ${abstract}`;
    for (const [, , label, start, end, mention] of byPmid.get(pmid) ?? []) {
      entities.push({ label, start: base + Number(start), end: base + Number(end), text: mention, score: 1 });
    }
  }
  return { text, entities: entities.sort((a, b) => a.start - b.start || a.end - b.end) };
}

export interface RelationsBench {
  relations_cold_ms: number;
  relations_pairs: number;
  relations_rerun_after_edit_ms: number;
  relations_pairs_rerun: number;
  /** Pairs of the edited sentence: the target for relations_pairs_rerun. */
  relations_pairs_in_edited_sentence: number;
}

export async function runRelationsBench(threads: number): Promise<RelationsBench> {
  const backend = new WorkerBackend({ workerPath: join(root, 'src', 'worker', 'main.ts'), execArgv: ['--import', 'tsx'], threads });
  try {
    const model = { folder: join(root, 'models', 're-electra') };
    const { text, entities } = chemprotDocument(200);
    let t = performance.now();
    const cold = await backend.relations(text, entities, model);
    const coldMs = performance.now() - t;
    // One line typed into a sentence in the middle of the document, before its first mention (every mention survives).
    const inSentence = (e: Entity, s: { start: number; end: number }): boolean => e.start >= s.start && e.end <= s.end;
    const withPairs = splitSentences(text).filter(
      (s) =>
        candidatePairs(
          text,
          entities.filter((e) => inSentence(e, s)),
        ).length > 0,
    );
    const target = withPairs[withPairs.length >> 1];
    const at = entities.find((e) => inSentence(e, target))?.start ?? target.start;
    const typed = 'in this line, ';
    const edited = text.slice(0, at) + typed + text.slice(at);
    const moved = mapSpans(entities, [{ start: at, end: at, insertedLength: typed.length }], 'drop');
    t = performance.now();
    const warm = await backend.relations(edited, moved, model);
    const warmMs = performance.now() - t;
    return {
      relations_cold_ms: Math.round(coldMs),
      relations_pairs: cold.pairs,
      relations_rerun_after_edit_ms: Math.round(warmMs * 100) / 100,
      relations_pairs_rerun: warm.pairsRerun,
      relations_pairs_in_edited_sentence: candidatePairs(
        text,
        entities.filter((e) => inSentence(e, target)),
      ).length,
    };
  } finally {
    await backend.dispose();
  }
}

if (require.main === module) {
  runRelationsBench(Number(process.env.BENCH_THREADS ?? 2)).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
