// Owns the seam between the editor and inference (AnnotationBackend); WorkerBackend (./workerBackend.ts) implements it.
// The document annotator and panels only ever see this interface.
import type { ModelRef } from '../core/engine';
import type { FoundEntities } from '../core/pipeline';
import type { Aggregation, Answer, Entity, Relation } from '../core/types';

export interface AnnotateOptions {
  /** NER models; several are run and merged, overlaps resolved by score. */
  models: readonly ModelRef[];
  aggregation: Aggregation;
  signal?: AbortSignal;
  /** Fraction of the work done, 0..1, for a progress bar. */
  onProgress?: (fraction: number) => void;
  /** Link the entities to database ids (biom.normalization.*); absent: no ids. */
  normalization?: { species: string };
}

/** Entities of the whole text (offsets relative to it, sorted, every score), paragraphs and paragraph runs. */
export type AnnotateResult = FoundEntities;

export interface AnnotationBackend {
  annotate(text: string, options: AnnotateOptions): Promise<AnnotateResult>;
  relations(text: string, entities: readonly Entity[], model: ModelRef, signal?: AbortSignal): Promise<Relation[]>;
  answer(question: string, context: string, model: ModelRef, topK: number, signal?: AbortSignal): Promise<Answer[]>;
  dispose(): Promise<void>;
}
