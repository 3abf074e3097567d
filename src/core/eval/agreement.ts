// Owns agreement numbers on curated data: two annotators' sets compared (B the reference), and the model's suggestions
// compared with what the curator decided ("Compare Model with Curated").
import type { CurationRecord } from '../curation/importers';
import type { CuratedEntity, CurationState } from '../curation/types';

export interface Prf {
  p: number;
  r: number;
  f1: number;
}

interface Counts {
  tp: number;
  predicted: number;
  reference: number;
}

const round = (x: number): number => Math.round(x * 10000) / 10000;

/** Precision, recall and F1; an empty side scores 0 (nothing to agree on is not agreement). */
export function prf(c: Counts): Prf {
  const p = c.predicted > 0 ? c.tp / c.predicted : 0;
  const r = c.reference > 0 ? c.tp / c.reference : 0;
  return { p: round(p), r: round(r), f1: round(p + r > 0 ? (2 * p * r) / (p + r) : 0) };
}

export interface AgreementReport {
  /** exact and overlap over all types, then one exact score per type. */
  entities: { exact: Prf; overlap: Prf; [type: string]: Prf };
  relations: Prf;
}

interface Mention {
  label: string;
  start: number;
  end: number;
}

interface Pair {
  label: string;
  chemical: string;
  gene: string;
}

/** What an annotator asserted: accepted and added annotations (suggestions nobody reviewed and rejections are not). */
function asserted(state: CurationState): { mentions: Mention[]; pairs: Pair[] } {
  const keep = (s: string): boolean => s === 'accepted' || s === 'added';
  const byId = new Map<string, CuratedEntity>();
  const mentions: Mention[] = [];
  for (const e of state.entities) {
    if (!keep(e.status)) continue;
    byId.set(e.id, e);
    mentions.push(e);
  }
  const pairs: Pair[] = [];
  for (const r of state.relations) {
    const c = byId.get(r.chemical);
    const g = byId.get(r.gene);
    if (keep(r.status) && c && g) pairs.push({ label: r.label, chemical: `${c.start}:${c.end}`, gene: `${g.start}:${g.end}` });
  }
  return { mentions, pairs };
}

/** Accumulates exact, overlap, per-type and relation counts over documents. */
class Tally {
  readonly exact: Counts = { tp: 0, predicted: 0, reference: 0 };
  // Overlap precision and recall count each side's mentions that overlap one of the other side (same type).
  readonly overlapP = { hit: 0, total: 0 };
  readonly overlapR = { hit: 0, total: 0 };
  readonly byType = new Map<string, Counts>();
  readonly relations: Counts = { tp: 0, predicted: 0, reference: 0 };

  add(
    predicted: readonly Mention[],
    reference: readonly Mention[],
    predictedPairs: readonly Pair[],
    referencePairs: readonly Pair[],
  ): void {
    const key = (m: Mention): string => `${m.start}:${m.end}:${m.label}`;
    const type = (label: string): Counts => {
      let c = this.byType.get(label);
      if (!c) this.byType.set(label, (c = { tp: 0, predicted: 0, reference: 0 }));
      return c;
    };
    const ref = new Set(reference.map(key));
    const pred = new Set(predicted.map(key));
    for (const k of pred) {
      const label = k.split(':').slice(2).join(':');
      type(label).predicted++;
      this.exact.predicted++;
      if (ref.has(k)) {
        type(label).tp++;
        this.exact.tp++;
      }
    }
    for (const k of ref) {
      type(k.split(':').slice(2).join(':')).reference++;
      this.exact.reference++;
    }
    const overlapsAny = (m: Mention, others: readonly Mention[]): boolean =>
      others.some((o) => o.label === m.label && o.start < m.end && m.start < o.end);
    for (const m of uniq(predicted, key)) {
      this.overlapP.total++;
      if (overlapsAny(m, reference)) this.overlapP.hit++;
    }
    for (const m of uniq(reference, key)) {
      this.overlapR.total++;
      if (overlapsAny(m, predicted)) this.overlapR.hit++;
    }
    const pairKey = (p: Pair): string => `${p.chemical}|${p.gene}|${p.label}`;
    const refPairs = new Set(referencePairs.map(pairKey));
    const predPairs = new Set(predictedPairs.map(pairKey));
    this.relations.predicted += predPairs.size;
    this.relations.reference += refPairs.size;
    for (const k of predPairs) if (refPairs.has(k)) this.relations.tp++;
  }

  report(): AgreementReport {
    const p = this.overlapP.total > 0 ? this.overlapP.hit / this.overlapP.total : 0;
    const r = this.overlapR.total > 0 ? this.overlapR.hit / this.overlapR.total : 0;
    const entities: AgreementReport['entities'] = {
      exact: prf(this.exact),
      overlap: { p: round(p), r: round(r), f1: round(p + r > 0 ? (2 * p * r) / (p + r) : 0) },
    };
    for (const [label, counts] of [...this.byType.entries()].sort(([a], [b]) => a.localeCompare(b)))
      if (label !== 'exact' && label !== 'overlap') entities[label] = prf(counts);
    return { entities, relations: prf(this.relations) };
  }
}

function uniq<T>(items: readonly T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface MatchedDocuments {
  /** Ids in A with no document in B (their annotations count as disagreements). */
  onlyA: string[];
  onlyB: string[];
}

/**
 * Agreement of A with B (the reference): documents matched by id (file name without extension, PMID, BioC id);
 * a document on one side only counts all its annotations as disagreements.
 */
export function agreement(a: readonly CurationRecord[], b: readonly CurationRecord[]): AgreementReport & { documents: MatchedDocuments } {
  const tally = new Tally();
  const byId = new Map(b.map((d) => [d.id, d]));
  const seen = new Set<string>();
  const onlyA: string[] = [];
  const empty: CurationState = { entities: [], relations: [] };
  for (const doc of a) {
    const other = byId.get(doc.id);
    if (!other) onlyA.push(doc.id);
    else seen.add(doc.id);
    const x = asserted(doc.state);
    const y = asserted(other?.state ?? empty);
    tally.add(x.mentions, y.mentions, x.pairs, y.pairs);
  }
  const onlyB = b.filter((d) => !seen.has(d.id)).map((d) => d.id);
  for (const doc of b) {
    if (seen.has(doc.id)) continue;
    const y = asserted(doc.state);
    tally.add([], y.mentions, [], y.pairs);
  }
  return { ...tally.report(), documents: { onlyA, onlyB } };
}

export interface ModelComparison extends AgreementReport {
  /** Documents compared. */
  documents: number;
  /** Suggestions nobody reviewed yet: left out of both sides. */
  unreviewed: number;
}

/**
 * The model's suggestions against the curated annotations of the same documents. The model's answer is each reviewed
 * suggestion as the model made it (before a correction of type or span); the reference is what the curator kept
 * (accepted and added). Suggestions still waiting for review count on neither side.
 */
export function compareModelWithCurated(records: readonly CurationRecord[]): ModelComparison {
  const tally = new Tally();
  let unreviewed = 0;
  for (const doc of records) {
    const reference = asserted(doc.state);
    const byId = new Map<string, Mention>();
    const predicted: Mention[] = [];
    for (const e of doc.state.entities) {
      if (e.model === undefined && e.score === undefined) continue;
      if (e.status === 'suggested') {
        unreviewed++;
        continue;
      }
      const m = e.suggestion ?? { label: e.label, start: e.start, end: e.end };
      byId.set(e.id, m);
      predicted.push(m);
    }
    const pairs: Pair[] = [];
    for (const r of doc.state.relations) {
      if ((r.model === undefined && r.score === undefined) || r.status === 'suggested') continue;
      const c = byId.get(r.chemical);
      const g = byId.get(r.gene);
      if (c && g) pairs.push({ label: r.suggestedLabel ?? r.label, chemical: `${c.start}:${c.end}`, gene: `${g.start}:${g.end}` });
    }
    tally.add(predicted, reference.mentions, pairs, reference.pairs);
  }
  return { ...tally.report(), documents: records.length, unreviewed };
}
