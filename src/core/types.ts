// Owns the public result types of the engine. All offsets are UTF-16 (JS string indices, VS Code positions).

export type Aggregation = 'none' | 'simple' | 'first' | 'average' | 'max';

/** Every aggregation, in the order settings and `--help` list them. */
export const AGGREGATIONS: readonly Aggregation[] = ['none', 'simple', 'first', 'average', 'max'];

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

/** An entity with the model that found it (shown in hovers and output; tells two NER models apart). */
export interface AnnotatedEntity extends Entity {
  /** The model folder's name, "(int8)" added for the quantized variant. */
  model: string;
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
