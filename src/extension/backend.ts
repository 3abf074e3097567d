// Owns the seam between the editor and inference: AnnotationBackend, and InProcessBackend running the Engine in-process.
// The worker client (src/worker/client.ts) will implement the same interface; nothing else in src/extension changes.
import { basename } from 'node:path';
import { Engine, type ModelRef } from '../core/engine';
import { readModelFolder, type ModelTask } from '../core/models/modelFolder';
import { recognizeEntities } from '../core/tasks/ner';
import { extractRelations } from '../core/tasks/relations';
import { answerQuestion } from '../core/tasks/qa';
import type { Aggregation, Answer, Entity, Relation } from '../core/types';
import { mergeEntities, type AnnotatedEntity } from './entities';

export interface AnnotateOptions {
  /** NER models; several are run and merged, overlaps resolved by score. */
  models: readonly ModelRef[];
  aggregation: Aggregation;
  signal?: AbortSignal;
}

export interface AnnotationBackend {
  annotate(text: string, options: AnnotateOptions): Promise<AnnotatedEntity[]>;
  relations(text: string, entities: readonly Entity[], model: ModelRef, signal?: AbortSignal): Promise<Relation[]>;
  answer(question: string, context: string, model: ModelRef, topK: number, signal?: AbortSignal): Promise<Answer[]>;
  /** Checks a model folder for a task without running it (pickers, status bar). */
  describe(model: ModelRef, task: ModelTask): Promise<{ name: string; labels: readonly string[] }>;
  dispose(): Promise<void>;
}

/**
 * Tokens shared by consecutive NER windows. Documents longer than one model window are read with overlapping windows
 * rather than truncated (the engine's default), so nothing past the first 512 tokens is missed.
 */
export const NER_STRIDE = 64;

/** The folder name people recognise; the int8 variant says so, since it scores slightly differently. */
export function modelName(model: ModelRef): string {
  return model.quantized ? `${basename(model.folder)} (int8)` : basename(model.folder);
}

/** Runs the core engine on the extension host's thread pool (onnxruntime and tokenizers work off the event loop). */
export class InProcessBackend implements AnnotationBackend {
  private engine: Engine;

  constructor(private readonly options: { threads: number }) {
    this.engine = new Engine({ threads: options.threads });
  }

  /** New thread settings need new sessions: the old ones are released once running calls no longer need them. */
  async setThreads(threads: number): Promise<void> {
    if (threads === this.options.threads) return;
    const old = this.engine;
    this.options.threads = threads;
    this.engine = new Engine({ threads });
    await old.dispose();
  }

  async annotate(text: string, options: AnnotateOptions): Promise<AnnotatedEntity[]> {
    const perModel: AnnotatedEntity[][] = [];
    for (const ref of options.models) {
      const model = await this.engine.load(ref, 'ner');
      const entities = await recognizeEntities(model, text, {
        aggregation: options.aggregation,
        // A stride with aggregation "none" is refused by the engine (token labels cannot be merged across windows).
        stride: options.aggregation === 'none' ? undefined : NER_STRIDE,
        signal: options.signal,
      });
      perModel.push(entities.map((e) => ({ ...e, model: modelName(ref) })));
    }
    return perModel.length === 1 ? perModel[0] : mergeEntities(perModel);
  }

  async relations(text: string, entities: readonly Entity[], ref: ModelRef, signal?: AbortSignal): Promise<Relation[]> {
    const model = await this.engine.load(ref, 'relations');
    return extractRelations(model, text, entities, { signal });
  }

  async answer(question: string, context: string, ref: ModelRef, topK: number, signal?: AbortSignal): Promise<Answer[]> {
    const model = await this.engine.load(ref, 'qa');
    const answers = await answerQuestion(model, question, context, { topK, signal });
    return answers.map(({ answer, score, start, end }) => ({ answer, score, start, end }));
  }

  async describe(ref: ModelRef, task: ModelTask): Promise<{ name: string; labels: readonly string[] }> {
    const info = readModelFolder(ref.folder, { quantized: ref.quantized });
    if (info.task !== task) throw new Error(`${modelName(ref)} is a ${info.task} model, not a ${task} model`);
    return { name: modelName(ref), labels: info.labels };
  }

  dispose(): Promise<void> {
    return this.engine.dispose();
  }
}
