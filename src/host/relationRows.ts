// Owns how a relation reads to a person (ChemProt class in words) and the rows the relations panel shows (no 'vscode').
import { CHEMPROT_CLASSES } from '../core/tasks/relations';
import type { Relation } from '../core/types';
import type { RelationClass, RelationRow } from '../shared/webviewProtocol';
import { segmentText } from './segments';

/** "CPR:4" -> "inhibits / downregulates"; classes a model adds beyond ChemProt read as their label. */
export function relationWords(label: string): string {
  return CHEMPROT_CLASSES[label] ?? label.replace(/_/g, ' ');
}

/** One row per relation, best first; the evidence sentence comes from `text` with both mentions marked. */
export function relationRows(text: string, relations: readonly Relation[]): RelationRow[] {
  return [...relations]
    .sort((a, b) => b.score - a.score)
    .map((r) => ({
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
