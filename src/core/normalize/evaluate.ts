// Owns the linking evaluation on gold PubTator corpora: accuracy@1 on gold mentions, and (span, id) P/R/F1 with NER.
import type { AnnotatedDocument } from '../formats/document';
import type { Entity } from '../types';
import { linkKindOf, type LinkKind, type Normalizer, type NormalizeOptions } from './normalizer';

export interface LinkingScores {
  type: LinkKind;
  species?: string;
  documents: number;
  /** Gold mentions scored (with a usable gold id). */
  mentions: number;
  correct: number;
  accuracy_at_1: number;
  /** Gold mentions of the type left out: no gold id ("-1"), or with species human no human gene id. */
  skipped: number;
  /** Scored mentions that got no id (below the threshold or nothing found). */
  no_id: number;
  /** With NER: precision, recall and F1 of (span, id) pairs: exact span, and the first predicted id among the gold ids. */
  p?: number;
  r?: number;
  f1?: number;
  end_to_end?: { tp: number; predicted: number; gold: number };
}

export interface EvaluateOptions extends NormalizeOptions {
  type: LinkKind;
  /** Finds entities in a document's text (our NER); enables end-to-end scores. */
  recognize?: (doc: AnnotatedDocument) => Promise<Entity[]>;
  limit?: number;
  /** Receives every scored mention (for error analysis). */
  onMention?: (m: { doc: string; text: string; gold: string[]; predicted?: string; matched?: string; correct: boolean }) => void;
}

const NAMESPACE: Record<LinkKind, string> = { chemical: 'MESH:', gene: 'NCBIGene:' };

/** Gold ids of a mention that count: the namespace of the kind, and with species human only human genes. */
function usableGold(e: Entity, kind: LinkKind, human: Set<string> | undefined): string[] {
  return (e.ids ?? []).map((x) => x.id).filter((id) => id.startsWith(NAMESPACE[kind]) && (!human || human.has(id)));
}

export async function evaluateLinking(
  docs: readonly AnnotatedDocument[],
  normalizer: Normalizer,
  options: EvaluateOptions,
): Promise<LinkingScores> {
  const kind = options.type;
  const index = normalizer.index(kind);
  // "Human gene" = an NCBI Gene id that HGNC lists; without --species every gene id counts.
  const human =
    kind === 'gene' && options.species === 'human' && index
      ? new Set(
          index
            .concepts()
            .filter((c) => c.entrez)
            .map((c) => `NCBIGene:${c.entrez}`),
        )
      : undefined;
  const used = docs.slice(0, options.limit ?? docs.length);
  let mentions = 0;
  let correct = 0;
  let skipped = 0;
  let noId = 0;
  let tp = 0;
  let predicted = 0;
  let goldPairs = 0;
  for (const doc of used) {
    const gold = doc.entities.filter((e) => linkKindOf(e.label) === kind);
    const scored = gold.filter((e) => usableGold(e, kind, human).length > 0);
    skipped += gold.length - scored.length;
    // The linker sees the gold spans without their ids, in document order (its context is the whole document).
    const linked = normalizer.normalizeEntities(
      doc.text,
      gold.map(({ ids: _ids, ...e }) => e),
      options,
    );
    for (const [i, e] of gold.entries()) {
      const want = usableGold(e, kind, human);
      if (want.length === 0) continue;
      mentions++;
      const first = linked[i].ids?.find((x) => x.id.startsWith(NAMESPACE[kind]));
      if (!first) noId++;
      const ok = first !== undefined && want.includes(first.id);
      if (ok) correct++;
      options.onMention?.({ doc: doc.id, text: e.text, gold: want, predicted: first?.id, matched: first?.matched, correct: ok });
    }
    if (options.recognize) {
      const skippedSpans = gold.filter((e) => usableGold(e, kind, human).length === 0);
      const found = (await options.recognize(doc)).filter((e) => linkKindOf(e.label) === kind);
      const mine = normalizer
        .normalizeEntities(doc.text, found, options)
        .filter((e) => !skippedSpans.some((s) => s.start < e.end && e.start < s.end))
        .map((e) => ({ e, id: e.ids?.find((x) => x.id.startsWith(NAMESPACE[kind]))?.id }))
        .filter((x) => x.id !== undefined);
      predicted += mine.length;
      goldPairs += scored.length;
      for (const { e, id } of mine) {
        if (scored.some((g) => g.start === e.start && g.end === e.end && usableGold(g, kind, human).includes(id!))) tp++;
      }
    }
  }
  const round = (x: number): number => Math.round(x * 10_000) / 10_000;
  const scores: LinkingScores = {
    type: kind,
    ...(options.species ? { species: options.species } : {}),
    documents: used.length,
    mentions,
    correct,
    accuracy_at_1: mentions ? round(correct / mentions) : 0,
    skipped,
    no_id: noId,
  };
  if (options.recognize) {
    const p = predicted ? tp / predicted : 0;
    const r = goldPairs ? tp / goldPairs : 0;
    scores.p = round(p);
    scores.r = round(r);
    scores.f1 = round(p + r ? (2 * p * r) / (p + r) : 0);
    scores.end_to_end = { tp, predicted, gold: goldPairs };
  }
  return scores;
}
