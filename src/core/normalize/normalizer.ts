// Owns linking mentions to records: candidates from the indexes, ranking, abbreviations, composites, consistency, threshold.
import type { Entity, EntityId } from '../types';
import { entityKind } from '../labels';
import { findAbbreviations } from './abbreviations';
import { splitComposite } from './composite';
import { MAX_MENTION_CHARS, canonicalText, keyVariants, nameKey } from './keys';
import type { NameSource, VocabularyIndex } from './vocabulary';

export type LinkKind = 'chemical' | 'gene';
export type IndexSource = VocabularyIndex | (() => VocabularyIndex);

/** Species whose genes the bundled data can link. HGNC is human only: any other species gets no gene ids. */
export const SUPPORTED_GENE_SPECIES = ['human'] as const;
export const DEFAULT_GENE_SPECIES = 'human';
/** Links scoring below this are dropped: no id rather than a guess. */
export const DEFAULT_MIN_LINK_SCORE = 0.5;

export interface NormalizeOptions {
  /** Species of the genes in the text; only "human" has data, others give genes no ids. */
  species?: string;
  minScore?: number;
}

/** One ranked candidate record for a mention. */
interface Candidate {
  concept: number;
  score: number;
  matched: string;
  rule: string;
}

/** Weight of a name by where it came from: an approved symbol says more than someone's alias. */
const SOURCE_WEIGHT: Record<NameSource, number> = {
  preferred: 1,
  name: 1,
  synonym: 0.97,
  supplementary: 0.95,
  chebi: 0.93,
  corpus: 0.95,
  'previous-symbol': 0.9,
  'alias-symbol': 0.88,
  'previous-name': 0.86,
  'alias-name': 0.86,
};

/** Context words too common to tell two genes apart. */
const STOP = new Set([
  'the',
  'and',
  'for',
  'with',
  'protein',
  'factor',
  'family',
  'member',
  'domain',
  'containing',
  'like',
  'gene',
  'receptor',
  'subunit',
  'type',
  'alpha',
  'beta',
  'human',
]);

/** Which linker a label goes to, if any. */
export function linkKindOf(label: string): LinkKind | undefined {
  const kind = entityKind(label);
  return kind === 'other' ? undefined : kind;
}

/** Context of one document: its abbreviation definitions and its words (to tell genes that share a name apart). */
export interface DocumentContext {
  abbreviations: Map<string, string>;
  words: Set<string>;
}

export function documentContext(text: string): DocumentContext {
  const abbreviations = new Map<string, string>();
  for (const a of findAbbreviations(text)) abbreviations.set(a.short, a.long);
  let words: Set<string> | undefined;
  return {
    abbreviations,
    // Only genes that share a name need the document's words: made on first use.
    get words(): Set<string> {
      // Bounded: a huge document's vocabulary is no better context than its first 200k characters.
      words ??= new Set((canonicalText(text.slice(0, 200_000)).match(/[a-z0-9]{3,}/g) ?? []).filter((w) => !STOP.has(w)));
      return words;
    },
  };
}

const CACHE_LIMIT = 200_000;
/** Keys shorter than this are not spell-corrected: one edit turns a short symbol into another real one. */
const FUZZY_MIN_CHARS = 8;
/** Most keys compared per misspelt name (bounds the cost of a miss). */
const FUZZY_SCAN = 300;

/** Damerau–Levenshtein distance (adjacent swaps count one), or max + 1 as soon as it must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      row.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

/** Links mentions to MeSH (chemicals) and HGNC/NCBI Gene (genes) with the indexes it is given. */
export class Normalizer {
  private readonly cache = new Map<string, Candidate[]>();
  /** Name words of gene records met in ties, for context ranking. */
  private readonly conceptWords = new Map<number, string[]>();

  private readonly indexes: { chemical?: VocabularyIndex; gene?: VocabularyIndex } = {};

  /** Indexes, or functions that load one on first use (a text without genes never loads the gene index). */
  constructor(private readonly sources: { chemical?: IndexSource; gene?: IndexSource }) {}

  index(kind: LinkKind): VocabularyIndex | undefined {
    let index = this.indexes[kind];
    if (!index) {
      const source = this.sources[kind];
      index = typeof source === 'function' ? source() : source;
      this.indexes[kind] = index;
    }
    return index;
  }

  /** Ids for one mention; `context` (from documentContext) enables abbreviations and context ranking. */
  link(text: string, kind: LinkKind, context?: DocumentContext, options: NormalizeOptions = {}): EntityId[] {
    if (kind === 'gene' && (options.species ?? DEFAULT_GENE_SPECIES) !== 'human') return [];
    if (!this.index(kind)) return [];
    const minScore = options.minScore ?? DEFAULT_MIN_LINK_SCORE;
    const whole = this.best(text, kind, context);
    if (whole && whole.score >= minScore) return this.ids(kind, [whole]);
    const parts = splitComposite(text);
    if (parts.length > 0) {
      const linked = parts.map((p) => this.best(p, kind, context) ?? this.best(p.split(/\s+/).pop() ?? '', kind, context));
      if (linked.every((c) => c && c.score >= minScore)) {
        const unique = (linked as Candidate[]).filter((c, i, all) => all.findIndex((d) => d.concept === c.concept) === i);
        return this.ids(
          kind,
          unique.map((c) => ({ ...c, rule: c.rule ? `composite, ${c.rule}` : 'composite' })),
        );
      }
    }
    return [];
  }

  /**
   * Entities with `ids` set for chemicals and genes (others unchanged). The document's abbreviations resolve short
   * forms, and the same text gets the same ids everywhere in the document.
   */
  normalizeEntities<T extends Omit<Entity, 'ids'>>(
    text: string,
    entities: readonly T[],
    options: NormalizeOptions = {},
  ): (T & Pick<Entity, 'ids'>)[] {
    const context = documentContext(text);
    const perText = new Map<string, EntityId[]>();
    return entities.map((e) => {
      const kind = linkKindOf(e.label);
      if (!kind) return e;
      const key = `${kind}\u0000${nameKey(e.text) || e.text}`;
      let ids = perText.get(key);
      if (!ids) {
        ids = this.link(e.text, kind, context, options);
        perText.set(key, ids);
      }
      return { ...e, ids };
    });
  }

  private ids(kind: LinkKind, chosen: Candidate[]): EntityId[] {
    const index = this.index(kind)!;
    const out: EntityId[] = [];
    for (const c of chosen) {
      const concept = index.concept(c.concept);
      const score = Math.round(c.score * 1000) / 1000;
      const matched = c.rule ? `${c.matched} (${c.rule})` : c.matched;
      if (kind === 'chemical') {
        out.push({ id: `MESH:${concept.id}`, score, name: concept.preferred, matched });
      } else {
        if (concept.entrez) out.push({ id: `NCBIGene:${concept.entrez}`, score, name: concept.preferred, matched });
        out.push({ id: concept.id, score, name: concept.preferred, matched });
      }
    }
    return out;
  }

  /** The best candidate for a text: abbreviation of the document first, then the text itself, context breaking ties. */
  private best(text: string, kind: LinkKind, context: DocumentContext | undefined): Candidate | undefined {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.length > MAX_MENTION_CHARS) return undefined;
    const direct = this.rank(this.candidates(trimmed, kind), kind, context)[0];
    const long = context && this.expandAbbreviation(trimmed, context);
    if (long) {
      const viaLong = this.rank(this.candidates(long.text, kind), kind, context)[0];
      // The document's own definition wins when its long form is a vocabulary name as written, or scores better.
      if (viaLong && (!direct || viaLong.rule === '' || viaLong.score * 0.98 >= direct.score)) {
        return {
          ...viaLong,
          score: viaLong.score * 0.98,
          rule: `abbreviation of "${long.text}"${viaLong.rule ? `, ${viaLong.rule}` : ''}`,
        };
      }
    }
    return direct;
  }

  /** "DM" -> "dextromethorphan" when the document defines DM; "HNF-6" -> "hepatocyte nuclear factor-6" when it defines HNF. */
  private expandAbbreviation(text: string, context: DocumentContext): { text: string } | undefined {
    // "BZDs" for a defined "BZD", and the other way round.
    const whole = context.abbreviations.get(text) ?? context.abbreviations.get(text.endsWith('s') ? text.slice(0, -1) : `${text}s`);
    if (whole) return { text: whole };
    const m = /^([\p{L}\p{N}]+)([-\s]?[\p{N}\p{L}]{1,3})$/u.exec(text);
    if (m) {
      const stem = context.abbreviations.get(m[1]);
      if (stem) return { text: `${stem}${m[2]}` };
    }
    return undefined;
  }

  /** Context-free candidates of a text, best first (cached: the same name recurs across documents). */
  private candidates(text: string, kind: LinkKind): Candidate[] {
    const cacheKey = `${kind}\u0000${text}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    const found = this.lookup(text, kind);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(cacheKey, found);
    return found;
  }

  private lookup(text: string, kind: LinkKind): Candidate[] {
    const index = this.index(kind)!;
    const key = nameKey(text);
    if (key === '') return [];
    const exact = index.lookup(key);
    if (exact) {
      const sameCase = exact.name === text.trim();
      const lower = exact.name.toLowerCase() === text.trim().toLowerCase();
      const factor = sameCase ? 1 : lower ? 0.99 : 0.96;
      return this.fromEntry(exact.refs, exact.name, factor, '');
    }
    for (const v of keyVariants(text, kind)) {
      const entry = index.lookup(v.key);
      if (entry) return this.fromEntry(entry.refs, entry.name, 0.95 - v.penalty, v.rule);
    }
    // Gene names one letter or digit apart are different genes (TCF4 / TCF7): only chemical names are spell-corrected.
    return kind === 'chemical' ? this.misspelt(key, index) : [];
  }

  /**
   * A long chemical name one or two edits away from a vocabulary key ("tobramicyn", "amphothericin B"): the typo is looked for
   * among keys sharing the first 40%, which sorted storage finds at once. One clear winner only; scores stay lower.
   */
  private misspelt(key: string, index: VocabularyIndex): Candidate[] {
    // Codes and numbered names (ginsenoside Rg1 / Rb1) differ by one character on purpose.
    if (key.length < FUZZY_MIN_CHARS || /\d/.test(key)) return [];
    const maxEdits = key.length >= 10 ? 2 : 1;
    let best: { key: string; edits: number } | undefined;
    let tie = false;
    const last = key.charCodeAt(key.length - 1);
    // Same last letter (a different ending is a derivative, "doxorubicinol", not a typo) and at most one letter more or less.
    const near = (length: number, lastCharCode: number): boolean => Math.abs(length - key.length) <= 1 && lastCharCode === last;
    for (const other of index.keysWithPrefix(key.slice(0, Math.max(4, Math.floor(key.length * 0.4))), FUZZY_SCAN, near)) {
      const edits = editDistance(key, other, maxEdits);
      if (edits > maxEdits) continue;
      if (!best || edits < best.edits) {
        best = { key: other, edits };
        tie = false;
      } else if (edits === best.edits) tie = true;
    }
    if (!best || tie) return [];
    const entry = index.lookup(best.key)!;
    return this.fromEntry(entry.refs, entry.name, 0.86 - 0.06 * best.edits, `${best.edits} edit${best.edits > 1 ? 's' : ''} away`);
  }

  private fromEntry(refs: readonly { concept: number; source: NameSource }[], matched: string, factor: number, rule: string): Candidate[] {
    return refs
      .map((r) => ({ concept: r.concept, score: factor * SOURCE_WEIGHT[r.source], matched, rule }))
      .sort((a, b) => b.score - a.score || a.concept - b.concept);
  }

  /**
   * Orders candidates that share a name: the name's source first, then (genes) how many of the record's name words
   * occur in the document and whether it codes for a protein. Several equally good records lower the score.
   */
  private rank(candidates: Candidate[], kind: LinkKind, context: DocumentContext | undefined): Candidate[] {
    if (candidates.length <= 1) return candidates;
    const index = this.index(kind)!;
    const top = candidates[0].score;
    const close = candidates.filter((c) => c.score >= top - 0.021);
    if (close.length === 1) return candidates;
    const bonus = (c: Candidate): number => {
      const concept = index.concept(c.concept);
      let b = 0;
      if (kind === 'gene') {
        if (concept.group === 'protein-coding gene') b += 0.02;
        if (context && concept.fullName) {
          let ws = this.conceptWords.get(c.concept);
          if (!ws) {
            ws = (canonicalText(concept.fullName).match(/[a-z0-9]{3,}/g) ?? []).filter((w) => !STOP.has(w));
            this.conceptWords.set(c.concept, ws);
          }
          if (ws.length > 0) b += (0.03 * ws.filter((w) => context.words.has(w)).length) / ws.length;
          if (context.words.has(canonicalText(concept.preferred))) b += 0.01;
        }
      }
      return b;
    };
    const scored = close.map((c) => ({ c, s: c.score + bonus(c) })).sort((a, b) => b.s - a.s || a.c.concept - b.c.concept);
    const best = scored[0];
    const tied = scored.filter((x) => x.s >= best.s - 0.005).length;
    const ambiguity = tied > 1 ? 0.9 : 0.97;
    return [{ ...best.c, score: best.c.score * ambiguity }, ...scored.slice(1).map((x) => x.c)];
  }
}
