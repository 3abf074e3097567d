// Owns deciding when shown results are out of date (another model, older text, a failed run) and saying why (no 'vscode').
import type { DocumentAnnotations } from './annotationStore';

export interface Staleness {
  /** Why the entities are out of date; undefined while they are current. */
  entities?: string;
  /** Why the relations are out of date; undefined while they are current. */
  relations?: string;
}

/**
 * `current` names the models the settings choose now (as modelName writes them). Entities that only moved with edits
 * are still right, so edits alone do not make them stale; relations miss pairs in new words, so edits do.
 */
export function staleness(doc: DocumentAnnotations, current: { ner: readonly string[]; relations: string }): Staleness {
  const failed = doc.failed ? `the last run failed (${doc.failed}); these results are from before it` : undefined;
  const others = [...new Set(doc.entities.flatMap((e) => (e.model && !current.ner.includes(e.model) ? [e.model] : [])))];
  const otherModel = others.length > 0 ? `found by ${others.join(', ')}; the NER model is now ${current.ner.join(', ')}` : undefined;
  const result: Staleness = { entities: failed ?? otherModel };
  if (doc.relations) {
    const otherRelations =
      doc.relationsModel && doc.relationsModel !== current.relations
        ? `extracted by ${doc.relationsModel}; the relation model is now ${current.relations}`
        : undefined;
    const edited = doc.relationsEdited ? 'the text was edited since they were extracted' : undefined;
    result.relations = failed ?? otherRelations ?? otherModel ?? edited;
  }
  return result;
}
