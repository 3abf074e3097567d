// Owns cutting long documents into line-aligned chunks, so annotation can report progress and stop between chunks.
import type { Span } from '../core/types';

/**
 * Chunks of at most about `maxChars`, cut at blank lines where possible, else at line ends. Entity mentions never cross
 * a line break, so cutting there loses nothing; a document shorter than `maxChars` is one chunk and gives exactly the
 * engine's whole-text result.
 */
export function documentChunks(text: string, maxChars: number): Span[] {
  if (text.length <= maxChars) return [{ start: 0, end: text.length }];
  const chunks: Span[] = [];
  let start = 0;
  while (start < text.length) {
    if (text.length - start <= maxChars) {
      chunks.push({ start, end: text.length });
      break;
    }
    const limit = start + maxChars;
    const window = text.slice(start, limit);
    const blank = window.lastIndexOf('\n\n');
    const line = window.lastIndexOf('\n');
    const space = window.search(/\s\S*$/);
    // Only cut in the second half of the window, so chunks stay close to the size asked for.
    const half = maxChars / 2;
    const cut =
      blank > half ? start + blank + 2 : line > half ? start + line + 1 : space > half ? start + space + 1 : limit;
    chunks.push({ start, end: cut });
    start = cut;
  }
  return chunks;
}
