// Owns moving offsets: from a part of a text to the whole (shiftSpans) and through edits (mapSpans), so results land
// on their words in the document and stay there while the user types.
import type { Span } from '../types';

/** One replacement in the text before the edit: [start, end) became `insertedLength` characters. */
export interface TextChange {
  start: number;
  end: number;
  insertedLength: number;
}

/**
 * Spans of a part of a text (a paragraph, a selection, a QA context) as offsets of the whole text that part starts at
 * `offset` in. The one place results move from a part to its document.
 */
export function shiftSpans<T extends Span>(items: readonly T[], offset: number): T[] {
  return offset === 0 ? [...items] : items.map((item) => ({ ...item, start: item.start + offset, end: item.end + offset }));
}

/** Mentions hit by an edit are dropped (their text changed); sentences stretch or shrink with edits inside them. */
export type SpanPolicy = 'drop' | 'stretch';

/**
 * Maps a span through one change. Edits touching a mention's edge only move it when they are before it: typing right
 * after "aspirin" keeps "aspirin" as it was; typing right before it shifts it.
 */
export function mapSpan(span: Span, change: TextChange, policy: SpanPolicy): Span | undefined {
  const delta = change.insertedLength - (change.end - change.start);
  const isInsertion = change.start === change.end;
  if (policy === 'drop') {
    if (change.start >= span.end) return span;
    if (change.end <= span.start) return { start: span.start + delta, end: span.end + delta };
    return undefined;
  }
  // Stretch: typing at either edge of a sentence makes it longer rather than leaving the new text outside.
  if (change.start > span.end) return span;
  if (change.end <= span.start && !(isInsertion && change.start === span.start)) {
    return { start: span.start + delta, end: span.end + delta };
  }
  const start = Math.min(span.start, change.start);
  const end = Math.max(span.end, change.end) + delta;
  return end > start ? { start, end } : undefined;
}

/**
 * Applies every change of one editor event. VS Code reports all of an event's changes against the text before the
 * event and they never overlap, so applying them from the last to the first keeps each one's offsets valid.
 */
export function mapSpans<T extends Span>(items: readonly T[], changes: readonly TextChange[], policy: SpanPolicy): T[] {
  const ordered = [...changes].sort((a, b) => b.start - a.start);
  const out: T[] = [];
  for (const item of items) {
    let span: Span | undefined = item;
    for (const change of ordered) {
      span = mapSpan(span, change, policy);
      if (!span) break;
    }
    if (span) out.push(span === item ? item : { ...item, start: span.start, end: span.end });
  }
  return out;
}

/** The change a VS Code content change describes (rangeOffset, rangeLength, text). */
export function toTextChange(change: { rangeOffset: number; rangeLength: number; text: string }): TextChange {
  return { start: change.rangeOffset, end: change.rangeOffset + change.rangeLength, insertedLength: change.text.length };
}
