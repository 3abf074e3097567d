// Owns the typed messages between the extension host and the two webviews (relations panel, QA view), and their checks.
// Types and the checks of incoming messages only: imported by src/extension and by webview/, never imports 'vscode'.

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
  | { type: 'relations'; document: DocumentRef; rows: RelationRow[]; classes: RelationClass[]; model: string }
  | { type: 'busy'; document: DocumentRef | undefined; message: string }
  | { type: 'empty'; message: string }
  | { type: 'error'; message: string };

export type RelationsWebviewMessage =
  | { type: 'ready' }
  | { type: 'reveal'; uri: string; spans: OffsetSpan[] }
  | { type: 'refresh' };

export type QaScope = 'document' | 'selection';

export interface AnswerView {
  text: string;
  score: number;
  span: OffsetSpan;
  /** The sentence around the answer, the answer itself marked. */
  context: TextSegment[];
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

/** Longest question accepted from the webview; a question is a sentence, not a document. */
export const MAX_QUESTION_LENGTH = 2000;
export const MAX_TOP_K = 20;

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOffset(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function parseSpans(value: unknown): OffsetSpan[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > 2) return undefined;
  const spans: OffsetSpan[] = [];
  for (const item of value) {
    if (!isObject(item) || !isOffset(item.start) || !isOffset(item.end) || item.start > item.end) return undefined;
    spans.push({ start: item.start, end: item.end });
  }
  return spans;
}

function parseReveal(message: Fields): { type: 'reveal'; uri: string; spans: OffsetSpan[] } | undefined {
  const spans = parseSpans(message.spans);
  if (typeof message.uri !== 'string' || message.uri.length === 0 || !spans) return undefined;
  return { type: 'reveal', uri: message.uri, spans };
}

/**
 * Checks a message from the relations webview; anything malformed is undefined (and ignored by the host).
 * Returns a fresh object so that extra fields a compromised webview might add never reach the host.
 */
export function parseRelationsWebviewMessage(message: unknown): RelationsWebviewMessage | undefined {
  if (!isObject(message)) return undefined;
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'refresh':
      return { type: 'refresh' };
    case 'reveal':
      return parseReveal(message);
    default:
      return undefined;
  }
}

/** Checks a message from the QA webview; anything malformed is undefined. */
export function parseQaWebviewMessage(message: unknown): QaWebviewMessage | undefined {
  if (!isObject(message)) return undefined;
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'clearHistory':
      return { type: 'clearHistory' };
    case 'reveal':
      return parseReveal(message);
    case 'ask': {
      const { requestId, question, scope, topK } = message;
      if (typeof requestId !== 'number' || !Number.isSafeInteger(requestId) || requestId < 1) return undefined;
      if (typeof question !== 'string' || question.trim() === '' || question.length > MAX_QUESTION_LENGTH) return undefined;
      if (scope !== 'document' && scope !== 'selection') return undefined;
      if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) return undefined;
      return { type: 'ask', requestId, question: question.trim(), scope, topK };
    }
    default:
      return undefined;
  }
}
