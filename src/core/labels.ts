// Owns what an entity label means: BIO prefixes, the entity type behind them, and its kind (chemical, gene, other).

/** The three kinds the editor colours and relations pair; a model may have labels beyond chemical and gene ("other"). */
export type EntityKind = 'chemical' | 'gene' | 'other';

export interface ParsedLabel {
  /** B- begins an entity, I- continues one; undefined for a plain type (aggregated results) or "O". */
  prefix: 'B' | 'I' | undefined;
  /** The entity type without its prefix (CHEMICAL for B-CHEMICAL); "O" for outside. */
  type: string;
}

const BIO = /^([BI])-(.+)$/;

/** Splits a BIO token label (B-CHEMICAL) or an aggregated type (CHEMICAL). Models are BIO only (see isBioLabel). */
export function parseLabel(label: string): ParsedLabel {
  const m = BIO.exec(label);
  return m ? { prefix: m[1] as 'B' | 'I', type: m[2] } : { prefix: undefined, type: label };
}

/** A label a NER model may have: O, B-X or I-X. */
export function isBioLabel(label: string): boolean {
  return label === 'O' || BIO.test(label);
}

/** The entity type of a label, prefix removed (aggregation "none" keeps token labels like I-GENE). */
export function entityType(label: string): string {
  return parseLabel(label).type;
}

const CHEMICAL = /^CHEMICAL$/i;
const GENE = /^(GENE|GENE-Y|GENE-N|PROTEIN|GENE_OR_GENE_PRODUCT)$/i;

/** Chemical (ChemProt CHEMICAL), gene/protein (ChemProt GENE-Y/GENE-N and common NER names), or other. */
export function entityKind(label: string): EntityKind {
  const type = entityType(label);
  if (CHEMICAL.test(type)) return 'chemical';
  if (GENE.test(type)) return 'gene';
  return 'other';
}
