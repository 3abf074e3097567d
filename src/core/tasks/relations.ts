// Owns ChemProt relation extraction: chemical–gene pairs per sentence, marked with @CHEMICAL$/@GENE$, classified.
import type { Entity, LabelScore, Relation, Span } from '../types';
import { throwIfAborted } from '../errors';
import { splitSentences } from '../text/sentences';
import type { TextTokenizer } from '../tokenize/tokenizer';
import type { SessionRunner } from '../runtime/onnxSession';
import { softmax } from '../math';
import { entityKind } from '../labels';
import { logitsOutput } from '../models/contract';
import { lengthBatches } from './buckets';

export interface ClassifierModel {
  tokenizer: TextTokenizer;
  session: SessionRunner;
  labels: readonly string[];
  maxLength: number;
}

export interface RelationOptions {
  batchSize?: number;
  /** Keep pairs whose best label is "false" (or another negative label) too. */
  includeNegative?: boolean;
  signal?: AbortSignal;
}

/** Words for each ChemProt class, for people reading results. */
export const CHEMPROT_CLASSES: Record<string, string> = {
  'CPR:3': 'activates / upregulates',
  'CPR:4': 'inhibits / downregulates',
  'CPR:5': 'is an agonist of',
  'CPR:6': 'is an antagonist of',
  'CPR:9': 'is a substrate / product of',
};

const NEGATIVE_LABELS = new Set(['false', 'False', 'none', 'NONE', 'O', 'no_relation']);

export function isNegativeLabel(label: string): boolean {
  return NEGATIVE_LABELS.has(label);
}

export interface CandidatePair {
  chemical: Entity;
  gene: Entity;
  sentence: Span;
  /** The sentence with both mentions replaced by markers. */
  marked: string;
}

/** Every (chemical, gene) pair inside one sentence that does not overlap, as in the ChemProt reference. */
export function candidatePairs(text: string, entities: readonly Entity[]): CandidatePair[] {
  const pairs: CandidatePair[] = [];
  for (const sentence of splitSentences(text)) {
    const inside = entities.filter((e) => e.start >= sentence.start && e.end <= sentence.end);
    // entityKind reads token labels too: with aggregation "none" a B-CHEMICAL token pairs like a CHEMICAL entity.
    const chemicals = inside.filter((e) => entityKind(e.label) === 'chemical');
    const genes = inside.filter((e) => entityKind(e.label) === 'gene');
    for (const chemical of chemicals) {
      for (const gene of genes) {
        if (!(chemical.end <= gene.start || gene.end <= chemical.start)) continue;
        pairs.push({ chemical, gene, sentence, marked: markPair(text, sentence, chemical, gene) });
      }
    }
  }
  return pairs;
}

function markPair(text: string, sentence: Span, chemical: Entity, gene: Entity): string {
  const [a, b] = [
    { start: chemical.start, end: chemical.end, marker: '@CHEMICAL$' },
    { start: gene.start, end: gene.end, marker: '@GENE$' },
  ].sort((x, y) => x.start - y.start || x.end - y.end);
  return text.slice(sentence.start, a.start) + a.marker + text.slice(a.end, b.start) + b.marker + text.slice(b.end, sentence.end);
}

/** Classifies already-marked texts; every label with its softmax score, best first (text-classification top_k=None). */
export async function classifyTexts(
  model: ClassifierModel,
  texts: readonly string[],
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<LabelScore[][]> {
  const batchSize = options.batchSize ?? 16;
  const out: LabelScore[][] = [];
  // Similar lengths in one batch waste less padding; results go back in input order.
  const windows = await Promise.all(texts.map((t) => model.tokenizer.encode(t, model.maxLength)));
  for (const indices of lengthBatches(
    windows.map((w) => w.ids.length),
    batchSize,
  )) {
    throwIfAborted(options.signal);
    const result = await model.session.run(
      indices.map((k) => windows[k]),
      model.tokenizer.info.padId,
      options.signal,
    );
    const logits = result[logitsOutput('relations', model.session.outputNames)];
    const classes = logits.dims[logits.dims.length - 1];
    if (classes !== model.labels.length) {
      throw new Error(`model returns ${classes} classes but config.json has ${model.labels.length} labels`);
    }
    indices.forEach((k, b) => {
      const p = softmax(logits.data, b * classes, classes);
      out[k] = Array.from(p, (score, c) => ({ label: model.labels[c], score })).sort((x, y) => y.score - x.score);
    });
  }
  return out;
}

/** Relations between the given entities of `text`: one classified pair per chemical–gene pair in a sentence. */
export async function extractRelations(
  model: ClassifierModel,
  text: string,
  entities: readonly Entity[],
  options: RelationOptions = {},
): Promise<Relation[]> {
  const pairs = candidatePairs(text, entities);
  const scores = await classifyTexts(
    model,
    pairs.map((p) => p.marked),
    options,
  );
  const relations: Relation[] = [];
  pairs.forEach((pair, i) => {
    const best = scores[i][0];
    if (!options.includeNegative && isNegativeLabel(best.label)) return;
    relations.push({ label: best.label, score: best.score, chemical: pair.chemical, gene: pair.gene, sentence: pair.sentence });
  });
  return relations;
}
