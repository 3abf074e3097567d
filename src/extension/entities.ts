// Owns what the editor knows about an entity beyond the engine's Entity: which model found it, its kind, merging models.
import { entityKind, type EntityKind } from '../core/labels';
import type { Entity } from '../core/types';

export interface AnnotatedEntity extends Entity {
  /** Name of the model folder that found it (shown in hovers; tells two NER models apart). */
  model: string;
}

export { entityKind, entityType, type EntityKind } from '../core/labels';

/**
 * One list from several models' results: where mentions overlap the higher score wins (ties: the earlier model),
 * so the editor never draws two decorations over the same characters. Sorted by position.
 */
export function mergeEntities(resultsByModel: readonly (readonly AnnotatedEntity[])[]): AnnotatedEntity[] {
  const ranked = resultsByModel
    .flatMap((entities, modelIndex) => entities.map((entity) => ({ entity, modelIndex })))
    .sort((a, b) => b.entity.score - a.entity.score || a.modelIndex - b.modelIndex || a.entity.start - b.entity.start);
  const kept: AnnotatedEntity[] = [];
  for (const { entity } of ranked) {
    if (entity.end <= entity.start) continue;
    if (kept.some((k) => k.start < entity.end && entity.start < k.end)) continue;
    kept.push(entity);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Entities at or above `minScore`: the ones the editor shows. */
export function visibleEntities<T extends Entity>(entities: readonly T[], minScore: number): T[] {
  return entities.filter((e) => e.score >= minScore);
}

/** The entity under a document offset (end inclusive, so a hover on the last character's right edge still counts). */
export function entityAt<T extends Entity>(entities: readonly T[], offset: number): T | undefined {
  return entities.find((e) => e.start <= offset && offset < e.end) ?? entities.find((e) => e.end === offset);
}

export function countByKind(entities: readonly Entity[]): Record<EntityKind, number> {
  const counts: Record<EntityKind, number> = { chemical: 0, gene: 0, other: 0 };
  for (const e of entities) counts[entityKind(e.label)]++;
  return counts;
}
