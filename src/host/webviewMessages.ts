// Owns checking what a webview sends before the host acts on it: anything malformed is dropped, extra fields never pass.
import type { OffsetSpan, QaWebviewMessage, RelationsWebviewMessage } from '../shared/webviewProtocol';

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
    case 'curate':
      return parseCurate(message);
    case 'addRelation':
      return typeof message.uri === 'string' && message.uri.length > 0 ? { type: 'addRelation', uri: message.uri } : undefined;
    default:
      return undefined;
  }
}

/** Longest relation class name accepted from the webview (ChemProt's are "CPR:9"; a model's own can be longer). */
export const MAX_LABEL_LENGTH = 64;

function parseCurate(message: Fields): Extract<RelationsWebviewMessage, { type: 'curate' }> | undefined {
  const spans = parseSpans([message.chemical, message.gene]);
  const { uri, action, label } = message;
  if (typeof uri !== 'string' || uri.length === 0 || !spans || spans.length !== 2) return undefined;
  const [chemical, gene] = spans;
  if (action === 'accept' || action === 'reject') return { type: 'curate', uri, chemical, gene, action };
  if (action !== 'setLabel' || typeof label !== 'string' || label.trim() === '' || label.length > MAX_LABEL_LENGTH) return undefined;
  return { type: 'curate', uri, chemical, gene, action, label: label.trim() };
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
