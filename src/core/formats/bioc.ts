// Owns BioC JSON (the PubTator3/BioC-JSON layout): collection -> documents -> passages -> annotations/relations.
import type { AnnotatedDocument } from './document';
import { OffsetMap } from '../text/offsets';
import { pubtatorIdColumn } from './pubtator';
import type { Entity } from '../types';

/** PubTator3's BioC infons for a linked mention: "identifier" (MESH:D…, or the NCBI Gene number), plus the HGNC id and name. */
export function idInfons(e: Entity): Record<string, string> {
  if (!e.ids || e.ids.length === 0) return {};
  const infons: Record<string, string> = { identifier: pubtatorIdColumn(e.ids), identifier_score: e.ids[0].score.toFixed(4) };
  const hgnc = e.ids.filter((x) => x.id.startsWith('HGNC:')).map((x) => x.id);
  if (hgnc.length > 0) infons.hgnc = hgnc.join(';');
  if (e.ids[0].name) infons.name = e.ids[0].name;
  return infons;
}

interface BiocAnnotation {
  id: string;
  infons: Record<string, string>;
  text: string;
  locations: { offset: number; length: number }[];
}

/** A BioC collection; offsets and lengths are code points (the BioC convention of the PubTator services). */
export function writeBiocJson(docs: readonly AnnotatedDocument[], source = 'BioM Annotator'): string {
  const date = new Date().toISOString().slice(0, 10);
  const documents = docs.map((doc) => {
    const map = new OffsetMap(doc.text);
    const passages = coveringPassages(doc).map((p, i, all) => {
      // Annotations belong to the passage they start in; the last passage takes what follows.
      const end = i + 1 < all.length ? all[i + 1].start : doc.text.length;
      const inside = doc.entities.filter((e) => e.start >= p.start && e.start < Math.max(end, p.start + 1));
      return {
        infons: { type: p.type },
        offset: map.toCodePoint(p.start),
        text: doc.text.slice(p.start, p.end),
        annotations: inside.map((e): BiocAnnotation => {
          const offset = map.toCodePoint(e.start);
          return {
            id: `T${doc.entities.indexOf(e) + 1}`,
            infons: { type: e.label, score: e.score.toFixed(4), ...idInfons(e) },
            text: e.text,
            locations: [{ offset, length: map.toCodePoint(e.end) - offset }],
          };
        }),
        relations: [],
      };
    });
    const relations = (doc.relations ?? []).map((r, i) => ({
      id: `R${i + 1}`,
      infons: { type: r.label, score: r.score.toFixed(4) },
      nodes: [
        { refid: `T${doc.entities.findIndex((e) => e.start === r.chemical.start && e.end === r.chemical.end) + 1}`, role: 'Chemical' },
        { refid: `T${doc.entities.findIndex((e) => e.start === r.gene.start && e.end === r.gene.end) + 1}`, role: 'Gene' },
      ],
    }));
    return { id: doc.id, infons: {}, passages, relations };
  });
  return JSON.stringify({ source, date, key: 'biom-annotator.key', infons: {}, documents }, null, 1) + '\n';
}

/**
 * Passages that cover all of the document's text: a reader may list only some (PubTator's gives the title), and text
 * outside every passage would otherwise vanish from BioC output. A gap with text becomes an "abstract" passage after
 * a title, else a "text" one.
 */
export function coveringPassages(doc: AnnotatedDocument): { type: string; start: number; end: number }[] {
  const listed = [...(doc.passages ?? [])].sort((a, b) => a.start - b.start);
  const out: { type: string; start: number; end: number }[] = [];
  let at = 0;
  const gap = (to: number): void => {
    const text = doc.text.slice(at, to);
    const lead = text.length - text.trimStart().length;
    const trail = text.length - text.trimEnd().length;
    if (text.trim() !== '')
      out.push({ type: out[out.length - 1]?.type === 'title' ? 'abstract' : 'text', start: at + lead, end: to - trail });
  };
  for (const p of listed) {
    if (p.start > at) gap(p.start);
    out.push(p);
    at = Math.max(at, p.end);
  }
  gap(doc.text.length);
  // BioC.dtd requires at least one passage per document, also for an empty one.
  if (out.length === 0) out.push({ type: 'text', start: 0, end: doc.text.length });
  return out;
}
