// Owns the seam between the editor and inference (AnnotationBackend); WorkerBackend (./workerBackend.ts) implements it.
// The document annotator and panels only ever see this interface.
import type { ModelRef } from '../core/engine';
import type { ParagraphPlanner } from '../core/incremental';
import type { IncrementalRelationsResult } from '../core/incrementalRelations';
import type { FinishedEntities, FoundEntities } from '../core/pipeline';
import type { Aggregation, AnnotatedEntity, Answer, Entity } from '../core/types';

export interface AnnotateOptions {
  /** NER models; several are run and merged, overlaps resolved by score. */
  models: readonly ModelRef[];
  aggregation: Aggregation;
  signal?: AbortSignal;
  /** Fraction of the work done, 0..1, for a progress bar. */
  onProgress?: (fraction: number) => void;
  /** Link the entities to database ids (biom.normalization.*); absent: no ids. */
  normalization?: { species: string };
  /** The order paragraphs run in (visible text first, src/host/visibleFirst.ts); absent: document order. */
  plan?: ParagraphPlanner;
  /** Entities found so far (without database ids), offered after each worker call; see AnnotateOptions in core. */
  onPartial?: (known: () => AnnotatedEntity[]) => void;
}

export interface RelationsOptions {
  signal?: AbortSignal;
  /** Fraction of the pairs to classify done, 0..1 (pairs found in the cache are not work). */
  onProgress?: (fraction: number) => void;
}

/** Entities of the whole text (offsets relative to it, sorted, every score), paragraphs and paragraph runs. */
export type AnnotateResult = FoundEntities;

export interface AnnotationBackend {
  annotate(text: string, options: AnnotateOptions): Promise<AnnotateResult>;
  /** After a cancelled annotate: the entities of the paragraphs it (or earlier runs) finished, nothing is run. */
  finished(text: string, options: Omit<AnnotateOptions, 'signal' | 'onProgress'>): Promise<FinishedEntities>;
  /** Relations of the text; sentences classified before with the same text and entity spans come from a cache. */
  relations(text: string, entities: readonly Entity[], model: ModelRef, options?: RelationsOptions): Promise<IncrementalRelationsResult>;
  answer(question: string, context: string, model: ModelRef, topK: number, signal?: AbortSignal): Promise<Answer[]>;
  dispose(): Promise<void>;
}
