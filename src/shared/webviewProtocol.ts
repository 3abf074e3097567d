// Owns the typed messages between the extension host and the two webviews (relations panel, QA view).
// Types only: imported by src/extension, src/host and webview/; the checks of incoming messages are src/host/webviewMessages.ts.
import type { CurationStatus } from '../core/curation/types';

/** A half-open UTF-16 range in the document, as the engine reports it. */
export interface OffsetSpan {
  start: number;
  end: number;
}

/** A piece of an evidence sentence; `mark` says which mention it is, if any. Rendered with textContent only. */
export interface TextSegment {
  text: string;
  mark?: 'chemical' | 'gene' | 'answer';
}

export interface RelationRow {
  id: string;
  /** ChemProt class, e.g. CPR:4. */
  label: string;
  /** The class in words, e.g. "inhibits / downregulates". */
  words: string;
  score: number;
  chemical: { text: string; span: OffsetSpan };
  gene: { text: string; span: OffsetSpan };
  evidence: TextSegment[];
  /** The paragraph the pair is in ("¶ 3 · Dextromethorphan binds…"), for grouping; rows of one group are adjacent. */
  group: string;
  /** Curation review status (suggested until a curator accepts, rejects or adds it); absent reads as suggested. */
  status?: RelationStatus;
}

/** The curation status of a relation row, as the curation commands report it. */
export type RelationStatus = CurationStatus;

/** What a curator does to one relation row from the panel. */
export type RelationCurationAction = 'accept' | 'reject' | 'setLabel';

export interface RelationClass {
  label: string;
  words: string;
}

export interface DocumentRef {
  uri: string;
  /** File name for people, e.g. "10064839.txt". */
  name: string;
}

/**
 * The JSON text of a T. Long lists cross into a webview as one string: a structured clone of 5,000 relation rows
 * (about 60,000 small objects, once per postMessage hop) took ~200 ms, the string and its JSON.parse ~25 ms.
 */
export type JsonText<T> = string & { readonly __jsonOf?: T };

export type RelationsHostMessage =
  | {
      type: 'relations';
      document: DocumentRef;
      /** RelationRow[] as JSON (see JsonText). */
      rows: JsonText<RelationRow[]>;
      classes: RelationClass[];
      model: string;
      /** Why these rows are out of date (another model, edited text, a failed run); absent while current. */
      stale?: string;
    }
  | { type: 'busy'; document: DocumentRef | undefined; message: string }
  | { type: 'empty'; message: string }
  | { type: 'error'; message: string };

export type RelationsWebviewMessage =
  | { type: 'ready' }
  | { type: 'reveal'; uri: string; spans: OffsetSpan[] }
  | { type: 'refresh' }
  /** Accept, reject or re-class one relation (the pair is named by its two mention spans); `label` only with setLabel. */
  | { type: 'curate'; uri: string; chemical: OffsetSpan; gene: OffsetSpan; action: RelationCurationAction; label?: string }
  /** The toolbar's "Add relation…": the host asks for the pair and class. */
  | { type: 'addRelation'; uri: string };

export type QaScope = 'document' | 'selection';

export interface AnswerView {
  text: string;
  score: number;
  span: OffsetSpan;
  /** The sentence around the answer, the answer itself marked. */
  context: TextSegment[];
  /** The answer's text was edited since it was found: shown dimmed, not selectable, until asked again. */
  stale?: boolean;
}

export interface QaEntry {
  id: string;
  question: string;
  scope: QaScope;
  askedAt: string;
  answers: AnswerView[];
  /** Answers scoring below this count as "no answer"; they are still listed, marked weak. */
  threshold: number;
  /** Some answer reaches the threshold (decided by the host: src/host/qaAnswers.ts hasConfidentAnswer). */
  confident: boolean;
}

/**
 * Names one question. The webview numbers its own questions 1, 2, …; the host numbers those asked from a command
 * -1, -2, …. Every reply carries the id of its question, so the answer (or failure) of a question that a newer one
 * replaced is never shown as the current one.
 */
export type RequestId = number;

export type QaHostMessage =
  | { type: 'document'; document: DocumentRef | undefined; history: QaEntry[]; hasSelection: boolean }
  | { type: 'selection'; hasSelection: boolean }
  | { type: 'busy'; requestId: RequestId; question: string }
  | { type: 'answered'; requestId: RequestId; entry: QaEntry }
  | { type: 'error'; requestId: RequestId | undefined; message: string };

export type QaWebviewMessage =
  | { type: 'ready' }
  | { type: 'ask'; requestId: RequestId; question: string; scope: QaScope; topK: number }
  | { type: 'reveal'; uri: string; spans: OffsetSpan[] }
  | { type: 'clearHistory' };
