// Owns what the editor asks of a document's entities: the one under the cursor and the counts per kind.
import { entityKind, type EntityKind } from '../core/labels';
import type { Entity } from '../core/types';

/** The entity under a document offset (end inclusive, so a hover on the last character's right edge still counts). */
export function entityAt<T extends Entity>(entities: readonly T[], offset: number): T | undefined {
  return entities.find((e) => e.start <= offset && offset < e.end) ?? entities.find((e) => e.end === offset);
}

export function countByKind(entities: readonly Entity[]): Record<EntityKind, number> {
  const counts: Record<EntityKind, number> = { chemical: 0, gene: 0, other: 0 };
  for (const e of entities) counts[entityKind(e.label)]++;
  return counts;
}
