// Owns paragraph boundaries: the unit that incremental annotation caches and re-runs (UTF-16 offsets).
import type { Span } from '../types';

export interface Paragraph extends Span {
  /** text.slice(start, end) of the document. */
  text: string;
}

export interface ParagraphOptions {
  /**
   * Longest paragraph in UTF-16 units; longer ones are cut (see splitParagraphs) so that one paragraph never holds
   * the memory of a whole document (a 1 MB file with no blank line). Default 20 000 (about 5 000 tokens).
   */
  maxLength?: number;
}

/**
 * A paragraph break is a line break followed by one or more lines that are empty or hold only spaces and tabs,
 * each ended by a line break: "\n\n", "\r\n\r\n", "\n  \t\n\n". Line breaks are \n, \r\n and \r.
 */
// A lone \r is a line break only when no \n follows: otherwise "\r" + "\n" (one CRLF) would read as a blank line.
const PARAGRAPH_BREAK = /(?:\r\n|\r(?!\n)|\n)(?:[ \t]*(?:\r\n|\r(?!\n)|\n))+/g;
const BLANK = /^\s*$/;

/**
 * Paragraphs of `text`, in order: the text between paragraph breaks (and the document's start and end), with the
 * break itself in neither. Whitespace-only stretches are left out (no model would find anything there).
 * A paragraph longer than maxLength is cut into pieces at the last line break, else sentence end, else space in
 * its second half, else at maxLength (never inside a surrogate pair).
 */
export function splitParagraphs(text: string, options: ParagraphOptions = {}): Paragraph[] {
  const maxLength = Math.max(16, options.maxLength ?? 20_000);
  const out: Paragraph[] = [];
  const push = (start: number, end: number): void => {
    const slice = text.slice(start, end);
    if (BLANK.test(slice)) return;
    if (end - start <= maxLength) {
      out.push({ start, end, text: slice });
      return;
    }
    let from = start;
    while (end - from > maxLength) {
      const cut = cutPoint(text, from, from + maxLength);
      out.push({ start: from, end: cut, text: text.slice(from, cut) });
      from = cut;
    }
    if (!BLANK.test(text.slice(from, end))) out.push({ start: from, end, text: text.slice(from, end) });
  };
  let start = 0;
  for (const m of text.matchAll(PARAGRAPH_BREAK)) {
    push(start, m.index);
    start = m.index + m[0].length;
  }
  push(start, text.length);
  return out;
}

/** Where to end a piece that starts at `from` and may not pass `limit`. */
function cutPoint(text: string, from: number, limit: number): number {
  const half = from + Math.floor((limit - from) / 2);
  const window = text.slice(half, limit);
  const line = window.lastIndexOf('\n');
  if (line >= 0) return half + line + 1;
  const sentence = Math.max(window.lastIndexOf('. '), window.lastIndexOf('? '), window.lastIndexOf('! '));
  if (sentence >= 0) return half + sentence + 2;
  const space = window.lastIndexOf(' ');
  if (space >= 0) return half + space + 1;
  const c = text.charCodeAt(limit - 1);
  return c >= 0xd800 && c <= 0xdbff ? limit - 1 : limit;
}
