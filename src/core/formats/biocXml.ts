// Owns BioC XML (BioC.dtd: collection > document > id, passage > infon, offset, text, annotation): reading passages
// into documents, writing annotated documents back, and assembling a document from passages (shared with BioC JSON).
import type { AnnotatedDocument } from './document';
import type { CorpusRecord, RecordLocation } from './corpusRecord';
import { equals, type XmlRecordFormat } from './xmlRecords';
import { OffsetMap } from '../text/offsets';
import { coveringPassages, idInfons } from './bioc';

export const BIOC_ROOT = 'collection';

export interface BiocPassageInput {
  type: string;
  /** Code points from the start of the document (the PubTator/BioC convention). */
  offset: number;
  text: string;
}

/**
 * One document from its passages: each passage's text placed at its offset (gaps filled with spaces), so entity
 * offsets written later are offsets into the original BioC document. Passages must not overlap.
 */
export function assembleBiocDocument(id: string, passages: readonly BiocPassageInput[]): AnnotatedDocument | string {
  let text = '';
  let codePoints = 0;
  const spans: { type: string; start: number; end: number }[] = [];
  for (const p of passages) {
    if (!Number.isInteger(p.offset) || p.offset < codePoints)
      return `passage at offset ${p.offset} overlaps the text before it (which ends at ${codePoints})`;
    text += ' '.repeat(p.offset - codePoints);
    codePoints = p.offset;
    const start = text.length;
    text += p.text;
    codePoints += [...p.text].length;
    spans.push({ type: p.type, start, end: text.length });
  }
  return { id, text, passages: spans, entities: [] };
}

interface BiocDraft {
  id?: string;
  idText?: string;
  passages: { type: string; offset?: string; text: string; infonKey?: string; infonText?: string }[];
  chars: number;
  tooLarge: boolean;
}

export function biocXmlFormat(maxChars: number): XmlRecordFormat<BiocDraft> {
  const passage = (d: BiocDraft) => d.passages[d.passages.length - 1];
  return {
    recordElements: ['document'],
    begin: () => ({ passages: [], chars: 0, tooLarge: false }),
    open(draft, rel, attributes) {
      if (equals(rel, ['id'])) draft.idText = '';
      else if (equals(rel, ['passage'])) draft.passages.push({ type: '', text: '' });
      else if (equals(rel, ['passage', 'infon'])) Object.assign(passage(draft), { infonKey: attributes.key, infonText: '' });
      else if (equals(rel, ['passage', 'offset'])) passage(draft).offset = '';
    },
    text(draft, rel, text) {
      if (equals(rel, ['id']) && draft.idText !== undefined) draft.idText += text;
      else if (draft.passages.length === 0) return;
      else if (equals(rel, ['passage', 'infon'])) passage(draft).infonText += text;
      else if (equals(rel, ['passage', 'offset'])) passage(draft).offset += text;
      else if (equals(rel, ['passage', 'text'])) {
        draft.chars += text.length;
        if (draft.chars > maxChars) draft.tooLarge = true;
        else passage(draft).text += text;
      }
    },
    close(draft, rel) {
      if (equals(rel, ['id'])) draft.id ??= draft.idText?.trim();
      else if (equals(rel, ['passage', 'infon'])) {
        const p = passage(draft);
        if (p.infonKey === 'type') p.type = p.infonText!.trim();
      }
    },
    idOf: (draft) => draft.id || undefined,
    finish(draft, location: RecordLocation): CorpusRecord {
      if (!draft.id) return { kind: 'skipped', reason: 'no-id', message: '<document> has no <id>', location };
      if (draft.tooLarge) return { kind: 'skipped', reason: 'too-large', message: `passage text exceeds ${maxChars} characters`, location };
      const passages: BiocPassageInput[] = [];
      for (const p of draft.passages) {
        const offset = Number((p.offset ?? '0').trim());
        if (!Number.isInteger(offset))
          return {
            kind: 'skipped',
            reason: 'malformed',
            message: `passage <offset> ${JSON.stringify(p.offset)} is not a number`,
            location,
          };
        passages.push({ type: p.type || 'text', offset, text: p.text });
      }
      const document = assembleBiocDocument(draft.id, passages);
      if (typeof document === 'string') return { kind: 'skipped', reason: 'malformed', message: document, location };
      if (document.text.trim() === '')
        return { kind: 'skipped', reason: 'no-abstract', message: 'the document has no passage text', location };
      return { kind: 'document', document, location };
    },
  };
}

const escapeXml = (s: string): string =>
  s
    .replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'))
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ' ');

/**
 * A BioC XML collection of annotated documents (offsets in code points, as in the JSON writer). `date` is a parameter
 * so that the same input gives the same bytes.
 */
export function writeBiocXml(docs: readonly AnnotatedDocument[], date: string, source = 'BioM Annotator'): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE collection SYSTEM "BioC.dtd">',
    `<collection><source>${escapeXml(source)}</source><date>${escapeXml(date)}</date><key>biom-annotator.key</key>`,
  ];
  for (const doc of docs) out.push(documentXml(doc));
  out.push('</collection>', '');
  return out.join('\n');
}

/** One `<document>` element (also used to stream a collection one document at a time). */
export function documentXml(doc: AnnotatedDocument): string {
  const map = new OffsetMap(doc.text);
  const ids = new Map<string, string>();
  doc.entities.forEach((e, i) => ids.set(`${e.start}:${e.end}`, `T${i + 1}`));
  const passages = coveringPassages(doc);
  const parts: string[] = [`<document><id>${escapeXml(doc.id)}</id>`];
  passages.forEach((p, i) => {
    const end = i + 1 < passages.length ? passages[i + 1].start : doc.text.length;
    parts.push(
      `<passage><infon key="type">${escapeXml(p.type)}</infon><offset>${map.toCodePoint(p.start)}</offset><text>${escapeXml(doc.text.slice(p.start, p.end))}</text>`,
    );
    doc.entities.forEach((e, k) => {
      if (!(e.start >= p.start && e.start < Math.max(end, p.start + 1))) return;
      const offset = map.toCodePoint(e.start);
      parts.push(
        `<annotation id="T${k + 1}"><infon key="type">${escapeXml(e.label)}</infon><infon key="score">${e.score.toFixed(4)}</infon>` +
          Object.entries(idInfons(e))
            .map(([key, value]) => `<infon key="${escapeXml(key)}">${escapeXml(value)}</infon>`)
            .join('') +
          `<location offset="${offset}" length="${map.toCodePoint(e.end) - offset}"/><text>${escapeXml(e.text)}</text></annotation>`,
      );
    });
    parts.push('</passage>');
  });
  (doc.relations ?? []).forEach((r, i) => {
    const chemical = ids.get(`${r.chemical.start}:${r.chemical.end}`);
    const gene = ids.get(`${r.gene.start}:${r.gene.end}`);
    if (!chemical || !gene) return;
    parts.push(
      `<relation id="R${i + 1}"><infon key="type">${escapeXml(r.label)}</infon><infon key="score">${r.score.toFixed(4)}</infon>` +
        `<node refid="${chemical}" role="Chemical"/><node refid="${gene}" role="Gene"/></relation>`,
    );
  });
  parts.push('</document>');
  return parts.join('');
}
