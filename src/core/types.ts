// Owns the public result types of the engine. All offsets are UTF-16 (JS string indices, VS Code positions).

export type Aggregation = 'none' | 'simple' | 'first' | 'average' | 'max';

export interface Entity {
  /** Entity type without the B-/I- prefix (e.g. CHEMICAL), or the token label for aggregation "none". */
  label: string;
  score: number;
  start: number;
  end: number;
  /** The source text slice text.slice(start, end). */
  text: string;
  /** Token index inside its window (aggregation "none" only, as in the Hugging Face pipeline). */
  index?: number;
  /** Database records the mention names, best first (set by normalization; absent when it did not run). */
  ids?: EntityId[];
}

/** A database record linked to a mention. */
export interface EntityId {
  /** Prefixed record id: MESH:D003915, NCBIGene:1956, HGNC:3236. */
  id: string;
  /** 0..1; how sure the linker is (1 for ids read from an annotated corpus). */
  score: number;
  /** The record's preferred name (MeSH heading, HGNC approved symbol). */
  name?: string;
  /** The vocabulary name the mention matched, and how (e.g. "abbreviation of dextromethorphan"). */
  matched?: string;
}

export interface Span {
  start: number;
  end: number;
}

export interface Relation {
  /** ChemProt class, e.g. CPR:4. */
  label: string;
  score: number;
  chemical: Entity;
  gene: Entity;
  /** The sentence the pair was classified in. */
  sentence: Span;
}

export interface LabelScore {
  label: string;
  score: number;
}

export interface Answer {
  answer: string;
  score: number;
  start: number;
  end: number;
}
