// Owns cutting a very long text into bounded pieces for the tasks, so memory stays flat however long a document is:
// pieces end at sentence boundaries (the same rule as relations), and a "sentence" longer than a piece is cut at
// whitespace.
import type { Span } from '../types';
import { splitSentences } from './sentences';

/** Texts up to this many UTF-16 units are processed whole; longer ones piece by piece. */
export const SEGMENT_CHARS = 100_000;

/**
 * Spans in order that cover every sentence of `text`, each at most `maxChars` long: a span starts where a sentence
 * starts and ends where one ends (the whitespace between two spans belongs to neither, as between two sentences), or,
 * for a "sentence" longer than `maxChars`, at whitespace. Text up to `maxChars` is one span.
 */
export function textSegments(text: string, maxChars: number = SEGMENT_CHARS): Span[] {
  if (text.length <= maxChars) return [{ start: 0, end: text.length }];
  const segments: Span[] = [];
  let start = 0;
  let end = 0;
  for (const sentence of splitSentences(text)) {
    if (sentence.end - start > maxChars && end > start) {
      segments.push({ start, end });
      start = sentence.start;
    }
    while (sentence.end - start > maxChars) {
      const cut = cutAtWhitespace(text, start, start + maxChars);
      segments.push({ start, end: cut });
      start = cut;
    }
    end = sentence.end;
  }
  if (end > start) segments.push({ start, end });
  return segments;
}

/** The last whitespace boundary in (from, limit], or limit (never inside a surrogate pair) when there is none. */
function cutAtWhitespace(text: string, from: number, limit: number): number {
  for (let i = limit; i > from + (limit - from) / 2; i--) {
    if (/\s/.test(text[i - 1])) return i;
  }
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

/** Characters of context a QA piece repeats from the one before: several windows' worth, so no answer is cut. */
export const SEGMENT_OVERLAP = 4_000;

/**
 * textSegments, each but the first reaching back up to `overlap` characters (from a word start) into the one before,
 * for tasks whose answers may cross a boundary (QA). Text up to `maxChars` is one piece.
 */
export function overlappingSegments(
  text: string,
  maxChars: number = SEGMENT_CHARS,
  overlap = Math.min(SEGMENT_OVERLAP, Math.floor(maxChars / 4)),
): Span[] {
  return textSegments(text, maxChars).map((segment) => {
    if (segment.start === 0) return segment;
    let from = Math.max(0, segment.start - overlap);
    // Begin after whitespace, so the piece does not open with half a word.
    while (from < segment.start && !/\s/.test(text[from])) from++;
    return { start: from < segment.start ? from + 1 : segment.start, end: segment.end };
  });
}
