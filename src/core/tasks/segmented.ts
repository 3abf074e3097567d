// Owns running NER and relations over texts of any length in bounded memory: a text longer than SEGMENT_CHARS is
// processed one sentence-aligned piece at a time (see text/segments.ts) and the results shifted back.
import type { Entity, Relation } from '../types';
import { throwIfAborted } from '../errors';
import { SEGMENT_CHARS, textSegments } from '../text/segments';
import { recognizeEntities, type NerModel, type NerOptions } from './ner';
import { extractRelations, type ClassifierModel, type RelationOptions } from './relations';

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
  const all: Entity[] = [];
  for (const segment of segments) {
    throwIfAborted(options.signal);
    for (const e of await recognizeEntities(model, text.slice(segment.start, segment.end), options)) {
      all.push({ ...e, start: e.start + segment.start, end: e.end + segment.start });
    }
  }
  return all;
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
  const segments = textSegments(text, segmentChars);
  if (segments.length === 1) return extractRelations(model, text, entities, options);
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  const relations: Relation[] = [];
  let next = 0;
  for (const segment of segments) {
    throwIfAborted(options.signal);
    const inside: Entity[] = [];
    while (next < sorted.length && sorted[next].start < segment.end) {
      const e = sorted[next++];
      if (e.end <= segment.end) inside.push({ ...e, start: e.start - segment.start, end: e.end - segment.start });
    }
    if (inside.length < 2) continue;
    const shift = <T extends { start: number; end: number }>(span: T): T => ({ ...span, start: span.start + segment.start, end: span.end + segment.start });
    for (const r of await extractRelations(model, text.slice(segment.start, segment.end), inside, options)) {
      relations.push({ ...r, chemical: shift(r.chemical), gene: shift(r.gene), sentence: shift(r.sentence) });
    }
  }
  return relations;
}
