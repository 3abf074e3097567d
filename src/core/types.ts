// Owns the public result types of the engine. All offsets are UTF-16 (JS string indices, VS Code positions).

export type Aggregation = 'none' | 'simple' | 'first' | 'average' | 'max';

/** Every aggregation, in the order settings and `--help` list them. */
export const AGGREGATIONS: readonly Aggregation[] = ['none', 'simple', 'first', 'average', 'max'];

/**
 * How NER reads a text. `exact` windows the whole text as the Hugging Face pipeline does (golden parity). `fast` windows
 * each sentence on its own and batches a text's sentences by length (see tasks/ner.ts).
 */
export type NerMode = 'exact' | 'fast';
export const NER_MODES: readonly NerMode[] = ['exact', 'fast'];

/** Where a model session runs (biom.runtime.device, --device); see runtime/sessionPolicy.ts. */
export type Device = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';
export const DEVICES: readonly Device[] = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'];

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
