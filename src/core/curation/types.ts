// Owns the curation vocabulary every layer speaks: a curated entity or relation, its review status, and the actions a
// curator takes. Offsets are UTF-16 (as everywhere in the engine); the brat file converts to code points.
import type { EntityId, Span } from '../types';

/** suggested: from a model, not reviewed yet; accepted/rejected: reviewed; added: made by the curator. */
export type CurationStatus = 'suggested' | 'accepted' | 'rejected' | 'added';

export const CURATION_STATUSES: readonly CurationStatus[] = ['suggested', 'accepted', 'rejected', 'added'];

export interface CuratedEntity {
  /** Stable inside its document ("T12"); kept across saves, edits and reloads so R/N/A lines keep pointing at it. */
  id: string;
  label: string;
  start: number;
  end: number;
  /** text.slice(start, end) of the document. */
  text: string;
  status: CurationStatus;
  /** Model score of a suggestion (kept after it is accepted or rejected). */
  score?: number;
  /** Model that suggested it. */
  model?: string;
  /** Database ids (brat N lines). */
  ids?: EntityId[];
  /** The text at [start, end) no longer reads `text` (the document changed outside the editor): shown flagged, never shifted. */
  mismatch?: boolean;
  /**
   * What the model suggested before the curator corrected the type or span, so "Compare Model with Curated" counts
   * the model's answer, not the curator's fix. Absent when nothing was corrected.
   */
  suggestion?: { label: string; start: number; end: number };
}

export interface CuratedRelation {
  /** Stable inside its document ("R3"). */
  id: string;
  /** ChemProt class, e.g. CPR:4. */
  label: string;
  /** Entity ids: Arg1 (chemical) and Arg2 (gene). */
  chemical: string;
  gene: string;
  status: CurationStatus;
  score?: number;
  model?: string;
  /** The class the model suggested before the curator changed it (see CuratedEntity.suggestion). */
  suggestedLabel?: string;
}

export interface CurationState {
  entities: CuratedEntity[];
  relations: CuratedRelation[];
  /**
   * Lines of the standoff file that BioM does not model (events, other tools' attributes and notes, truly
   * discontinuous mentions, lines it could not read): written back verbatim so no other tool's work is lost.
   */
  foreign?: ForeignLine[];
}

/** A standoff line kept as is; dropped only when an annotation it points at (`refs`) is deleted. */
export interface ForeignLine {
  line: string;
  /** Its own id (E1, A3, #2, …), so new ids never collide with it. */
  id?: string;
  /** Ids of annotations it refers to. */
  refs: string[];
}

/** One curator action; bulk actions carry every id they touch so undo restores them in one step. */
export type CurationAction =
  | { kind: 'accept'; ids: string[] }
  | { kind: 'reject'; ids: string[] }
  | { kind: 'setLabel'; ids: string[]; label: string }
  | { kind: 'setSpan'; id: string; span: Span }
  | { kind: 'add'; label: string; span: Span }
  | { kind: 'delete'; ids: string[] }
  | { kind: 'acceptRelation'; ids: string[] }
  | { kind: 'rejectRelation'; ids: string[] }
  | { kind: 'setRelationLabel'; ids: string[]; label: string }
  | { kind: 'addRelation'; chemical: string; gene: string; label: string };

/** A line of a standoff file that could not be used: shown to the user as "file:line: problem". */
export interface AnnProblem {
  line: number;
  message: string;
}
