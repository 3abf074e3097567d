// Owns running NER and relations over texts of any length in bounded memory: a text longer than SEGMENT_CHARS is
// processed one sentence-aligned piece at a time (see text/segments.ts) and the results shifted back.
import type { Entity, Relation, Span } from '../types';
import { throwIfAborted } from '../errors';
import { SEGMENT_CHARS, overlappingSegments, textSegments } from '../text/segments';
import { recognizeEntities, type NerModel, type NerOptions } from './ner';
import { extractRelations, type ClassifierModel, type RelationOptions } from './relations';

/** Runs `run` on each piece of a long text and shifts the entities it finds back into the whole text. */
export async function entitiesByPiece(
  text: string,
  segmentChars: number,
  run: (piece: string) => Promise<Entity[]>,
  signal?: AbortSignal,
): Promise<Entity[]> {
  const all: Entity[] = [];
  for (const segment of textSegments(text, segmentChars)) {
    throwIfAborted(signal);
    for (const e of await run(text.slice(segment.start, segment.end))) all.push(shift(e, segment.start));
  }
  return all;
}

/** Runs `run` on each piece of a long text with the entities inside it, and shifts the relations back. */
export async function relationsByPiece(
  text: string,
  entities: readonly Entity[],
  segmentChars: number,
  run: (piece: string, entities: Entity[]) => Promise<Relation[]>,
  signal?: AbortSignal,
): Promise<Relation[]> {
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  const relations: Relation[] = [];
  let next = 0;
  for (const segment of textSegments(text, segmentChars)) {
    throwIfAborted(signal);
    const inside: Entity[] = [];
    while (next < sorted.length && sorted[next].start < segment.end) {
      const e = sorted[next++];
      if (e.start >= segment.start && e.end <= segment.end) inside.push(shift(e, -segment.start));
    }
    if (inside.length < 2) continue;
    for (const r of await run(text.slice(segment.start, segment.end), inside)) {
      relations.push({
        ...r,
        chemical: shift(r.chemical, segment.start),
        gene: shift(r.gene, segment.start),
        sentence: shift(r.sentence, segment.start),
      });
    }
  }
  return relations;
}

/**
 * Runs `run` on overlapping pieces of a long context (answers may cross a boundary) and keeps the best `topK`
 * answers, each span once; `run` gets the piece and its offset and returns answers already in whole-context offsets.
 */
export async function answersByPiece<T extends Span & { score: number }>(
  context: string,
  topK: number,
  segmentChars: number,
  run: (piece: string, offset: number) => Promise<T[]>,
  signal?: AbortSignal,
): Promise<T[]> {
  let best: T[] = [];
  for (const piece of overlappingSegments(context, segmentChars)) {
    throwIfAborted(signal);
    const found = await run(context.slice(piece.start, piece.end), piece.start);
    const seen = new Set(best.map((a) => `${a.start}:${a.end}`));
    best = [...best, ...found.filter((a) => !seen.has(`${a.start}:${a.end}`))].sort((a, b) => b.score - a.score).slice(0, topK);
  }
  return best;
}

function shift<T extends Span>(span: T, by: number): T {
  return { ...span, start: span.start + by, end: span.end + by };
}

/**
 * NER on a text of any length. Up to SEGMENT_CHARS it is exactly recognizeEntities; beyond, each piece is windowed on
 * its own, so tokens, windows and logits exist for one piece at a time. Pieces end at sentence boundaries, where
 * windows of the whole text would also rarely hold an entity together.
 */
export async function recognizeEntitiesSegmented(
  model: NerModel,
  text: string,
  options: NerOptions = {},
  segmentChars: number = SEGMENT_CHARS,
): Promise<Entity[]> {
  const segments = textSegments(text, segmentChars);
  // Without a stride the pipeline reads one truncated window, which lies inside the first piece.
  if (options.stride === undefined) return recognizeEntities(model, text.slice(0, segments[0].end), options);
  if (segments.length === 1) return recognizeEntities(model, text, options);
  return entitiesByPiece(text, segmentChars, (piece) => recognizeEntities(model, piece, options), options.signal);
}

/**
 * Relations on a text of any length. Pairs never cross a sentence and pieces end at sentence boundaries, so the
 * result is the same as extractRelations on the whole text; only the pairs of one piece are encoded at a time.
 */
export async function extractRelationsSegmented(
  model: ClassifierModel,
  text: string,
  entities: readonly Entity[],
  options: RelationOptions = {},
  segmentChars: number = SEGMENT_CHARS,
): Promise<Relation[]> {
  if (textSegments(text, segmentChars).length === 1) return extractRelations(model, text, entities, options);
  return relationsByPiece(text, entities, segmentChars, (piece, inside) => extractRelations(model, piece, inside, options), options.signal);
}
