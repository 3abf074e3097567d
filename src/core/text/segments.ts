// Owns cutting a very long text into bounded pieces for the tasks, so memory stays flat however long a document is:
// pieces end at sentence boundaries (the same rule as relations), and a "sentence" longer than a piece is cut at
// whitespace.
import type { Span } from '../types';
import { splitSentences } from './sentences';

/** Texts up to this many UTF-16 units are processed whole; longer ones piece by piece. */
export const SEGMENT_CHARS = 100_000;

/**
 * Consecutive spans that cover `text`, each at most `maxChars` long, each starting where a sentence starts (or, for an
 * overlong sentence, after whitespace). Text shorter than `maxChars` is one span.
 */
export function textSegments(text: string, maxChars: number = SEGMENT_CHARS): Span[] {
  if (text.length <= maxChars) return [{ start: 0, end: text.length }];
  const segments: Span[] = [];
  let start = 0;
  let end = 0;
  const flush = (): void => {
    if (end > start) segments.push({ start, end });
    start = end;
  };
  for (const sentence of splitSentences(text)) {
    // The next sentence starts at sentence.start; the whitespace before it belongs to the piece before.
    if (sentence.end - start > maxChars && end > start) {
      end = sentence.start;
      flush();
    }
    while (sentence.end - start > maxChars) {
      end = cutAtWhitespace(text, start, start + maxChars);
      flush();
    }
    end = sentence.end;
  }
  end = text.length;
  flush();
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
