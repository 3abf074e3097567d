// Owns each document's annotations (entities, relations) and keeps their offsets right while the document is edited.
// No 'vscode' here: the glue feeds it edits and listens to its changes.
import { mapSpans, type TextChange } from '../core/text/changes';
import type { AnnotatedEntity, Relation } from '../core/types';

export interface DocumentAnnotations {
  /** Document version the offsets belong to. */
  version: number;
  entities: AnnotatedEntity[];
  /** Undefined until relations were extracted for these entities. */
  relations: Relation[] | undefined;
  /** The text was edited since the entities were found: offsets are shifted, but new words are not annotated. */
  edited: boolean;
  /** The relation model the relations came from (its name as people read it). */
  relationsModel?: string;
  /** The text was edited since the relations were extracted: pairs in new or changed words are missing. */
  relationsEdited?: boolean;
  /** The last run on this document failed (its message): what is shown is from before it. Cleared by new results. */
  failed?: string;
  /** An annotation is still running: these are the paragraphs done so far (visible ones first). */
  partial?: boolean;
}

/** `partial`: entities of a run still going (shown as they come); 'annotated' follows when it finishes. */
export type StoreChange = { uri: string; reason: 'annotated' | 'relations' | 'edited' | 'cleared' | 'failed' | 'partial' };

export class AnnotationStore {
  private readonly documents = new Map<string, DocumentAnnotations>();
  private readonly listeners = new Set<(change: StoreChange) => void>();

  get(uri: string): DocumentAnnotations | undefined {
    return this.documents.get(uri);
  }

  uris(): string[] {
    return [...this.documents.keys()];
  }

  onDidChange(listener: (change: StoreChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** New entities for the document; relations of the old ones no longer hold. */
  setEntities(uri: string, version: number, entities: AnnotatedEntity[]): void {
    this.documents.set(uri, { version, entities, relations: undefined, edited: false });
    this.emit({ uri, reason: 'annotated' });
  }

  /** Entities of a run still going, so decorations appear paragraph by paragraph; not yet 'annotated'. */
  setPartialEntities(uri: string, version: number, entities: AnnotatedEntity[]): void {
    this.documents.set(uri, { version, entities, relations: undefined, edited: false, partial: true });
    this.emit({ uri, reason: 'partial' });
  }

  /** Entities of one part of the document (Annotate Selection): the rest of the document keeps its entities. */
  replaceEntitiesIn(uri: string, version: number, range: { start: number; end: number }, entities: AnnotatedEntity[]): void {
    const old = this.documents.get(uri)?.entities ?? [];
    const outside = old.filter((e) => e.end <= range.start || e.start >= range.end);
    const merged = [...outside, ...entities].sort((a, b) => a.start - b.start || a.end - b.end);
    this.setEntities(uri, version, merged);
  }

  setRelations(uri: string, version: number, relations: Relation[], model?: string): void {
    const doc = this.documents.get(uri);
    if (!doc || doc.version !== version) return;
    doc.relations = relations;
    doc.relationsModel = model;
    doc.relationsEdited = false;
    doc.failed = undefined;
    this.emit({ uri, reason: 'relations' });
  }

  /** A run on the document failed: its annotations stay, marked as from before the failure until new results come. */
  markFailed(uri: string, message: string): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    doc.failed = message;
    this.emit({ uri, reason: 'failed' });
  }

  /**
   * Moves offsets through one editor change event. Mentions the edit touched are dropped (their words changed);
   * relations lose a pair when either mention is dropped; sentences stretch.
   */
  applyEdits(uri: string, version: number, changes: readonly TextChange[]): void {
    const doc = this.documents.get(uri);
    if (!doc || changes.length === 0) return;
    const entities = mapSpans(doc.entities, changes, 'drop');
    const relations = doc.relations?.flatMap((r) => {
      const [chemical] = mapSpans([r.chemical], changes, 'drop');
      const [gene] = mapSpans([r.gene], changes, 'drop');
      const [sentence] = mapSpans([r.sentence], changes, 'stretch');
      return chemical && gene && sentence ? [{ ...r, chemical, gene, sentence: { start: sentence.start, end: sentence.end } }] : [];
    });
    this.documents.set(uri, { ...doc, version, entities, relations, edited: true, relationsEdited: relations !== undefined });
    this.emit({ uri, reason: 'edited' });
  }

  clear(uri: string): void {
    if (this.documents.delete(uri)) this.emit({ uri, reason: 'cleared' });
  }

  private emit(change: StoreChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
