// Benchmark for issue 11: one curation action on a document with 2,000 entities (apply + the Entities view's grouping)
// and writing its .ann atomically. `npm run bench:curation`; also part of `npm run bench`. Not a pass/fail test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CurationDocument, groupEntities } from '../src/core/curation/document';
import { writeCuratedAnn } from '../src/core/formats/bratAnn';
import { writeFileAtomic } from '../src/core/io/atomicWrite';
import type { AnnotatedEntity } from '../src/core/types';

const root = join(__dirname, '..');

/** ChemProt development abstracts with their gold mentions as model suggestions, until `count` mentions. */
function document(count: number): { text: string; entities: AnnotatedEntity[] } {
  const dir = join(root, 'test', 'fixtures', 'chemprot');
  const lines = readFileSync(join(dir, 'development_abstracts.tsv'), 'utf8').trim().split('\n');
  const byPmid = new Map<string, string[][]>();
  for (const row of readFileSync(join(dir, 'development_entities.tsv'), 'utf8').trim().split('\n')) {
    const f = row.split('\t');
    byPmid.set(f[0], [...(byPmid.get(f[0]) ?? []), f]);
  }
  let text = '';
  const entities: AnnotatedEntity[] = [];
  for (const line of lines) {
    if (entities.length >= count) break;
    const [pmid, title, abstract] = line.split('\t');
    if (text) text += '\n\n';
    const base = text.length;
    text += `${title} ${abstract}`;
    for (const [, , label, start, end, mention] of byPmid.get(pmid) ?? []) {
      const score = 0.5 + ((Number(start) * 7919) % 500) / 1000;
      entities.push({
        label: label.startsWith('GENE') ? 'GENE' : 'CHEMICAL',
        score,
        start: base + Number(start),
        end: base + Number(end),
        text: mention,
        model: 'ner',
      });
    }
  }
  return { text, entities: entities.slice(0, count) };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

export interface CurationBench {
  entities: number;
  /** apply(one accept or reject) + state + groupEntities, median ms. Target < 50. */
  action_ms: number;
  /** Accept every mention with the same text and type (one step) + grouping, median ms. */
  bulk_action_ms: number;
  /** undo + grouping, median ms. */
  undo_ms: number;
  /** writeCuratedAnn + writeFileAtomic (fsync, rename), median ms. Target < 20. */
  write_ann_ms: number;
  /** Of which writeCuratedAnn alone (the part BioM controls; the rest is the disk's fsync). */
  serialize_ann_ms: number;
  ann_bytes: number;
}

export function runCurationBench(reps = 51): CurationBench {
  const { text, entities } = document(2000);
  const doc = new CurationDocument(text);
  doc.mergeSuggestions(entities);
  const ids = doc.state.entities.map((e) => e.id);
  const action: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    doc.apply({ kind: i % 2 ? 'reject' : 'accept', ids: [ids[(i * 37) % ids.length]] });
    groupEntities(doc.state);
    action.push(performance.now() - t);
  }
  const bulk: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    doc.apply({ kind: i % 2 ? 'reject' : 'accept', ids: doc.sameTextAndLabel(ids[(i * 53) % ids.length]) });
    groupEntities(doc.state);
    bulk.push(performance.now() - t);
  }
  const undo: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    doc.undo();
    groupEntities(doc.state);
    undo.push(performance.now() - t);
  }
  const dir = mkdtempSync(join(tmpdir(), 'biom-bench-curation-'));
  const write: number[] = [];
  const serialize: number[] = [];
  let bytes = 0;
  try {
    const path = join(dir, 'abstracts.ann');
    for (let i = 0; i < reps; i++) {
      doc.apply({ kind: 'accept', ids: [ids[(i * 11) % ids.length]] });
      const t = performance.now();
      const ann = writeCuratedAnn(text, doc.state);
      serialize.push(performance.now() - t);
      writeFileAtomic(path, ann, { overwrite: true });
      write.push(performance.now() - t);
      bytes = Buffer.byteLength(ann);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    entities: doc.state.entities.length,
    action_ms: round(median(action)),
    bulk_action_ms: round(median(bulk)),
    undo_ms: round(median(undo)),
    write_ann_ms: round(median(write)),
    serialize_ann_ms: round(median(serialize)),
    ann_bytes: bytes,
  };
}

if (require.main === module) {
  const r = runCurationBench();
  process.stdout.write(
    `curation action_ms ${r.action_ms} (< 50)  bulk_action_ms ${r.bulk_action_ms}  undo_ms ${r.undo_ms}  write_ann_ms ${r.write_ann_ms} (< 20; serialize ${r.serialize_ann_ms})  ` +
      `entities ${r.entities}\n${JSON.stringify(r, null, 2)}\n`,
  );
}
