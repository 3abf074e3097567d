// Owns curated BioC JSON: a BioC collection whose annotation and relation infons carry the review status, score and
// model, so a curation survives in BioC as it does in brat (the option `biom.curation.format: "bioc-json"`).
import { writeBiocJson } from './bioc';
import { readIdColumn } from './pubtator';
import { assembleBiocDocument } from './biocXml';
import type { AnnotatedDocument } from './document';
import { OffsetMap } from '../text/offsets';
import type { Entity } from '../types';
import {
  CURATION_STATUSES,
  type AnnProblem,
  type CuratedEntity,
  type CuratedRelation,
  type CurationState,
  type CurationStatus,
} from '../curation/types';

interface JsonAnnotation {
  id?: unknown;
  infons?: Record<string, unknown>;
  text?: unknown;
  locations?: { offset?: unknown; length?: unknown }[];
}
interface JsonRelation {
  id?: unknown;
  infons?: Record<string, unknown>;
  nodes?: { refid?: unknown; role?: unknown }[];
}

/** One document of a curated collection; `id` names it (the text file's name without extension). */
/** A curated entity as the engine's entity, for the format writers (an added entity has no model score: 1). */
export function curatedAsEntity(e: CuratedEntity): Entity {
  return { label: e.label, score: e.score ?? 1, start: e.start, end: e.end, text: e.text, ...(e.ids ? { ids: e.ids } : {}) };
}

export function writeCuratedBiocJson(id: string, text: string, state: CurationState): string {
  return writeCuratedBiocCollection([{ id, text, state }]);
}

/** Several curated documents in one collection (export of a folder). */
export function writeCuratedBiocCollection(docs: readonly { id: string; text: string; state: CurationState }[]): string {
  const annotated: AnnotatedDocument[] = [];
  const kept: { entities: CuratedEntity[]; relations: CuratedRelation[] }[] = [];
  for (const { id, text, state } of docs) {
    const byId = new Map(state.entities.map((e) => [e.id, e]));
    const relations = state.relations.filter((r) => byId.has(r.chemical) && byId.has(r.gene));
    annotated.push({
      id,
      text,
      entities: state.entities.map(curatedAsEntity),
      relations: relations.map((r) => ({
        label: r.label,
        score: r.score ?? 1,
        chemical: curatedAsEntity(byId.get(r.chemical) as CuratedEntity),
        gene: curatedAsEntity(byId.get(r.gene) as CuratedEntity),
        sentence: { start: 0, end: text.length },
      })),
    });
    kept.push({ entities: state.entities, relations });
  }
  // The shared writer lays out passages and offsets; the curation infons and stable ids go on top of its output.
  const collection = JSON.parse(writeBiocJson(annotated)) as {
    documents: { passages: { annotations: JsonAnnotation[] }[]; relations: JsonRelation[] }[];
  };
  collection.documents.forEach((doc, d) => {
    const { entities, relations } = kept[d];
    for (const passage of doc.passages)
      for (const a of passage.annotations) {
        const e = entities[Number(String(a.id).slice(1)) - 1];
        a.id = e.id;
        a.infons = { ...a.infons, status: e.status, ...(e.model ? { model: e.model } : {}) };
        if (e.score === undefined) delete a.infons.score;
      }
    doc.relations.forEach((r, i) => {
      const x = relations[i];
      r.id = x.id;
      r.infons = { ...r.infons, status: x.status, ...(x.model ? { model: x.model } : {}) };
      if (x.score === undefined) delete r.infons.score;
      r.nodes = [
        { refid: x.chemical, role: 'Chemical' },
        { refid: x.gene, role: 'Gene' },
      ];
    });
  });
  return JSON.stringify(collection, null, 1) + '\n';
}

const STATUS_SET = new Set<string>(CURATION_STATUSES);

/**
 * Every document of a BioC JSON collection with its annotations and relations (offsets in code points of the
 * document's passages, as BioC counts them). Without a status infon a scored annotation is a suggestion and any other
 * was made by a person. Bad annotations are reported (line 0: JSON has no useful line) and skipped.
 */
export function readBiocJsonCurations(json: string): {
  documents: { id: string; text: string; passages: { type: string; start: number; end: number }[]; state: CurationState }[];
  problems: AnnProblem[];
} {
  const problems: AnnProblem[] = [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return { documents: [], problems: [{ line: 1, message: `not JSON: ${(e as Error).message}` }] };
  }
  const list = Array.isArray(value) ? value : (value as { documents?: unknown })?.documents;
  if (!Array.isArray(list)) return { documents: [], problems: [{ line: 1, message: 'a BioC JSON collection needs a "documents" array' }] };
  const documents = [];
  for (const [i, raw] of list.entries()) {
    const d = raw as { id?: unknown; passages?: unknown; relations?: unknown };
    const id = typeof d?.id === 'string' || typeof d?.id === 'number' ? String(d.id) : `document ${i + 1}`;
    const passages = Array.isArray(d?.passages)
      ? (d.passages as { infons?: { type?: unknown }; offset?: unknown; text?: unknown; annotations?: unknown; relations?: unknown }[])
      : [];
    const assembled = assembleBiocDocument(
      id,
      passages.map((p) => ({
        type: typeof p.infons?.type === 'string' ? p.infons.type : 'text',
        offset: Number(p.offset ?? 0),
        text: typeof p.text === 'string' ? p.text : '',
      })),
    );
    if (typeof assembled === 'string') {
      problems.push({ line: 0, message: `${id}: ${assembled}` });
      continue;
    }
    const text = assembled.text;
    const map = new OffsetMap(text);
    const entities: CuratedEntity[] = [];
    const relations: CuratedRelation[] = [];
    const meta = (infons: Record<string, unknown> | undefined) => {
      const score = Number(infons?.score);
      const status = typeof infons?.status === 'string' && STATUS_SET.has(infons.status) ? (infons.status as CurationStatus) : undefined;
      const model = typeof infons?.model === 'string' ? infons.model : undefined;
      const scored = Number.isFinite(score) && infons?.score !== undefined;
      return {
        status: status ?? (scored && model ? 'suggested' : 'added'),
        ...(scored ? { score } : {}),
        ...(model ? { model } : {}),
      };
    };
    for (const p of passages) {
      for (const a of (Array.isArray(p.annotations) ? p.annotations : []) as JsonAnnotation[]) {
        const aid = typeof a?.id === 'string' || typeof a?.id === 'number' ? String(a.id) : `T${entities.length + 1}`;
        const loc = a?.locations?.[0];
        const offset = Number(loc?.offset);
        const length = Number(loc?.length);
        if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length <= 0 || offset + length > map.codePointLength) {
          problems.push({ line: 0, message: `${id}: annotation ${aid} has no location inside the text` });
          continue;
        }
        const start = map.toUtf16(offset);
        const end = map.toUtf16(offset + length);
        const label = typeof a.infons?.type === 'string' ? a.infons.type : 'ENTITY';
        const ids = readIdColumn(typeof a.infons?.identifier === 'string' ? a.infons.identifier : undefined);
        const entity: CuratedEntity = {
          id: aid,
          label,
          start,
          end,
          text: text.slice(start, end),
          ...meta(a.infons),
          ...(ids.length > 0 ? { ids } : {}),
        };
        if (typeof a.text === 'string' && a.text !== entity.text) {
          problems.push({ line: 0, message: `${id}: annotation ${aid} reads "${a.text}" but the text there is "${entity.text}"` });
          entity.text = a.text;
          entity.mismatch = true;
        }
        entities.push(entity);
      }
    }
    const known = new Set(entities.map((e) => e.id));
    const allRelations = [
      ...(Array.isArray(d.relations) ? d.relations : []),
      ...passages.flatMap((p) => (Array.isArray(p.relations) ? p.relations : [])),
    ] as JsonRelation[];
    for (const r of allRelations) {
      const nodes = Array.isArray(r?.nodes) ? r.nodes : [];
      const role = (re: RegExp) => nodes.find((n) => typeof n.role === 'string' && re.test(n.role))?.refid;
      const chemical = String(role(/chem/i) ?? nodes[0]?.refid ?? '');
      const gene = String(role(/gene|protein/i) ?? nodes[1]?.refid ?? '');
      const rid = typeof r?.id === 'string' || typeof r?.id === 'number' ? String(r.id) : `R${relations.length + 1}`;
      if (!known.has(chemical) || !known.has(gene)) {
        problems.push({ line: 0, message: `${id}: relation ${rid} points at a missing annotation` });
        continue;
      }
      const label =
        typeof r.infons?.type === 'string' ? r.infons.type : typeof r.infons?.relation === 'string' ? r.infons.relation : 'RELATION';
      relations.push({ id: rid, label, chemical, gene, ...meta(r.infons) });
    }
    documents.push({ id, text, passages: assembled.passages ?? [], state: { entities, relations } });
  }
  return { documents, problems };
}

/** The curation of one document kept as BioC JSON, checked against the document's text (mismatches flagged, not moved). */
export function readCuratedBiocJson(text: string, json: string): { state: CurationState; problems: AnnProblem[] } {
  const { documents, problems } = readBiocJsonCurations(json);
  const doc = documents[0];
  if (!doc) return { state: { entities: [], relations: [] }, problems };
  const entities = doc.state.entities.map((e) => {
    if (e.mismatch || text.slice(e.start, e.end) === e.text) return e;
    problems.push({
      line: 0,
      message: `${e.id} reads "${e.text}" but the text there is "${text.slice(e.start, e.end)}": flagged, not moved`,
    });
    return { ...e, mismatch: true };
  });
  return { state: { entities, relations: doc.state.relations }, problems };
}
