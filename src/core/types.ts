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
