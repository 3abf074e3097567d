// Owns token classification: windows -> logits -> Hugging Face pipeline post-processing (all five aggregations).
import type { Aggregation, Entity, NerMode } from '../types';
import { InputError, throwIfAborted } from '../errors';
import { OffsetMap } from '../text/offsets';
import { argmax, softmax } from '../math';
import { parseLabel } from '../labels';
import type { TextTokenizer, Window } from '../tokenize/tokenizer';
import type { SessionRunner } from '../runtime/onnxSession';
import { logitsOutput } from '../models/contract';
import { splitSentences } from '../text/sentences';
import { lengthBatches } from './buckets';

// Fast mode: no window is padded to the model's maximum, at the cost of context across sentence boundaries (F1 measured
// on ChemProt dev, README "Performance at BioM scale").
export { NER_MODES, type NerMode } from '../types';

/** Sentences per model call in fast mode: short rows, so more of them fit one call than whole windows. */
export const FAST_BATCH_SIZE = 16;

/** Tokens shared by consecutive windows when a whole document is annotated. */
export const DEFAULT_STRIDE = 64;

/**
 * The stride that annotates a whole document: windows overlapping by DEFAULT_STRIDE tokens. Aggregation "none"
 * keeps the pipeline's single truncated window, since overlapping token-level results cannot be merged.
 */
export function defaultStride(aggregation: Aggregation): number | undefined {
  return aggregation === 'none' ? undefined : DEFAULT_STRIDE;
}

export interface NerOptions {
  aggregation?: Aggregation;
  /** Tokens shared by consecutive windows; undefined truncates the text to one window (pipeline default). */
  stride?: number;
  /** Window length in tokens, special tokens included; defaults to the model's maximum. */
  maxLength?: number;
  /** Windows per model call. */
  batchSize?: number;
  /** `fast`: sentence windows batched by length (needs an aggregation other than "none"); default `exact`. */
  mode?: NerMode;
  signal?: AbortSignal;
}

export interface NerModel {
  tokenizer: TextTokenizer;
  session: SessionRunner;
  labels: readonly string[];
  maxLength: number;
}

interface PreEntity {
  token: string;
  scores: Float64Array;
  start: number;
  end: number;
  index: number;
  isSubword: boolean;
}

interface TokenEntity {
  entity: string;
  score: number;
  start: number;
  end: number;
  index?: number;
  /** Token strings that make up the entity (for word grouping). */
  tokens: string[];
}

/** Runs NER on `text`; entities carry UTF-16 offsets into `text`. */
export async function recognizeEntities(model: NerModel, text: string, options: NerOptions = {}): Promise<Entity[]> {
  const aggregation = options.aggregation ?? 'simple';
  const maxLength = Math.min(options.maxLength ?? model.maxLength, model.maxLength);
  if (options.stride !== undefined && aggregation === 'none') {
    throw new InputError('a stride needs an aggregation other than "none" (overlapping windows are merged by entity)');
  }
  const room = maxLength - model.tokenizer.info.addedSingle;
  if (options.stride !== undefined && (!Number.isInteger(options.stride) || options.stride < 0 || options.stride >= room)) {
    throw new InputError(`stride must be an integer from 0 to ${room - 1} (windows hold ${room} text tokens), got ${options.stride}`);
  }
  if (options.mode === 'fast' && aggregation !== 'none') return recognizeBySentence(model, text, maxLength, aggregation, options);
  const windows = await model.tokenizer.encodeWindows(text, maxLength, options.stride);
  const probabilities = await classifyTokens(model, windows, options.batchSize ?? 8, options.signal);
  return entitiesOfWindows(model, text, windows, probabilities, aggregation);
}

/** Post-processing of one text's windows: per-window aggregation, overlaps merged, UTF-16 offsets into `text`. */
function entitiesOfWindows(
  model: NerModel,
  text: string,
  windows: Window[],
  probabilities: Float64Array[][],
  aggregation: Aggregation,
): Entity[] {
  const map = new OffsetMap(text);
  let all: TokenEntity[] = [];
  windows.forEach((window, w) => {
    const pre = gatherPreEntities(model, text, map, window, probabilities[w]);
    const grouped = aggregate(pre, aggregation, model.labels);
    all.push(...grouped.filter((e) => e.entity !== 'O'));
  });
  if (windows.length > 1) all = mergeOverlapping(all);
  return all.map((e) => {
    const start = map.toUtf16(e.start);
    const end = map.toUtf16(e.end);
    const entity: Entity = { label: e.entity, score: e.score, start, end, text: text.slice(start, end) };
    if (e.index !== undefined) entity.index = e.index;
    return entity;
  });
}

/**
 * Fast mode: every sentence is windowed on its own (a sentence longer than a window gets overlapping windows with the
 * default stride), all windows of the text are classified together in length buckets, and each sentence's entities
 * are shifted back into the text.
 */
async function recognizeBySentence(
  model: NerModel,
  text: string,
  maxLength: number,
  aggregation: Aggregation,
  options: NerOptions,
): Promise<Entity[]> {
  const sentences = splitSentences(text).filter((s) => text.slice(s.start, s.end).trim() !== '');
  const perSentence: Window[][] = [];
  for (const s of sentences) {
    perSentence.push(await model.tokenizer.encodeWindows(text.slice(s.start, s.end), maxLength, options.stride ?? DEFAULT_STRIDE));
  }
  const probabilities = await classifyTokens(model, perSentence.flat(), options.batchSize ?? FAST_BATCH_SIZE, options.signal);
  const out: Entity[] = [];
  let next = 0;
  sentences.forEach((s, i) => {
    const windows = perSentence[i];
    const found = entitiesOfWindows(
      model,
      text.slice(s.start, s.end),
      windows,
      probabilities.slice(next, next + windows.length),
      aggregation,
    );
    next += windows.length;
    for (const e of found) out.push({ ...e, start: e.start + s.start, end: e.end + s.start });
  });
  return out;
}

/** Softmax probabilities per token per window, from batched model calls. */
async function classifyTokens(
  model: NerModel,
  windows: Window[],
  batchSize: number,
  signal: AbortSignal | undefined,
): Promise<Float64Array[][]> {
  const out: Float64Array[][] = [];
  // Windows of similar length share a call (lengthBatches); results go back by window index.
  for (const indices of lengthBatches(
    windows.map((w) => w.ids.length),
    batchSize,
  )) {
    throwIfAborted(signal);
    const batch = indices.map((k) => windows[k]);
    const result = await model.session.run(batch, model.tokenizer.info.padId, signal);
    const logits = result[logitsOutput('ner', model.session.outputNames)];
    const [, length, classes] = logits.dims;
    if (classes !== model.labels.length) {
      throw new Error(`model returns ${classes} classes but config.json has ${model.labels.length} labels`);
    }
    batch.forEach((window, b) => {
      const rows: Float64Array[] = [];
      for (let t = 0; t < window.ids.length; t++) {
        rows.push(softmax(logits.data, (b * length + t) * classes, classes));
      }
      out[indices[b]] = rows;
    });
  }
  return out;
}

/** Code points of a string (tokens are short, so this stays cheap). */
function codePointCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function gatherPreEntities(model: NerModel, text: string, map: OffsetMap, window: Window, scores: Float64Array[]): PreEntity[] {
  const prefix = model.tokenizer.info.continuingSubwordPrefix;
  const unkId = model.tokenizer.info.unkId;
  const out: PreEntity[] = [];
  for (let idx = 0; idx < window.ids.length; idx++) {
    if (window.specialMask[idx]) continue;
    const [start, end] = window.offsets[idx];
    let token = window.tokens[idx];
    // Word-aware tokenizers (WordPiece) mark continuations, so a token whose text differs in length from its
    // source is one; others get the pipeline's fallback heuristic: no space just before or at the token.
    let isSubword =
      prefix !== undefined
        ? codePointCount(token) !== end - start
        : start > 0 && text[map.toUtf16(start - 1)] !== ' ' && text[map.toUtf16(start)] !== ' ';
    if (unkId !== undefined && window.ids[idx] === unkId) {
      token = text.slice(map.toUtf16(start), map.toUtf16(end));
      isSubword = false;
    }
    out.push({ token, scores: scores[idx], start, end, index: idx, isSubword });
  }
  return out;
}

function aggregate(pre: PreEntity[], aggregation: Aggregation, labels: readonly string[]): TokenEntity[] {
  let entities: TokenEntity[];
  if (aggregation === 'none' || aggregation === 'simple') {
    entities = pre.map((p) => {
      const k = argmax(p.scores);
      return { entity: labels[k], score: p.scores[k], start: p.start, end: p.end, index: p.index, tokens: [p.token] };
    });
    if (aggregation === 'none') return entities;
  } else {
    entities = aggregateWords(pre, aggregation, labels);
  }
  return groupEntities(entities);
}

function aggregateWords(pre: PreEntity[], aggregation: Aggregation, labels: readonly string[]): TokenEntity[] {
  const words: TokenEntity[] = [];
  let group: PreEntity[] = [];
  for (const p of pre) {
    if (group.length > 0 && !p.isSubword) {
      words.push(aggregateWord(group, aggregation, labels));
      group = [];
    }
    group.push(p);
  }
  if (group.length > 0) words.push(aggregateWord(group, aggregation, labels));
  return words;
}

function aggregateWord(group: PreEntity[], aggregation: Aggregation, labels: readonly string[]): TokenEntity {
  let scores: ArrayLike<number>;
  if (aggregation === 'first') {
    scores = group[0].scores;
  } else if (aggregation === 'max') {
    let best = group[0];
    let bestMax = Math.max(...best.scores);
    for (const p of group.slice(1)) {
      const m = Math.max(...p.scores);
      if (m > bestMax) {
        best = p;
        bestMax = m;
      }
    }
    scores = best.scores;
  } else {
    const mean = new Float64Array(labels.length);
    for (const p of group) for (let k = 0; k < mean.length; k++) mean[k] += p.scores[k] / group.length;
    scores = mean;
  }
  const k = argmax(scores);
  return {
    entity: labels[k],
    score: scores[k],
    start: group[0].start,
    end: group[group.length - 1].end,
    tokens: group.map((g) => g.token),
  };
}

/** The pipeline's reading of a label: B- begins an entity; I- and unprefixed types continue one of the same type. */
function tagOf(label: string): { bi: 'B' | 'I'; tag: string } {
  const { prefix, type } = parseLabel(label);
  return { bi: prefix ?? 'I', tag: type };
}

/** Groups consecutive tokens/words of one type into entities (B starts a new one), scores averaged. */
function groupEntities(entities: TokenEntity[]): TokenEntity[] {
  const groups: TokenEntity[] = [];
  let current: TokenEntity[] = [];
  const flush = (): void => {
    if (current.length === 0) return;
    const score = current.reduce((s, e) => s + e.score, 0) / current.length;
    groups.push({
      entity: tagOf(current[0].entity).tag,
      score,
      start: current[0].start,
      end: current[current.length - 1].end,
      tokens: current.flatMap((e) => e.tokens),
    });
    current = [];
  };
  for (const e of entities) {
    if (current.length > 0) {
      const { bi, tag } = tagOf(e.entity);
      const last = tagOf(current[current.length - 1].entity);
      if (!(tag === last.tag && bi !== 'B')) flush();
    }
    current.push(e);
  }
  flush();
  return groups;
}

/** Entities from overlapping windows: of entities that overlap, keep the longer (then the higher score). */
function mergeOverlapping(entities: TokenEntity[]): TokenEntity[] {
  if (entities.length === 0) return entities;
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  const out: TokenEntity[] = [];
  let previous = sorted[0];
  for (const e of sorted) {
    if (previous.start <= e.start && e.start < previous.end) {
      const length = e.end - e.start;
      const previousLength = previous.end - previous.start;
      if (length > previousLength || (length === previousLength && e.score > previous.score)) previous = e;
    } else {
      out.push(previous);
      previous = e;
    }
  }
  out.push(previous);
  return out;
}
