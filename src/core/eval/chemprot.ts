// Owns the ChemProt evaluation: corpus reading, NER exact-match P/R/F1 and RE micro-F1 over CPR:3/4/5/6/9.
import { readFileSync } from 'node:fs';
import type { Aggregation, Entity } from '../types';
import { InputError } from '../errors';
import { OffsetMap } from '../text/offsets';
import type { NerMode, NerModel } from '../tasks/ner';
import { entityType } from '../labels';
import { findEntities, localNerSource } from '../pipeline';
import { candidatePairs, classifyTexts, isNegativeLabel, type ClassifierModel } from '../tasks/relations';

export interface ChemprotEntity {
  id: string;
  type: 'CHEMICAL' | 'GENE';
  start: number;
  end: number;
  text: string;
}

export interface ChemprotDocument {
  pmid: string;
  text: string;
  entities: Map<string, ChemprotEntity>;
  /** Gold relation group by "chemicalId gene Id". */
  relations: Map<string, string>;
}

export const EVALUATED_GROUPS = new Set(['CPR:3', 'CPR:4', 'CPR:5', 'CPR:6', 'CPR:9']);

function readTsv(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as Error).message}`);
  }
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

/**
 * Reads abstracts (pmid, title, abstract), entities and the gold standard; text = title + " " + abstract.
 * The corpus counts offsets in code points (it was checked in Python); they are turned into UTF-16 here.
 */
export function readChemprot(abstracts: string, entities: string, gold?: string): ChemprotDocument[] {
  const docs = new Map<string, ChemprotDocument>();
  for (const row of readTsv(abstracts)) {
    if (row.length < 3) continue;
    docs.set(row[0], { pmid: row[0], text: `${row[1]} ${row[2]}`, entities: new Map(), relations: new Map() });
  }
  const maps = new Map<string, OffsetMap>();
  for (const [lineNo, row] of readTsv(entities).entries()) {
    const [pmid, id, type, s, e, mention] = row;
    const doc = docs.get(pmid);
    if (!doc) continue;
    let map = maps.get(pmid);
    if (!map) maps.set(pmid, (map = new OffsetMap(doc.text)));
    const where = `${entities} line ${lineNo + 1}`;
    if (row.length < 6)
      throw new InputError(`${where}: expected 6 tab-separated columns (pmid, id, type, start, end, mention), found ${row.length}`);
    const codePoints = map.codePointLength;
    const [cs, ce] = [Number(s), Number(e)];
    if (!Number.isInteger(cs) || !Number.isInteger(ce) || cs < 0 || ce < cs || ce > codePoints) {
      throw new InputError(
        `${where}: ${id} offsets ${JSON.stringify(s)}-${JSON.stringify(e)} are outside abstract ${pmid} (${codePoints} characters)`,
      );
    }
    const start = map.toUtf16(cs);
    const end = map.toUtf16(ce);
    if (doc.text.slice(start, end) !== mention) {
      throw new InputError(`${entities} line ${lineNo + 1}: ${id} (${start}-${end}) does not match the abstract text`);
    }
    doc.entities.set(id, { id, type: type === 'CHEMICAL' ? 'CHEMICAL' : 'GENE', start, end, text: mention });
  }
  if (gold) {
    for (const [lineNo, row] of readTsv(gold).entries()) {
      const [pmid, group, arg1, arg2] = row;
      if (!/^Arg1:./.test(arg1 ?? '') || !/^Arg2:./.test(arg2 ?? '')) {
        throw new InputError(`${gold} line ${lineNo + 1}: expected pmid, CPR:n, Arg1:T…, Arg2:T…`);
      }
      docs.get(pmid)?.relations.set(`${arg1.split(':')[1]} ${arg2.split(':')[1]}`, group);
    }
  }
  return [...docs.values()];
}

/** Non-overlapping gold spans, longer first (the reference's `flat_spans`). */
export function flatSpans(entities: Iterable<ChemprotEntity>): { start: number; end: number; type: string }[] {
  const sorted = [...entities].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const out: { start: number; end: number; type: string }[] = [];
  for (const e of sorted) {
    if (out.every((o) => e.end <= o.start || e.start >= o.end)) out.push({ start: e.start, end: e.end, type: e.type });
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

export interface Prf {
  p: number;
  r: number;
  f1: number;
}

export class Counts {
  tp = 0;
  fp = 0;
  fn = 0;
  add(gold: Set<string>, predicted: Set<string>): void {
    for (const p of predicted) {
      if (gold.has(p)) this.tp++;
      else this.fp++;
    }
    for (const g of gold) if (!predicted.has(g)) this.fn++;
  }
  prf(): Prf {
    const p = this.tp / Math.max(1, this.tp + this.fp);
    const r = this.tp / Math.max(1, this.tp + this.fn);
    const round = (x: number): number => Math.round(x * 10000) / 10000;
    return { p: round(p), r: round(r), f1: round((2 * p * r) / Math.max(1e-9, p + r)) };
  }
}

/** Gold and predicted NER spans of one document as "start end TYPE" keys (GENE-Y/GENE-N count as GENE). */
function nerKeys(doc: ChemprotDocument, predicted: readonly Entity[]): { gold: Set<string>; pred: Set<string> } {
  const gold = new Set(flatSpans(doc.entities.values()).map((s) => `${s.start} ${s.end} ${s.type}`));
  const pred = new Set(predicted.map((e) => `${e.start} ${e.end} ${entityType(e.label)}`));
  return { gold, pred };
}

function ofType(keys: Set<string>, type: string): Set<string> {
  return new Set([...keys].filter((k) => k.endsWith(` ${type}`)));
}

export interface ChemprotScores {
  documents: number;
  ner?: Prf & { CHEMICAL: Prf; GENE: Prf };
  re?: Prf & { pairs: number };
}

export interface EvaluateOptions {
  ner?: NerModel;
  /** How NER groups token labels; default "simple", the protocol of the Python reference numbers. */
  aggregation?: Aggregation;
  /** NER mode (`fast`: sentence windows batched by length); default `exact`. */
  mode?: NerMode;
  re?: ClassifierModel;
  limit?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * NER: exact span + type match against flattened gold spans, every score counted (no minScore), entities found by the
 * same pipeline as `biom annotate` and the editor (paragraphs, windows with the default stride, word edges for
 * word-level strategies); aggregation "simple" unless given. RE: every chemical–gene pair of gold entities in one sentence, micro-F1 over the
 * evaluated groups (the standard ChemProt setting).
 */
export async function evaluateChemprot(all: readonly ChemprotDocument[], options: EvaluateOptions): Promise<ChemprotScores> {
  const docs = options.limit !== undefined ? all.slice(0, options.limit) : all;
  const result: ChemprotScores = { documents: docs.length };
  if (options.ner) {
    const micro = new Counts();
    const byType = { CHEMICAL: new Counts(), GENE: new Counts() };
    const aggregation = options.aggregation ?? 'simple';
    const source = localNerSource(options.ner, { folder: 'evaluated' }, aggregation, undefined, options.mode);
    for (const [i, doc] of docs.entries()) {
      const { entities: predicted } = await findEntities(doc.text, [source], { aggregation, signal: options.signal });
      const { gold, pred } = nerKeys(doc, predicted);
      micro.add(gold, pred);
      for (const type of ['CHEMICAL', 'GENE'] as const) byType[type].add(ofType(gold, type), ofType(pred, type));
      options.onProgress?.(i + 1, docs.length);
    }
    result.ner = { ...micro.prf(), CHEMICAL: byType.CHEMICAL.prf(), GENE: byType.GENE.prf() };
  }
  if (options.re) {
    // All pairs of all documents in one call: batches of similar lengths waste less padding.
    const pairs: { gold: string | undefined; marked: string }[] = [];
    for (const doc of docs) {
      const ids = new Map<Entity, string>();
      const entities = [...doc.entities.values()].map((g) => {
        const e: Entity = { label: g.type, score: 1, start: g.start, end: g.end, text: g.text };
        ids.set(e, g.id);
        return e;
      });
      for (const pair of candidatePairs(doc.text, entities)) {
        const group = doc.relations.get(`${ids.get(pair.chemical)} ${ids.get(pair.gene)}`);
        pairs.push({ gold: group && EVALUATED_GROUPS.has(group) ? group : undefined, marked: pair.marked });
      }
    }
    const scores = await classifyTexts(
      options.re,
      pairs.map((p) => p.marked),
      { batchSize: 32, signal: options.signal },
    );
    const counts = new Counts();
    pairs.forEach(({ gold }, i) => {
      const best = scores[i][0].label;
      const predicted = isNegativeLabel(best) ? undefined : best;
      if (predicted !== undefined && predicted === gold) counts.tp++;
      else {
        if (predicted !== undefined) counts.fp++;
        if (gold !== undefined) counts.fn++;
      }
    });
    result.re = { ...counts.prf(), pairs: pairs.length };
  }
  return result;
}
