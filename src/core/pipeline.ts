// Owns the one annotation pipeline: text → paragraphs → NER per model → word edges → merge overlaps → minScore → relations.
// The CLI (ner, relations, annotate, demo), the worker backend and the editor all assemble their results here.
import { basename } from 'node:path';
import type { LoadedModel, ModelRef } from './engine';
import { IncrementalAnnotator, ParagraphCache, type ParagraphPlanner, type ParagraphRunner } from './incremental';
import { defaultStride, recognizeEntities, type NerMode, type NerModel } from './tasks/ner';
import { extractRelations, type ClassifierModel } from './tasks/relations';
import { normalizeDocument } from './normalize/bundled';
import { shiftSpans } from './text/changes';
import type { NormalizeOptions } from './normalize/normalizer';
import type { Aggregation, AnnotatedEntity, Entity, Relation } from './types';

/** Entities scoring below this are not shown and not paired, in the editor and the CLI alike. */
export const DEFAULT_MIN_SCORE = 0.5;

/**
 * Word-level grouping, chosen by exact-span F1 on the first 100 ChemProt development abstracts with ner-albert
 * (`biom eval chemprot --aggregation X`, see README "Evaluation"); it never cuts a word in two.
 */
export const DEFAULT_AGGREGATION: Aggregation = 'max';

/** Strategies that label whole words; their entities always start and end at word edges (see snapToWords). */
export function isWordLevel(aggregation: Aggregation): boolean {
  return aggregation !== 'none' && aggregation !== 'simple';
}

/** The folder name people recognise; the int8 variant says so, since it scores slightly differently. */
export function modelName(model: ModelRef): string {
  return model.quantized ? `${basename(model.folder)} (int8)` : basename(model.folder);
}

/** One NER model as the pipeline sees it: a name for results, a cache key, and how to run paragraphs through it. */
export interface NerSource {
  name: string;
  /** Everything a paragraph's result depends on besides its text (model, variant, aggregation, stride). */
  key: string;
  run: ParagraphRunner<Entity>;
}

/** The cache key part for a model and its task options; fast mode (other results) adds itself, exact keys stay as they were. */
export function nerKey(ref: ModelRef, aggregation: Aggregation, stride = defaultStride(aggregation), mode: NerMode = 'exact'): string {
  return JSON.stringify([ref.folder, ref.quantized ? 'int8' : 'fp32', aggregation, stride ?? 0, ...(mode === 'fast' ? ['fast'] : [])]);
}

/** A model loaded in this process (CLI, demo, evaluation): paragraphs run one after another. */
export function localNerSource(
  model: NerModel,
  ref: ModelRef,
  aggregation: Aggregation,
  stride = defaultStride(aggregation),
  mode: NerMode = 'exact',
): NerSource {
  return {
    name: modelName(ref),
    key: nerKey(ref, aggregation, stride, mode),
    run: async (texts, signal, onTextsDone) => {
      const out: Entity[][] = [];
      for (const text of texts) {
        out.push(await recognizeEntities(model, text, { aggregation, stride, mode, signal }));
        onTextsDone?.(out.length);
      }
      return out;
    },
  };
}

export interface FindOptions {
  aggregation: Aggregation;
  /** Shared between calls (the editor) so unchanged paragraphs are not run again; absent: a cache for this call. */
  cache?: ParagraphCache<Entity>;
  /** Most paragraph characters per model call (default 64,000); smaller calls let a cancel keep more. */
  charsPerCall?: number;
  signal?: AbortSignal;
  /** Fraction of the work done, 0..1. */
  onProgress?: (fraction: number) => void;
  /** The order paragraphs run in (the editor: visible text first); absent: document order. */
  plan?: ParagraphPlanner;
  /** Entities found so far, merged over the models done and the one running (see AnnotateOptions.onPartial). */
  onPartial?: (known: () => AnnotatedEntity[]) => void;
}

export interface FoundEntities {
  /** Every entity of the text, whatever its score, offsets into the whole text, sorted by position. */
  entities: AnnotatedEntity[];
  paragraphs: number;
  /** Paragraph runs this call needed (summed over the models); the rest came from the cache. */
  rerun: number;
}

/**
 * NER over a whole text: paragraphs are annotated on their own (the unit the editor caches), shifted to document
 * offsets by the IncrementalAnnotator (the one place offsets move from paragraph to document), kept on word edges
 * for word-level strategies, and merged across models.
 */
export async function findEntities(text: string, sources: readonly NerSource[], options: FindOptions): Promise<FoundEntities> {
  const perModel: AnnotatedEntity[][] = [];
  let paragraphs = 0;
  let rerun = 0;
  const cache = options.cache ?? new ParagraphCache<Entity>();
  for (const [m, source] of sources.entries()) {
    const annotator = new IncrementalAnnotator<Entity>(source.run, { cache, charsPerCall: options.charsPerCall });
    const named = (found: Entity[]): AnnotatedEntity[] =>
      (isWordLevel(options.aggregation) ? snapToWords(text, found) : found).map((e) => ({ ...e, model: source.name }));
    const onPartial = options.onPartial;
    const result = await annotator.annotate(source.key, text, {
      signal: options.signal,
      onProgress: (done, total) => options.onProgress?.((m + (total === 0 ? 1 : done / total)) / sources.length),
      plan: options.plan,
      onPartial: onPartial && ((known) => onPartial(() => mergeEntities([...perModel, named(known())]))),
    });
    paragraphs = result.paragraphs;
    rerun += result.rerun;
    perModel.push(named(result.items));
  }
  return { entities: mergeEntities(perModel), paragraphs, rerun };
}

export interface FinishedEntities {
  /** Entities of the paragraphs every model finished, document offsets, sorted. */
  entities: AnnotatedEntity[];
  paragraphs: number;
  /** Paragraphs every model finished. */
  done: number;
}

/**
 * What a cancelled findEntities keeps: the paragraphs every model finished (their results are in the cache and are
 * correct); the others are left out, so the document is partly annotated rather than not at all.
 */
export function finishedEntities(
  text: string,
  sources: readonly NerSource[],
  options: { aggregation: Aggregation; cache: ParagraphCache<Entity> },
): FinishedEntities {
  const perSource = sources.map((source) =>
    new IncrementalAnnotator<Entity>(source.run, { cache: options.cache }).finished(source.key, text),
  );
  const paragraphs = perSource[0]?.paragraphs ?? [];
  const complete = paragraphs.map((_, i) => perSource.every((f) => f.results[i] !== undefined));
  const perModel = perSource.map((f, m) => {
    const items = f.paragraphs.flatMap((p, i) => (complete[i] ? shiftSpans(f.results[i] ?? [], p.start) : []));
    const snapped = isWordLevel(options.aggregation) ? snapToWords(text, items) : items;
    return snapped.map((e) => ({ ...e, model: sources[m].name }));
  });
  return { entities: mergeEntities(perModel), paragraphs: paragraphs.length, done: complete.filter(Boolean).length };
}

const WORD = /[\p{L}\p{N}\p{M}]/u;

function isWordChar(text: string, at: number): boolean {
  return at >= 0 && at < text.length && WORD.test(text[at]);
}

/**
 * Entities widened to whole words: a word-level strategy must never show "dex[trorphan]". Windows that begin inside
 * a word (long paragraphs) and tokenizers whose word heuristic differs from the text's can otherwise cut one.
 */
export function snapToWords<T extends Entity>(text: string, entities: readonly T[]): T[] {
  return entities.map((e) => {
    let { start, end } = e;
    while (isWordChar(text, start - 1) && isWordChar(text, start)) start--;
    while (isWordChar(text, end - 1) && isWordChar(text, end)) end++;
    return start === e.start && end === e.end ? e : { ...e, start, end, text: text.slice(start, end) };
  });
}

/**
 * One list from several models' results (or one model's, whose windows may overlap after snapping): where mentions
 * overlap the higher score wins (ties: the earlier model, then the earlier mention), so no two decorations cover the
 * same characters. Sorted by position.
 */
export function mergeEntities<T extends Entity>(resultsByModel: readonly (readonly T[])[]): T[] {
  const ranked = resultsByModel
    .flatMap((entities, modelIndex) => entities.map((entity) => ({ entity, modelIndex })))
    .sort((a, b) => b.entity.score - a.entity.score || a.modelIndex - b.modelIndex || a.entity.start - b.entity.start);
  const kept: T[] = [];
  for (const { entity } of ranked) {
    if (entity.end <= entity.start) continue;
    if (kept.some((k) => k.start < entity.end && entity.start < k.end)) continue;
    kept.push(entity);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Entities at or above `minScore`: the ones shown, written and paired for relations. */
export function shownEntities<T extends Entity>(entities: readonly T[], minScore: number): T[] {
  return entities.filter((e) => e.score >= minScore);
}

/** Classifies the chemical–gene pairs of shown entities (in-process, or through the worker in the editor). */
export type RelationRunner = (text: string, entities: readonly Entity[], signal?: AbortSignal) => Promise<Relation[]>;

export function localRelationRunner(model: ClassifierModel): RelationRunner {
  return (text, entities, signal) => extractRelations(model, text, entities, { signal });
}

/** Adds database ids to shown entities (in-process here; the editor asks its worker). */
export type EntityLinker = (text: string, entities: readonly AnnotatedEntity[], signal?: AbortSignal) => Promise<AnnotatedEntity[]>;

export function localLinker(options: NormalizeOptions): EntityLinker {
  return async (text, entities) => normalizeDocument(text, entities, options);
}

export interface PipelineOptions extends FindOptions {
  ner: readonly NerSource[];
  /** Absent: no ids. Runs on the shown entities, before relations. */
  link?: EntityLinker;
  /** Absent: entities only. */
  relations?: RelationRunner;
  minScore: number;
}

export interface PipelineResult {
  /** Entities at or above minScore. */
  entities: AnnotatedEntity[];
  relations?: Relation[];
}

/** The whole pipeline on one text: what `biom annotate` writes and what the editor shows after Extract Relations. */
export async function annotateText(text: string, options: PipelineOptions): Promise<PipelineResult> {
  const { entities: all } = await findEntities(text, options.ner, options);
  const shown = shownEntities(all, options.minScore);
  const entities = options.link ? await options.link(text, shown, options.signal) : shown;
  if (!options.relations) return { entities };
  return { entities, relations: await options.relations(text, entities, options.signal) };
}

/** The pipeline on models loaded in this process (CLI, demo): one NER model, relations when `re` is given. */
export function localPipeline(
  ner: LoadedModel,
  re: ClassifierModel | undefined,
  options: { aggregation: Aggregation; minScore: number; stride?: number; normalize?: NormalizeOptions; mode?: NerMode },
): PipelineOptions {
  const ref = { folder: ner.info.folder, quantized: ner.info.quantized };
  return {
    ner: [localNerSource(ner, ref, options.aggregation, options.stride ?? defaultStride(options.aggregation), options.mode)],
    relations: re && localRelationRunner(re),
    link: options.normalize && localLinker(options.normalize),
    aggregation: options.aggregation,
    minScore: options.minScore,
  };
}
