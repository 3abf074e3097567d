// Owns CoNLL output: one token per line with its IOB label, sentences separated by a blank line (BC5CDR style).
import type { AnnotatedDocument } from './document';
import { splitSentences } from '../text/sentences';
import { parseLabel } from '../labels';

// Words and single punctuation marks, as the BC5CDR/BC2GM CoNLL files tokenize.
const TOKEN = /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu;

/** Token<TAB>label lines; a token takes B-/I- of the entity it falls in, O outside any. */
export function writeConll(docs: readonly AnnotatedDocument[]): string {
  const out: string[] = [];
  for (const doc of docs) {
    out.push(`-DOCSTART-\t${doc.id}`, '');
    const entities = [...doc.entities].sort((a, b) => a.start - b.start);
    let k = 0;
    for (const sentence of splitSentences(doc.text)) {
      const lines: string[] = [];
      let open: (typeof entities)[number] | undefined;
      let openTag: string | undefined;
      for (const m of doc.text.slice(sentence.start, sentence.end).matchAll(TOKEN)) {
        const start = sentence.start + m.index;
        const end = start + m[0].length;
        while (k < entities.length && entities[k].end <= start) k++;
        const e = entities[k];
        const inside = e !== undefined && e.start < end && start < e.end;
        if (!inside) {
          lines.push(`${m[0]}\tO`);
          open = openTag = undefined;
          continue;
        }
        // Token-level results ("none") carry their own B-/I- labels: an I- token continues the entity before it.
        const { prefix, type: tag } = parseLabel(e.label);
        const continues = open === e || (prefix === 'I' && openTag === tag);
        lines.push(`${m[0]}\t${continues ? 'I' : 'B'}-${tag}`);
        open = e;
        openTag = tag;
      }
      if (lines.length > 0) out.push(...lines, '');
    }
  }
  return out.join('\n');
}
