// Owns moving curations in and out: pre-annotations from PubTator, BioC JSON/XML or brat become suggestions to curate,
// curated folders are found and read, and a curation is exported to PubTator, BioC JSON, brat or CoNLL.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { readPubtator } from '../formats/pubtator';
import { curatedAsEntity, readBiocJsonCurations, writeCuratedBiocCollection } from '../formats/curatedBioc';
import { writeCuratedAnn } from '../formats/bratAnn';
import { XmlTokenizer } from '../formats/xmlTokenizer';
import { writePubtator } from '../formats/pubtator';
import { writeConll } from '../formats/conll';
import type { AnnotatedDocument } from '../formats/document';
import { writeFileAtomic, FileExistsError } from '../io/atomicWrite';
import { InputError } from '../errors';
import { OffsetMap } from '../text/offsets';
import type { Entity } from '../types';
import { curationCodec, curationPathFor, type CurationFormat } from './codec';
import { CURATION_STATUSES, type AnnProblem, type CuratedEntity, type CurationState, type CurationStatus } from './types';

/** One document with its curation; `passages` only when the source had them (PubTator, BioC). */
export interface CurationRecord {
  id: string;
  text: string;
  state: CurationState;
  passages?: { type: string; start: number; end: number }[];
  /** Where it was read from (the text file for brat pairs). */
  path?: string;
}

/** A problem in a file, for "file:line: message". */
export interface FileProblem extends AnnProblem {
  file: string;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.biom']);

/** Text files with a curation beside them in `dir` and its subfolders (conflict copies and temp files left out). */
export function findCuratedDocuments(dir: string, format: CurationFormat = 'brat'): { textPath: string; annPath: string }[] {
  const ext = curationCodec(format).extension;
  const out: { textPath: string; annPath: string }[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (name.startsWith('.')) continue;
      const stat = statSync(path);
      if (stat.isDirectory()) {
        if (!SKIP_DIRS.has(name)) walk(path);
        continue;
      }
      if (!name.endsWith(ext) || name.endsWith(`.conflict${ext}`)) continue;
      const stem = path.slice(0, -ext.length);
      const textPath = existsSync(`${stem}.txt`) ? `${stem}.txt` : existsSync(stem) && statSync(stem).isFile() ? stem : undefined;
      if (textPath && curationPathFor(textPath, format) === path) out.push({ textPath, annPath: path });
    }
  };
  walk(dir);
  return out;
}

/** A document's text and curation from disk; a text file without a curation has an empty one. */
export function readCuratedDocument(textPath: string, format: CurationFormat = 'brat'): CurationRecord & { problems: FileProblem[] } {
  const text = readFileSync(textPath, 'utf8');
  const annPath = curationPathFor(textPath, format);
  const id = basename(textPath, extname(textPath) === '.txt' ? '.txt' : '');
  if (!existsSync(annPath)) return { id, text, state: { entities: [], relations: [] }, path: textPath, problems: [] };
  const { state, problems } = curationCodec(format).read(text, readFileSync(annPath, 'utf8'));
  return { id, text, state, path: textPath, problems: problems.map((p) => ({ ...p, file: annPath })) };
}

/**
 * Annotated documents from one file or folder, whatever the format: brat (`.ann` with its `.txt`, or a `.txt` with an
 * `.ann` beside it), BioC JSON (`.json`), BioC XML (`.xml`) or PubTator (`.pubtator`, or any file starting "ID|t|").
 * Statuses are as the file says (a file without them: decided by a person).
 */
export function readAnnotatedPath(path: string): { documents: CurationRecord[]; problems: FileProblem[] } {
  if (statSync(path).isDirectory()) {
    const documents: CurationRecord[] = [];
    const problems: FileProblem[] = [];
    for (const name of readdirSync(path).sort()) {
      const child = join(path, name);
      if (name.startsWith('.') || statSync(child).isDirectory()) continue;
      // A .txt is read through its .ann; a .txt without one is not an annotated document.
      if (name.endsWith('.txt') && !existsSync(curationPathFor(child))) continue;
      if (name.endsWith('.ann') && (name.endsWith('.conflict.ann') || existsSync(child.replace(/\.ann$/, '.txt')))) continue;
      if (!/\.(ann|txt|json|xml|pubtator)$/i.test(name)) continue;
      const one = readAnnotatedPath(child);
      documents.push(...one.documents);
      problems.push(...one.problems);
    }
    return { documents, problems };
  }
  const content = readFileSync(path, 'utf8');
  const lower = path.toLowerCase();
  if (lower.endsWith('.ann') || lower.endsWith('.txt')) {
    const textPath = lower.endsWith('.ann')
      ? existsSync(path.replace(/\.ann$/i, '.txt'))
        ? path.replace(/\.ann$/i, '.txt')
        : path.slice(0, -4)
      : path;
    if (!existsSync(textPath)) throw new InputError(`${path}: brat needs the text beside it (${basename(textPath)} not found)`);
    const doc = readCuratedDocument(textPath, 'brat');
    return { documents: [{ id: doc.id, text: doc.text, state: doc.state, path: textPath }], problems: doc.problems };
  }
  const asProblems = (problems: AnnProblem[]): FileProblem[] => problems.map((p) => ({ ...p, file: path }));
  if (lower.endsWith('.json')) {
    const { documents, problems } = readBiocJsonCurations(content);
    return { documents: documents.map((d) => ({ ...d, path })), problems: asProblems(problems) };
  }
  if (lower.endsWith('.xml')) {
    const { documents, problems } = readBiocJsonCurations(JSON.stringify(biocXmlAsJson(content)));
    return { documents: documents.map((d) => ({ ...d, path })), problems: asProblems(problems) };
  }
  if (lower.endsWith('.pubtator') || /^[^|\t\n]+\|t\|/.test(content)) {
    const documents = readPubtator(content).map((doc): CurationRecord => ({ ...fromAnnotated(doc), path }));
    return { documents: withPubtatorRelations(documents, content), problems: [] };
  }
  throw new InputError(`${path}: not an annotated file (brat .ann, BioC .json/.xml or PubTator)`);
}

/**
 * Relation lines as BioM writes them, "PMID<TAB>CPR:4<TAB>start-end<TAB>start-end" (mention spans in code points), which
 * the PubTator reader leaves out; lines naming database ids instead of spans cannot be placed and are skipped.
 */
function withPubtatorRelations(documents: CurationRecord[], content: string): CurationRecord[] {
  const byId = new Map(documents.map((d) => [d.id, d]));
  for (const line of content.split('\n')) {
    const f = line.replace(/\r$/, '').split('\t');
    if (f.length !== 4 || !/^\d+-\d+$/.test(f[2]) || !/^\d+-\d+$/.test(f[3])) continue;
    const doc = byId.get(f[0]);
    if (!doc) continue;
    const map = new OffsetMap(doc.text);
    const find = (span: string): string | undefined => {
      const [s, e] = span.split('-').map(Number);
      if (e > map.codePointLength) return undefined;
      const start = map.toUtf16(s);
      const end = map.toUtf16(e);
      return doc.state.entities.find((x) => x.start === start && x.end === end)?.id;
    };
    const chemical = find(f[2]);
    const gene = find(f[3]);
    if (chemical && gene)
      doc.state.relations.push({ id: `R${doc.state.relations.length + 1}`, label: f[1], chemical, gene, status: 'added' });
  }
  return documents;
}

/** A document from one of the existing readers (entities by span; PubTator relations carry mention spans). */
function fromAnnotated(doc: AnnotatedDocument): CurationRecord {
  const entities: CuratedEntity[] = doc.entities.map((e, i) => ({
    id: `T${i + 1}`,
    label: e.label,
    start: e.start,
    end: e.end,
    text: e.text,
    status: 'added',
    ...(e.ids && e.ids.length > 0 ? { ids: e.ids } : {}),
  }));
  const bySpan = new Map(entities.map((e) => [`${e.start}:${e.end}`, e.id]));
  const relations = (doc.relations ?? []).flatMap((r, i) => {
    const chemical = bySpan.get(`${r.chemical.start}:${r.chemical.end}`);
    const gene = bySpan.get(`${r.gene.start}:${r.gene.end}`);
    return chemical && gene ? [{ id: `R${i + 1}`, label: r.label, chemical, gene, status: 'added' as CurationStatus }] : [];
  });
  return { id: doc.id, text: doc.text, passages: doc.passages, state: { entities, relations } };
}

/** BioC XML as the JSON layout (documents, passages, annotations, relations) so one reader handles both. */
function biocXmlAsJson(xml: string): unknown {
  const tokenizer = new XmlTokenizer();
  const tokens = [...tokenizer.write(Buffer.from(xml, 'utf8')), ...tokenizer.end()];
  type Node = { infons: Record<string, string>; [key: string]: unknown };
  const documents: Node[] = [];
  const stack: string[] = [];
  let doc: Node | undefined;
  let passage: Node | undefined;
  let item: Node | undefined;
  let infonKey: string | undefined;
  let text = '';
  for (const t of tokens) {
    if (t.kind === 'open') {
      stack.push(t.name);
      text = '';
      if (t.name === 'document') documents.push((doc = { infons: {}, id: '', passages: [], relations: [] }));
      else if (t.name === 'passage' && doc)
        (doc.passages as Node[]).push((passage = { infons: {}, offset: 0, text: '', annotations: [], relations: [] }));
      else if (t.name === 'annotation' && passage)
        (passage.annotations as Node[]).push((item = { infons: {}, id: t.attributes.id, locations: [] }));
      else if (t.name === 'relation') {
        item = { infons: {}, id: t.attributes.id, nodes: [] };
        ((passage ?? doc)?.relations as Node[] | undefined)?.push(item);
      } else if (t.name === 'location' && item)
        (item.locations as unknown[]).push({ offset: Number(t.attributes.offset), length: Number(t.attributes.length) });
      else if (t.name === 'node' && item) (item.nodes as unknown[]).push({ refid: t.attributes.refid, role: t.attributes.role });
      else if (t.name === 'infon') infonKey = t.attributes.key;
      // The tokenizer closes a self-closing element with its own close token.
    } else if (t.kind === 'text') text += t.text;
    else if (t.kind === 'close') {
      const parent = stack[stack.length - 2];
      if (t.name === 'infon' && infonKey !== undefined) {
        const owner = parent === 'annotation' || parent === 'relation' ? item : parent === 'passage' ? passage : doc;
        if (owner) owner.infons[infonKey] = text;
        infonKey = undefined;
      } else if (t.name === 'id' && parent === 'document' && doc) doc.id = text.trim();
      else if (t.name === 'offset' && parent === 'passage' && passage) passage.offset = Number(text.trim());
      else if (t.name === 'text' && parent === 'passage' && passage) passage.text = text;
      else if (t.name === 'text' && parent === 'annotation' && item) item.text = text;
      else if (t.name === 'passage') passage = undefined;
      else if (t.name === 'annotation' || t.name === 'relation') item = undefined;
      stack.pop();
    }
  }
  return { documents };
}

export interface CurationSummary {
  documents: number;
  entities: number;
  relations: number;
  byStatus: Record<CurationStatus, number>;
  /** Files written (export or import). */
  files: string[];
  /** Documents not imported because their files exist already. */
  skipped?: string[];
}

function summarize(docs: readonly CurationRecord[], files: string[]): CurationSummary {
  const byStatus = Object.fromEntries(CURATION_STATUSES.map((s) => [s, 0])) as Record<CurationStatus, number>;
  let entities = 0;
  let relations = 0;
  for (const d of docs) {
    for (const e of d.state.entities) byStatus[e.status]++;
    entities += d.state.entities.length;
    relations += d.state.relations.length;
  }
  return { documents: docs.length, entities, relations, byStatus, files };
}

/**
 * The state with brat-valid ids: BioC annotation ids ("1", "A12") become T/R ids; ids that already are brat ids stay,
 * so notes and relations of a brat source keep pointing where they did.
 */
export function withBratIds(state: CurationState): CurationState {
  const valid = (id: string, p: string): boolean => new RegExp(`^${p}\\d+$`).test(id);
  if (state.entities.every((e) => valid(e.id, 'T')) && state.relations.every((r) => valid(r.id, 'R'))) return state;
  const used = new Set([...state.entities.map((e) => e.id), ...state.relations.map((r) => r.id)]);
  const fresh = (p: string): string => {
    let n = 1;
    while (used.has(`${p}${n}`)) n++;
    used.add(`${p}${n}`);
    return `${p}${n}`;
  };
  const ids = new Map<string, string>();
  const entities = state.entities.map((e) => {
    const id = valid(e.id, 'T') ? e.id : fresh('T');
    ids.set(e.id, id);
    return { ...e, id };
  });
  const relations = state.relations.map((r) => ({
    ...r,
    id: valid(r.id, 'R') ? r.id : fresh('R'),
    chemical: ids.get(r.chemical) ?? r.chemical,
    gene: ids.get(r.gene) ?? r.gene,
  }));
  return { ...state, entities, relations };
}

/** A document id safe as a file name (PMIDs, file stems). */
const fileStem = (id: string): string => id.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^\.+/, '_') || 'document';

/**
 * Pre-annotations to curate: every document of `input` (file or folder) becomes `<id>.txt` + `<id>.ann` in `outDir`,
 * each mention a suggestion (ids and scores kept; the source file named as its model). Existing files are never
 * replaced: such a document is skipped and listed.
 */
export function importPreannotations(input: string, outDir: string): CurationSummary & { problems: FileProblem[] } {
  const { documents, problems } = readAnnotatedPath(input);
  const source = basename(input);
  const written: CurationRecord[] = [];
  const files: string[] = [];
  const skipped: string[] = [];
  for (const doc of documents) {
    const stem = join(outDir, fileStem(doc.id));
    const bratState = withBratIds(doc.state);
    const state: CurationState = {
      ...bratState,
      entities: bratState.entities.map((e) => ({ ...e, status: 'suggested', score: e.score ?? 1, model: e.model ?? source })),
      relations: bratState.relations.map((r) => ({ ...r, status: 'suggested', score: r.score ?? 1, model: r.model ?? source })),
    };
    try {
      writeFileAtomic(`${stem}.txt`, doc.text);
    } catch (e) {
      if (!(e instanceof FileExistsError)) throw e;
      skipped.push(`${stem}.txt`);
      continue;
    }
    files.push(`${stem}.txt`);
    try {
      writeFileAtomic(`${stem}.ann`, writeCuratedAnn(doc.text, state));
      files.push(`${stem}.ann`);
    } catch (e) {
      if (!(e instanceof FileExistsError)) throw e;
      skipped.push(`${stem}.ann`);
    }
    written.push({ ...doc, state });
  }
  return { ...summarize(written, files), ...(skipped.length > 0 ? { skipped } : {}), problems };
}

export type ExportFormat = 'pubtator' | 'bioc-json' | 'brat' | 'conll';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['pubtator', 'bioc-json', 'brat', 'conll'];

/** decided: accepted + added (the gold a curator made); all: every annotation with its status (brat and BioC only). */
export type ExportScope = 'decided' | 'all';

/** The part of a curation an export writes. */
export function exportedState(state: CurationState, scope: ExportScope): CurationState {
  if (scope === 'all') return { entities: state.entities, relations: state.relations };
  const keep = (s: CurationStatus): boolean => s === 'accepted' || s === 'added';
  const entities = state.entities.filter((e) => keep(e.status));
  const ids = new Set(entities.map((e) => e.id));
  return { entities, relations: state.relations.filter((r) => keep(r.status) && ids.has(r.chemical) && ids.has(r.gene)) };
}

/** A curation as the engine's annotated document (for the PubTator and CoNLL writers). */
export function toAnnotatedDocument(record: CurationRecord): AnnotatedDocument {
  const byId = new Map(record.state.entities.map((e) => [e.id, e]));
  return {
    id: record.id,
    text: record.text,
    ...(record.passages ? { passages: record.passages } : {}),
    entities: record.state.entities.map(curatedAsEntity),
    relations: record.state.relations.flatMap((r) => {
      const c = byId.get(r.chemical);
      const g = byId.get(r.gene);
      return c && g
        ? [
            {
              label: r.label,
              score: r.score ?? 1,
              chemical: curatedAsEntity(c),
              gene: curatedAsEntity(g),
              sentence: { start: 0, end: record.text.length },
            },
          ]
        : [];
    }),
  };
}

/**
 * Writes curated documents to `out`: a folder of `.txt` + `.ann` pairs for brat, one file for the others. Existing
 * files are replaced only with `overwrite`. PubTator and CoNLL have no place for a status, so they export decisions only.
 */
export function exportCuration(
  records: readonly CurationRecord[],
  format: ExportFormat,
  out: string,
  options: { scope?: ExportScope; overwrite?: boolean } = {},
): CurationSummary {
  const scope = options.scope ?? 'decided';
  if (scope === 'all' && (format === 'pubtator' || format === 'conll'))
    throw new InputError(`${format} cannot keep a review status: export accepted and added only, or choose brat or bioc-json`);
  const docs = records.map((r) => ({ ...r, state: exportedState(r.state, scope) }));
  const write = (path: string, content: string): void => writeFileAtomic(path, content, { overwrite: options.overwrite });
  const files: string[] = [];
  if (format === 'brat') {
    const used = new Set<string>();
    for (const doc of docs) {
      let stem = fileStem(doc.id);
      for (let n = 2; used.has(stem); n++) stem = `${fileStem(doc.id)}_${n}`;
      used.add(stem);
      write(join(out, `${stem}.txt`), doc.text);
      write(join(out, `${stem}.ann`), writeCuratedAnn(doc.text, withBratIds(doc.state)));
      files.push(join(out, `${stem}.txt`), join(out, `${stem}.ann`));
    }
  } else {
    const content =
      format === 'bioc-json'
        ? writeCuratedBiocCollection(docs)
        : format === 'pubtator'
          ? writePubtator(docs.map(toAnnotatedDocument))
          : writeConll(docs.map(toAnnotatedDocument));
    write(out, content);
    files.push(out);
  }
  return summarize(docs, files);
}

/** Every curated document under `dir` (problems of unreadable lines reported, the valid lines used). */
export function readCuratedFolder(dir: string, format: CurationFormat = 'brat'): { documents: CurationRecord[]; problems: FileProblem[] } {
  const documents: CurationRecord[] = [];
  const problems: FileProblem[] = [];
  for (const { textPath } of findCuratedDocuments(dir, format)) {
    const doc = readCuratedDocument(textPath, format);
    problems.push(...doc.problems);
    const { problems: _, ...record } = doc;
    documents.push(record);
  }
  return { documents, problems };
}
