// Owns the annotated document that every format reader and writer speaks (UTF-16 offsets inside, like the engine).
import type { Entity, Relation } from '../types';

export interface AnnotatedDocument {
  /** PMID, file name or another stable id. */
  id: string;
  text: string;
  /** Title/abstract or other sections as spans of `text`; one passage covering the text when absent. */
  passages?: { type: string; start: number; end: number }[];
  entities: Entity[];
  relations?: Relation[];
}

/** Splits "title + ' ' + abstract" the way ChemProt and PubTator build document text. */
export function titleAndAbstract(doc: AnnotatedDocument): { title: string; abstract: string; abstractStart: number } {
  const title = doc.passages?.find((p) => p.type === 'title');
  if (title) {
    const abstractStart = Math.min(doc.text.length, title.end + 1);
    return { title: doc.text.slice(title.start, title.end), abstract: doc.text.slice(abstractStart), abstractStart };
  }
  const newline = doc.text.search(/\r?\n/);
  if (newline < 0) return { title: doc.text, abstract: '', abstractStart: doc.text.length };
  const abstractStart = doc.text.indexOf('\n', newline) + 1;
  return { title: doc.text.slice(0, newline), abstract: doc.text.slice(abstractStart), abstractStart };
}

/** One-line text for line-based formats: tabs and line breaks become spaces, so offsets stay the same. */
export function oneLine(text: string): string {
  return text.replace(/[\t\r\n]/g, ' ');
}
