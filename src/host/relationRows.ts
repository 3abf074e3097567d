// Owns how a relation reads to a person (ChemProt class in words) and the rows the relations panel shows (no 'vscode').
import { CHEMPROT_CLASSES } from '../core/tasks/relations';
import type { Relation } from '../core/types';
import type { JsonText, RelationClass, RelationRow } from '../shared/webviewProtocol';
import { splitParagraphs } from '../core/text/paragraphs';
import { sentenceAt } from '../core/text/sentences';
import { segmentText } from './segments';

/** "CPR:4" -> "inhibits / downregulates"; classes a model adds beyond ChemProt read as their label. */
export function relationWords(label: string): string {
  return CHEMPROT_CLASSES[label] ?? label.replace(/_/g, ' ');
}

/** Words of a paragraph's start shown in its group header. */
const GROUP_TITLE_CHARS = 60;

/**
 * One row per relation, grouped by paragraph (an abstract, in a file of abstracts) in document order and best first
 * inside each; the evidence sentence comes from `text` with both mentions marked.
 */
export function relationRows(text: string, relations: readonly Relation[]): RelationRow[] {
  const paragraphs = splitParagraphs(text).map((p) => ({ start: p.start, end: p.start + p.text.length, text: p.text }));
  const groupOf = (r: Relation): number =>
    paragraphs.length === 0 ? 0 : paragraphs.indexOf(sentenceAt(paragraphs, r.chemical.start) as (typeof paragraphs)[number]);
  const title = (i: number): string => {
    const p = paragraphs[i];
    if (!p) return '¶ 1';
    const head = p.text.replace(/\s+/g, ' ').trim();
    return `¶ ${i + 1} · ${head.length > GROUP_TITLE_CHARS ? `${head.slice(0, GROUP_TITLE_CHARS)}…` : head}`;
  };
  return relations
    .map((r) => ({ r, g: groupOf(r) }))
    .sort((a, b) => a.g - b.g || b.r.score - a.r.score)
    .map(({ r, g }) => ({
      group: title(g),
      id: `${r.chemical.start}:${r.chemical.end}:${r.gene.start}:${r.gene.end}:${r.label}`,
      label: r.label,
      words: relationWords(r.label),
      score: r.score,
      chemical: { text: r.chemical.text, span: { start: r.chemical.start, end: r.chemical.end } },
      gene: { text: r.gene.text, span: { start: r.gene.start, end: r.gene.end } },
      evidence: segmentText(text.slice(r.sentence.start, r.sentence.end), r.sentence.start, [
        { span: r.chemical, mark: 'chemical' },
        { span: r.gene, mark: 'gene' },
      ]),
    }));
}

/** The classes the panel's filter offers: every ChemProt class, then any other label present. */
export function relationClasses(rows: readonly RelationRow[]): RelationClass[] {
  const labels = new Set([...Object.keys(CHEMPROT_CLASSES), ...rows.map((r) => r.label)]);
  return [...labels].map((label) => ({ label, words: relationWords(label) }));
}

/** Rows as the one JSON string the panel message carries (cheap to post, see JsonText). */
export function jsonText<T>(value: T): JsonText<T> {
  return JSON.stringify(value) as JsonText<T>;
}
