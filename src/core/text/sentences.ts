// Owns sentence boundaries: the same rule as the ChemProt reference (`sentences` in tools/make_goldens.py).
import type { Span } from '../types';

// A sentence ends at . ! or ? followed by whitespace and an upper-case letter, digit, ( or [.
const SENTENCE_BREAK = /(?<=[.!?])\s+(?=[A-Z0-9([])/g;

/** Sentence spans of `text` (UTF-16 offsets); the whitespace between sentences belongs to neither. */
export function splitSentences(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  for (const m of text.matchAll(SENTENCE_BREAK)) {
    out.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  out.push({ start, end: text.length });
  return out;
}

/** The sentence that contains `offset`, or the nearest one before it. */
export function sentenceAt(sentences: readonly Span[], offset: number): Span {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (sentences[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return sentences[lo];
}
