// Owns turning model answers into what the QA view shows (answer in its sentence) and the per-document history (no 'vscode').
import { mapSpans, type TextChange } from '../core/text/changes';
import { sentenceAt, splitSentences } from '../core/text/sentences';
import type { Answer } from '../core/types';
import type { AnswerView, QaEntry, QaScope } from '../shared/webviewProtocol';
import { segmentText } from './segments';

/** Below this the view says "no answer above threshold" (and still lists the weak candidates, marked as such). */
export const ANSWER_THRESHOLD = 0.1;
export const HISTORY_PER_DOCUMENT = 20;
export const HISTORY_DOCUMENTS = 50;

/** Longest context shown around an answer: the sentence, cut around the answer if the sentence is very long. */
const MAX_CONTEXT = 300;

export function answerViews(documentText: string, answers: readonly Answer[]): AnswerView[] {
  if (answers.length === 0) return [];
  const sentences = splitSentences(documentText);
  return answers.map((a) => {
    const sentence = sentenceAt(sentences, a.start);
    let start = Math.min(sentence.start, a.start);
    let end = Math.max(sentence.end, a.end);
    if (end - start > MAX_CONTEXT) {
      start = Math.max(start, a.start - MAX_CONTEXT / 2);
      end = Math.min(end, Math.max(a.end, start + MAX_CONTEXT));
    }
    return {
      text: a.answer,
      score: a.score,
      span: { start: a.start, end: a.end },
      context: segmentText(documentText.slice(start, end), start, [{ span: a, mark: 'answer' }]),
    };
  });
}

export function hasConfidentAnswer(entry: Pick<QaEntry, 'answers' | 'threshold'>): boolean {
  return entry.answers.some((a) => a.score >= entry.threshold);
}

export function newEntry(question: string, scope: QaScope, answers: AnswerView[], now = new Date()): QaEntry {
  return {
    id: `${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    question,
    scope,
    askedAt: now.toISOString(),
    answers,
    threshold: ANSWER_THRESHOLD,
    confident: hasConfidentAnswer({ answers, threshold: ANSWER_THRESHOLD }),
  };
}

export type QaHistory = Record<string, QaEntry[]>;

/** History with `entry` first for `uri`; bounded per document and in documents (the oldest documents go first). */
export function addToHistory(history: QaHistory, uri: string, entry: QaEntry): QaHistory {
  const entries = [entry, ...(history[uri] ?? [])].slice(0, HISTORY_PER_DOCUMENT);
  const others = Object.entries(history).filter(([key]) => key !== uri);
  return Object.fromEntries([[uri, entries] as const, ...others].slice(0, HISTORY_DOCUMENTS));
}

/**
 * A document's history after one editor change event: answers move with edits before them, and an answer whose own
 * text was edited keeps its old place but is marked stale (a click must never select other words). Undefined when
 * nothing moved, so the caller need not save.
 */
export function historyAfterEdits(entries: readonly QaEntry[], changes: readonly TextChange[]): QaEntry[] | undefined {
  let changed = false;
  const out = entries.map((entry) => {
    const answers = entry.answers.map((answer) => {
      if (answer.stale) return answer;
      const [moved] = mapSpans([answer.span], changes, 'drop');
      if (moved && moved.start === answer.span.start && moved.end === answer.span.end) return answer;
      changed = true;
      return moved ? { ...answer, span: { start: moved.start, end: moved.end } } : { ...answer, stale: true };
    });
    return answers.every((a, i) => a === entry.answers[i]) ? entry : { ...entry, answers };
  });
  return changed ? out : undefined;
}
