// Owns the PubTator format: "PMID|t|title", "PMID|a|abstract", then one tab-separated line per mention.
import type { AnnotatedDocument } from './document';
import { oneLine, titleAndAbstract } from './document';
import type { EntityId } from '../types';
import { InputError } from '../errors';
import { OffsetMap } from '../text/offsets';

/**
 * Writes documents as PubTator. Offsets are code points into title + " " + abstract (what PubTator and Python tools
 * count); relations follow as "PMID<TAB>CPR:n<TAB>chemical<TAB>gene" with mention offsets as ids.
 */
export function writePubtator(docs: readonly AnnotatedDocument[]): string {
  return docs.map(writeOne).join('\n');
}

function writeOne(doc: AnnotatedDocument): string {
  const { title, abstract, abstractStart } = titleAndAbstract(doc);
  // PubTator text is title + " " + abstract: re-base abstract offsets when the separator is not one character.
  const shift = title.length + 1 - abstractStart;
  const text = `${oneLine(title)} ${oneLine(abstract)}`;
  const map = new OffsetMap(text);
  const at = (utf16: number): number => map.toCodePoint(utf16 >= abstractStart ? utf16 + shift : utf16);
  const id = doc.id.replace(/[|\t\r\n]/g, '_');
  const lines = [`${id}|t|${oneLine(title)}`, `${id}|a|${oneLine(abstract)}`];
  for (const e of doc.entities) {
    const fields = [id, at(e.start), at(e.end), oneLine(e.text), e.label];
    const column = pubtatorIdColumn(e.ids);
    if (column) fields.push(column);
    lines.push(fields.join('\t'));
  }
  for (const r of doc.relations ?? []) {
    lines.push([id, r.label, `${at(r.chemical.start)}-${at(r.chemical.end)}`, `${at(r.gene.start)}-${at(r.gene.end)}`].join('\t'));
  }
  return lines.join('\n') + '\n';
}

/** Reads PubTator documents (text = title + " " + abstract); mention lines become entities with score 1. */
export function readPubtator(input: string): AnnotatedDocument[] {
  const docs: AnnotatedDocument[] = [];
  let current: { id: string; title?: string; abstract?: string; mentions: string[][] } | undefined;
  const flush = (): void => {
    if (!current) return;
    const title = current.title ?? '';
    const text = `${title} ${current.abstract ?? ''}`;
    const map = new OffsetMap(text);
    const entities = current.mentions
      .filter((m) => m.length >= 5 && /^\d+$/.test(m[1]) && /^\d+$/.test(m[2]))
      .map((m) => {
        const start = map.toUtf16(Math.min(Number(m[1]), map.codePointLength));
        const end = map.toUtf16(Math.min(Number(m[2]), map.codePointLength));
        const ids = readIdColumn(m[5]);
        return { label: m[4], score: 1, start, end, text: text.slice(start, end), ...(ids.length > 0 ? { ids } : {}) };
      });
    docs.push({ id: current.id, text, passages: [{ type: 'title', start: 0, end: title.length }], entities });
    current = undefined;
  };
  for (const [n, raw] of input.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      flush();
      continue;
    }
    const header = /^([^|\t]+)\|([ta])\|(.*)$/.exec(line);
    if (header) {
      if (current && current.id !== header[1]) flush();
      current ??= { id: header[1], mentions: [] };
      if (header[2] === 't') current.title = header[3];
      else current.abstract = header[3];
      continue;
    }
    const fields = line.split('\t');
    if (!current || fields[0] !== current.id)
      throw new InputError(`PubTator line ${n + 1}: expected "${current?.id ?? 'PMID'}|t|…" before annotations`);
    current.mentions.push(fields);
  }
  flush();
  return docs;
}

/**
 * The id column as PubTator writes it: MeSH as "MESH:D003915", NCBI Gene as the bare number; the other ids of a gene
 * (HGNC) are the same record and are left out. Several records (a composite mention) are joined with ";".
 */
export function pubtatorIdColumn(ids: readonly EntityId[] | undefined): string {
  if (!ids || ids.length === 0) return '';
  const out: string[] = [];
  for (const { id } of ids) {
    const value = id.startsWith('NCBIGene:') ? id.slice('NCBIGene:'.length) : id.startsWith('HGNC:') ? '' : id;
    if (value && !out.includes(value)) out.push(value.replace(/[\t;]/g, '_'));
  }
  return out.join(';');
}

/**
 * Ids of an annotated corpus's id column: "D016651", "MESH:D016651", "1956", "1956(Tax:9606)", lists joined by "|",
 * "," or ";". "-1" and "-" mean none. Read ids get score 1 and the prefixes this project writes.
 */
export function readIdColumn(column: string | undefined): EntityId[] {
  if (!column) return [];
  const ids: EntityId[] = [];
  for (const raw of column.split(/[|,;]/)) {
    const value = raw.replace(/\((?:tax|Tax):\d+\)/, '').trim();
    if (value === '' || value === '-' || value === '-1') continue;
    const id = /^[DC]\d+$/.test(value) ? `MESH:${value}` : /^\d+$/.test(value) ? `NCBIGene:${value}` : value.replace(/^mesh:/i, 'MESH:');
    if (!ids.some((x) => x.id === id)) ids.push({ id, score: 1 });
  }
  return ids;
}
