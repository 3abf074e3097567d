// Owns the typed messages between the extension host and the two webviews (relations panel, QA view).
// Types only: imported by src/extension, src/host and webview/; the checks of incoming messages are src/host/webviewMessages.ts.

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
}

export interface RelationClass {
  label: string;
  words: string;
}

export interface DocumentRef {
  uri: string;
  /** File name for people, e.g. "10064839.txt". */
  name: string;
}

export type RelationsHostMessage =
  | {
      type: 'relations';
      document: DocumentRef;
      rows: RelationRow[];
      classes: RelationClass[];
      model: string;
      /** Why these rows are out of date (another model, edited text, a failed run); absent while current. */
      stale?: string;
    }
  | { type: 'busy'; document: DocumentRef | undefined; message: string }
  | { type: 'empty'; message: string }
  | { type: 'error'; message: string };

export type RelationsWebviewMessage = { type: 'ready' } | { type: 'reveal'; uri: string; spans: OffsetSpan[] } | { type: 'refresh' };

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
