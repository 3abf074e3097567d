// Owns the curated brat standoff file (abstract.txt → abstract.ann): T/R lines for mentions and relations, A lines for
// the review status, # notes for score and model, N lines for database ids; every other tool's line kept verbatim.
import { OffsetMap } from '../text/offsets';
import type { EntityId } from '../types';
import {
  CURATION_STATUSES,
  type AnnProblem,
  type CuratedEntity,
  type CuratedRelation,
  type CurationState,
  type CurationStatus,
  type ForeignLine,
} from '../curation/types';

/** brat attribute name that carries the review status: `A1<TAB>Status T1 accepted`. */
export const STATUS_ATTRIBUTE = 'Status';

// Labels and model names repeat thousands of times per file: each is cleaned once per write.
const typeNames = new Map<string, string>();
const typeName = (label: string): string => {
  let name = typeNames.get(label);
  if (name === undefined) {
    name = label.replace(/\s/g, '_');
    if (typeNames.size < 1000) typeNames.set(label, name);
  }
  return name;
};
const field = (text: string): string => text.replace(/[\t\r\n]/g, ' ');
const idNumber = (id: string | undefined, prefix: string): number => {
  if (!id?.startsWith(prefix)) return 0;
  const n = Number(id.slice(prefix.length));
  return Number.isInteger(n) ? n : 0;
};

/** Code-point fragments of a mention, split at line breaks as brat requires (it cannot show a span across lines). */
function fragments(text: string, e: CuratedEntity, map: OffsetMap): { offsets: string; text: string } {
  if (e.mismatch || e.end > text.length)
    return {
      offsets: `${map.toCodePoint(Math.min(e.start, text.length))} ${map.toCodePoint(Math.min(e.end, text.length))}`,
      text: field(e.text),
    };
  const slice = text.slice(e.start, e.end);
  // The common case (no line break inside) without a regex: this runs for every mention on every save.
  if (!slice.includes('\n') && !slice.includes('\t'))
    return { offsets: `${map.toCodePoint(e.start)} ${map.toCodePoint(e.end)}`, text: slice.includes('\r') ? field(slice) : slice };
  const parts: [number, number][] = [];
  let from = e.start;
  for (const m of slice.matchAll(/(\r?\n)+/g)) {
    const to = e.start + m.index;
    if (to > from) parts.push([from, to]);
    from = to + m[0].length;
  }
  if (e.end > from) parts.push([from, e.end]);
  if (parts.length === 0) parts.push([e.start, e.end]);
  return {
    offsets: parts.map(([s, t]) => `${map.toCodePoint(s)} ${map.toCodePoint(t)}`).join(';'),
    text: field(parts.map(([s, t]) => text.slice(s, t)).join(' ')),
  };
}

const modelNotes = new Map<string, string>();
function modelNote(model: string): string {
  let note = modelNotes.get(model);
  if (note === undefined) {
    note = `model ${field(model).replace(/;/g, ',')}`;
    if (modelNotes.size < 1000) modelNotes.set(model, note);
  }
  return note;
}

/** Our note: "score 0.9700; model NAME; suggested TYPE [start end]" (the model's answer before a correction). */
function notes(
  x: { score?: number; model?: string; suggestion?: CuratedEntity['suggestion']; suggestedLabel?: string },
  map: OffsetMap,
): string | undefined {
  const parts: string[] = [];
  if (x.score !== undefined) parts.push(`score ${x.score.toFixed(4)}`);
  if (x.model) parts.push(modelNote(x.model));
  const s = x.suggestion;
  if (s && s.end <= map.text.length) parts.push(`suggested ${typeName(s.label)} ${map.toCodePoint(s.start)} ${map.toCodePoint(s.end)}`);
  if (x.suggestedLabel) parts.push(`suggested ${typeName(x.suggestedLabel)}`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * The .ann content for a curated document: offsets in code points of `text`. Rejected annotations are kept (with their
 * status) so a later model run does not suggest them again. Lines of other tools come back verbatim after ours (the
 * curation document drops those pointing at an annotation the curator deleted).
 */
export function writeCuratedAnn(text: string, state: CurationState): string {
  const map = new OffsetMap(text);
  const foreign = state.foreign ?? [];
  const counters = { A: 0, '#': 0, N: 0 };
  for (const f of foreign) for (const p of ['A', '#', 'N'] as const) counters[p] = Math.max(counters[p], idNumber(f.id, p));
  const lines: string[] = [];
  const meta: string[] = [];
  const known = new Set<string>();
  const describe = (id: string, x: Parameters<typeof notes>[0] & { status: CurationStatus }): void => {
    meta.push(`A${++counters.A}\t${STATUS_ATTRIBUTE} ${id} ${x.status}`);
    const note = notes(x, map);
    if (note) meta.push(`#${++counters['#']}\tAnnotatorNotes ${id}\t${note}`);
  };
  for (const e of state.entities) {
    const f = fragments(text, e, map);
    lines.push(`${e.id}\t${typeName(e.label)} ${f.offsets}\t${f.text}`);
    known.add(e.id);
    describe(e.id, e);
    for (const x of e.ids ?? []) meta.push(`N${++counters.N}\tReference ${e.id} ${x.id.replace(/\s/g, '_')}\t${field(x.name ?? e.text)}`);
  }
  for (const r of state.relations) {
    if (!known.has(r.chemical) || !known.has(r.gene)) continue;
    lines.push(`${r.id}\t${typeName(r.label)} Arg1:${r.chemical} Arg2:${r.gene}`);
    known.add(r.id);
    describe(r.id, r);
  }
  for (const line of meta) lines.push(line);
  for (const f of foreign) lines.push(f.line);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

const STATUS_SET = new Set<string>(CURATION_STATUSES);

/**
 * Reads a brat .ann against its text. Every valid line is loaded; each unusable one is reported with its line number
 * and kept verbatim (as a foreign line) so writing the file back loses nothing. A mention whose text does not match
 * the document is loaded flagged (`mismatch`), at its offsets, never moved.
 */
export function readCuratedAnn(text: string, ann: string): { state: CurationState; problems: AnnProblem[] } {
  const map = new OffsetMap(text);
  const problems: AnnProblem[] = [];
  const foreign: ForeignLine[] = [];
  const entities = new Map<string, CuratedEntity>();
  const relations = new Map<string, CuratedRelation>();
  const seen = new Set<string>();
  const rows = ann.split('\n').map((raw, i) => ({ line: raw.replace(/\r$/, ''), n: i + 1 }));
  const keep = (line: string, refs: string[] = [], id?: string): void => {
    foreign.push({ line, refs, ...(id ? { id } : {}) });
  };
  const bad = (row: { line: string; n: number }, message: string, id?: string): void => {
    problems.push({ line: row.n, message });
    keep(row.line, [], id);
  };
  const claimId = (row: { line: string; n: number }, id: string): boolean => {
    if (seen.has(id)) {
      bad(row, `duplicate id ${id}: this line is kept in the file but not used`, id);
      return false;
    }
    seen.add(id);
    return true;
  };
  const explicitStatus = new Set<string>();
  const later: { line: string; n: number }[] = [];
  // Pass 1: mentions, so relations and attributes can point at mentions written after them.
  for (const row of rows) {
    const { line } = row;
    if (line.trim() === '') continue;
    if (!line.startsWith('T')) {
      later.push(row);
      continue;
    }
    const m = /^(T\S*)\t(\S+) ([^\t]+)\t(.*)$/.exec(line);
    if (!m) {
      bad(row, 'not a brat mention line ("T1<TAB>Type start end<TAB>text")');
      continue;
    }
    const [, id, label, offsets, given] = m;
    const parts = offsets.split(';').map((p) => /^\s*(\d+) (\d+)\s*$/.exec(p));
    if (parts.some((p) => !p)) {
      bad(row, `offsets "${offsets}" are not "start end" pairs`, id);
      continue;
    }
    const cps = parts.map((p) => [Number(p?.[1]), Number(p?.[2])] as const);
    if (cps.some(([s, e]) => s > e)) {
      bad(row, `offsets "${offsets}" end before they start`, id);
      continue;
    }
    if (cps.some(([, e]) => e > map.codePointLength)) {
      bad(row, `offsets "${offsets}" are past the end of the text (${map.codePointLength} characters)`, id);
      continue;
    }
    if (!claimId(row, id)) continue;
    const spans = cps.map(([s, e]) => [map.toUtf16(s), map.toUtf16(e)] as const);
    const start = Math.min(...spans.map(([s]) => s));
    const end = Math.max(...spans.map(([, e]) => e));
    const actual = spans.map(([s, e]) => text.slice(s, e)).join(' ');
    const ordered = [...spans].sort((a, b) => a[0] - b[0]);
    const gapsAreSpace = ordered.every((s, i) => i === 0 || text.slice(ordered[i - 1][1], s[0]).trim() === '');
    if (!gapsAreSpace) {
      // A truly discontinuous mention ("left … ventricle") has no single span to show; brat and other tools keep it.
      problems.push({ line: row.n, message: `${id} is discontinuous: kept in the file but not shown` });
      keep(line, [], id);
      continue;
    }
    const entity: CuratedEntity = { id, label, start, end, text: text.slice(start, end), status: 'added' };
    if (field(actual) !== field(given) && actual !== given) {
      problems.push({ line: row.n, message: `${id} reads "${given}" but the text there is "${field(actual)}": flagged, not moved` });
      entity.text = given;
      entity.mismatch = true;
    }
    entities.set(id, entity);
  }
  // Pass 2: relations.
  const rest: { line: string; n: number }[] = [];
  for (const row of later) {
    if (!row.line.startsWith('R')) {
      rest.push(row);
      continue;
    }
    const m = /^(R\S*)\t(\S+) (\S+):(\S+) (\S+):(\S+)\s*$/.exec(row.line);
    if (!m) {
      bad(row, 'not a brat relation line ("R1<TAB>Type Arg1:T1 Arg2:T2")');
      continue;
    }
    const [, id, label, role1, a1, role2, a2] = m;
    if (!claimId(row, id)) continue;
    if (role1 !== 'Arg1' || role2 !== 'Arg2' || !entities.has(a1) || !entities.has(a2)) {
      if (!seen.has(a1) || !seen.has(a2)) problems.push({ line: row.n, message: `${id} points at a missing mention` });
      keep(row.line, [a1, a2], id);
      continue;
    }
    relations.set(id, { id, label, chemical: a1, gene: a2, status: 'added' });
  }
  // Pass 3: attributes, notes, normalizations, events and anything else.
  for (const row of rest) {
    const { line } = row;
    const head = line.split('\t', 1)[0];
    const kind = head[0];
    if (kind === 'A' || kind === 'M') {
      const m = /^(\S+)\t(\S+) (\S+)(?: (\S+))?\s*$/.exec(line);
      if (!m) {
        bad(row, 'not a brat attribute line ("A1<TAB>Name T1 Value")');
        continue;
      }
      const [, id, name, target, value] = m;
      if (!claimId(row, id)) continue;
      const e = entities.get(target);
      const r = relations.get(target);
      if (name === STATUS_ATTRIBUTE && value && STATUS_SET.has(value) && (e || r)) {
        if (e) entities.set(target, { ...e, status: value as CurationStatus });
        if (r) relations.set(target, { ...r, status: value as CurationStatus });
        explicitStatus.add(target);
      } else keep(line, [target], id);
      continue;
    }
    if (kind === '#') {
      const m = /^(\S+)\t(\S+) (\S+)\t(.*)$/.exec(line);
      if (!m) {
        bad(row, 'not a brat note line ("#1<TAB>AnnotatorNotes T1<TAB>text")');
        continue;
      }
      const [, id, name, target, note] = m;
      if (!claimId(row, id)) continue;
      const parsed = name === 'AnnotatorNotes' ? parseNotes(note, map) : undefined;
      const e = entities.get(target);
      const r = relations.get(target);
      if (parsed && (e || r)) {
        const { suggestion, suggestedLabel, ...common } = parsed;
        if (e) entities.set(target, { ...e, ...common, ...(suggestion ? { suggestion } : {}) });
        if (r) relations.set(target, { ...r, ...common, ...(suggestedLabel ? { suggestedLabel } : {}) });
      } else keep(line, [target], id);
      continue;
    }
    if (kind === 'N') {
      const m = /^(\S+)\t(\S+) (\S+) (\S+)(?:\t(.*))?$/.exec(line);
      if (!m) {
        bad(row, 'not a brat normalization line ("N1<TAB>Reference T1 DB:ID<TAB>name")');
        continue;
      }
      const [, id, , target, dbId, name] = m;
      if (!claimId(row, id)) continue;
      const e = entities.get(target);
      if (!e) {
        keep(line, [target], id);
        continue;
      }
      const x: EntityId = { id: dbId, score: 1, ...(name ? { name } : {}) };
      entities.set(target, { ...e, ids: [...(e.ids ?? []), x] });
      continue;
    }
    if (kind === 'E' || kind === '*' || kind === 'T' || kind === 'R') {
      if (head !== '*' && !claimId(row, head)) continue;
      const refs = [...(line.split('\t')[1] ?? '').matchAll(/(?:^|[\s:])([TER]\d+)/g)].map((m) => m[1]);
      keep(line, refs, head === '*' ? undefined : head);
      continue;
    }
    bad(row, `"${head}" is not a brat annotation id (T, R, E, A, M, N, # or *)`);
  }
  // Without a Status attribute, a mention from a model (it has a score note) is a suggestion; any other was made by a person.
  const withDefault = <T extends { id: string; status: CurationStatus; score?: number; model?: string }>(x: T): T =>
    explicitStatus.has(x.id) || (x.score === undefined && x.model === undefined) ? x : { ...x, status: 'suggested' };
  const list = [...entities.values()].map(withDefault).sort((a, b) => a.start - b.start || a.end - b.end);
  return {
    state: {
      entities: list,
      relations: [...relations.values()].map(withDefault),
      ...(foreign.length > 0 ? { foreign } : {}),
    },
    problems,
  };
}

/** Our note (see `notes`); undefined for anybody else's note (kept verbatim). */
function parseNotes(
  note: string,
  map: OffsetMap,
): { score?: number; model?: string; suggestion?: CuratedEntity['suggestion']; suggestedLabel?: string } | undefined {
  const out: { score?: number; model?: string; suggestion?: CuratedEntity['suggestion']; suggestedLabel?: string } = {};
  for (const part of note.split('; ')) {
    const score = /^score (\d+(?:\.\d+)?)$/.exec(part);
    const span = /^suggested (\S+) (\d+) (\d+)$/.exec(part);
    const label = /^suggested (\S+)$/.exec(part);
    if (score) out.score = Number(score[1]);
    else if (part.startsWith('model ') && part.length > 6) out.model = part.slice(6);
    else if (span && Number(span[3]) <= map.codePointLength && Number(span[2]) < Number(span[3]))
      out.suggestion = { label: span[1], start: map.toUtf16(Number(span[2])), end: map.toUtf16(Number(span[3])) };
    else if (label) out.suggestedLabel = label[1];
    else return undefined;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
