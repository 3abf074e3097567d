// Owns incremental relation extraction: per-sentence results cached by (model key, sentence text, the entity spans in
// it relative to the sentence), so an edit re-classifies only the pairs of the sentences it touched.
import { throwIfAborted } from './errors';
import { ParagraphCache } from './incremental';
import { entityKind } from './labels';
import { shiftSpans } from './text/changes';
import { splitSentences } from './text/sentences';
import type { Entity, Relation, Span } from './types';

/** Classifies the chemical–gene pairs of `entities` in `text` (document offsets in, document offsets out). */
export type PairClassifier = (text: string, entities: readonly Entity[], signal?: AbortSignal) => Promise<Relation[]>;

/** A relation as cached: offsets relative to its sentence, so it stays valid wherever the sentence moves. */
export interface CachedRelation {
  label: string;
  score: number;
  chemical: Span;
  gene: Span;
}

export interface IncrementalRelationsOptions {
  signal?: AbortSignal;
  /** Pairs classified so far out of the pairs this call must classify (cached ones are not counted). */
  onProgress?: (done: number, total: number) => void;
  /** Most pairs per classifier call: bounds one worker request and moves the progress bar in steps. */
  pairsPerCall?: number;
}

export interface IncrementalRelationsResult {
  relations: Relation[];
  /** Chemical–gene pairs in the text. */
  pairs: number;
  /** Pairs this call classified; the rest came from the cache. */
  pairsRerun: number;
  /** Sentences with at least one pair, and those of them that were classified again. */
  sentences: number;
  sentencesRerun: number;
}

interface SentenceWork {
  sentence: Span;
  key: string;
  inside: Entity[];
  pairs: number;
}

/** Pairs candidatePairs (tasks/relations.ts) makes in one sentence: chemical × gene, minus overlapping ones. */
function pairCount(inside: readonly Entity[]): number {
  const chemicals = inside.filter((e) => entityKind(e.label) === 'chemical');
  const genes = inside.filter((e) => entityKind(e.label) === 'gene');
  let n = 0;
  for (const c of chemicals) for (const g of genes) if (c.end <= g.start || g.end <= c.start) n++;
  return n;
}

/** Relations of `text`; sentences whose text and entity spans were classified before with `modelKey` are not sent again. */
export async function incrementalRelations(
  text: string,
  entities: readonly Entity[],
  modelKey: string,
  classify: PairClassifier,
  cache: ParagraphCache<CachedRelation>,
  options: IncrementalRelationsOptions = {},
): Promise<IncrementalRelationsResult> {
  throwIfAborted(options.signal);
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  const work: SentenceWork[] = [];
  let next = 0;
  for (const sentence of splitSentences(text)) {
    while (next < sorted.length && sorted[next].start < sentence.start) next++;
    const inside: Entity[] = [];
    for (let i = next; i < sorted.length && sorted[i].start < sentence.end; i++) if (sorted[i].end <= sentence.end) inside.push(sorted[i]);
    const pairs = pairCount(inside);
    if (pairs === 0) continue;
    // The marked texts depend on the sentence text, where each mention is and whether it is a chemical or a gene.
    const spans = inside.map((e) => [e.start - sentence.start, e.end - sentence.start, entityKind(e.label)]);
    const key = ParagraphCache.key(modelKey, JSON.stringify([text.slice(sentence.start, sentence.end), spans]));
    work.push({ sentence, key, inside, pairs });
  }

  const relations: Relation[] = [];
  const missed: SentenceWork[] = [];
  for (const w of work) {
    const cached = cache.get(w.key);
    if (cached) relations.push(...fromCache(cached, w));
    else missed.push(w);
  }

  const total = missed.reduce((n, w) => n + w.pairs, 0);
  const perCall = options.pairsPerCall ?? 128;
  let done = 0;
  options.onProgress?.(0, total);
  for (let i = 0; i < missed.length; ) {
    throwIfAborted(options.signal);
    const chunk: SentenceWork[] = [];
    let pairs = 0;
    while (i < missed.length && (chunk.length === 0 || pairs + missed[i].pairs <= perCall)) {
      pairs += missed[i].pairs;
      chunk.push(missed[i++]);
    }
    // Only the stretch of text that holds the chunk's sentences goes out: sentence breaks depend only on the
    // characters around them, so the classifier finds the same sentences there.
    const from = chunk[0].sentence.start;
    const to = chunk[chunk.length - 1].sentence.end;
    const found = await classify(
      text.slice(from, to),
      shiftSpans(
        chunk.flatMap((w) => w.inside),
        -from,
      ),
      options.signal,
    );
    for (const w of chunk) {
      // Offsets come back relative to the stretch; relative to the sentence is what the cache keeps.
      const base = w.sentence.start - from;
      const mine = found.filter((r) => r.sentence.start === base).map((r) => toCache(r, base));
      cache.set(w.key, mine);
      relations.push(...fromCache(mine, w));
    }
    done += pairs;
    options.onProgress?.(done, total);
  }
  relations.sort((a, b) => a.sentence.start - b.sentence.start || a.chemical.start - b.chemical.start || a.gene.start - b.gene.start);
  return {
    relations,
    pairs: work.reduce((n, w) => n + w.pairs, 0),
    pairsRerun: total,
    sentences: work.length,
    sentencesRerun: missed.length,
  };
}

function toCache(r: Relation, base: number): CachedRelation {
  return {
    label: r.label,
    score: r.score,
    chemical: { start: r.chemical.start - base, end: r.chemical.end - base },
    gene: { start: r.gene.start - base, end: r.gene.end - base },
  };
}

/** Cached relations on the sentence's current entities (the key guarantees each span is there). */
function fromCache(cached: readonly CachedRelation[], w: SentenceWork): Relation[] {
  const base = w.sentence.start;
  // A span can be both a chemical and a gene mention (overlapping annotations), so the kind is part of the match.
  const at = (span: Span, kind: 'chemical' | 'gene'): Entity | undefined =>
    w.inside.find((e) => e.start === span.start + base && e.end === span.end + base && entityKind(e.label) === kind);
  return cached.flatMap((c) => {
    const chemical = at(c.chemical, 'chemical');
    const gene = at(c.gene, 'gene');
    return chemical && gene ? [{ label: c.label, score: c.score, chemical, gene, sentence: w.sentence }] : [];
  });
}
