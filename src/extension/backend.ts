// Owns the seam between the editor and inference (AnnotationBackend) and the NER settings every backend shares.
// WorkerBackend (./workerBackend.ts) implements it; the Annotator and panels only ever see this interface.
import { basename } from 'node:path';
import type { ModelRef } from '../core/engine';
import type { ModelTask } from '../core/models/modelFolder';
import type { Aggregation, Answer, Entity, Relation } from '../core/types';
import type { AnnotatedEntity } from './entities';

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

export interface AnnotateResult {
  /** Entities of the whole text, offsets relative to it, sorted by position. */
  entities: AnnotatedEntity[];
  /** Paragraphs the text was split into. */
  paragraphs: number;
  /** Paragraph runs this call needed (summed over the models); the rest came from the cache. */
  rerun: number;
}

export interface AnnotationBackend {
  annotate(text: string, options: AnnotateOptions): Promise<AnnotateResult>;
  relations(text: string, entities: readonly Entity[], model: ModelRef, signal?: AbortSignal): Promise<Relation[]>;
  answer(question: string, context: string, model: ModelRef, topK: number, signal?: AbortSignal): Promise<Answer[]>;
  /** Checks a model folder for a task without running it (pickers, status bar). */
  describe(model: ModelRef, task: ModelTask): Promise<{ name: string; labels: readonly string[] }>;
  dispose(): Promise<void>;
}

/** The folder name people recognise; the int8 variant says so, since it scores slightly differently. */
export function modelName(model: ModelRef): string {
  return model.quantized ? `${basename(model.folder)} (int8)` : basename(model.folder);
}
