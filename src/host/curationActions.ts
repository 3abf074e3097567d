// Owns what the editor offers a curator (no 'vscode'): the entities under a selection, the actions that apply there,
// spans fixed to word boundaries, the review count the status bar shows, and the Entities view's group captions.
import type { CuratedEntity, CuratedRelation, CurationState, CurationStatus } from '../core/curation/types';
import { entityType } from '../core/labels';
import { snapToWords } from '../core/pipeline';
import type { Span } from '../core/types';

export type EntityActionKind = 'accept' | 'reject' | 'changeType' | 'fixSpan' | 'add' | 'delete';

export interface OfferedAction {
  kind: EntityActionKind;
  /** What the lightbulb, the context menu and the hover say. */
  title: string;
  /** The entities it acts on (empty for add). */
  ids: string[];
  /** fixSpan: the new span; add: the span to annotate. */
  span?: Span;
  /** The action Ctrl+. applies first (VS Code's "preferred" quick fix). */
  preferred?: boolean;
}

/** Whether an entity is drawn: rejected ones only while the curator asked to see them. */
export function isShown(entity: CuratedEntity, showRejected: boolean): boolean {
  return showRejected || entity.status !== 'rejected';
}

/**
 * The entities a command acts on: those the selection overlaps, or the one under an empty cursor (its right edge
 * counts, as for hovers). Hidden (rejected) entities are not acted on unless shown.
 */
export function entitiesUnder(entities: readonly CuratedEntity[], selection: Span, showRejected = false): CuratedEntity[] {
  const shown = entities.filter((e) => isShown(e, showRejected));
  if (selection.start === selection.end) {
    const at = selection.start;
    const inside = shown.filter((e) => e.start <= at && at < e.end);
    return inside.length > 0 ? inside : shown.filter((e) => e.end === at);
  }
  return shown.filter((e) => e.start < selection.end && selection.start < e.end);
}

const EDGE_SPACE = /\s/u;

/**
 * A span a curator means: surrounding white space dropped, then widened to whole words (a selection that begins in
 * the middle of "dextrorphan" takes the whole word). Undefined when nothing but white space is selected.
 */
export function fixedSpan(text: string, span: Span): Span | undefined {
  let { start, end } = span;
  while (start < end && EDGE_SPACE.test(text[start])) start++;
  while (end > start && EDGE_SPACE.test(text[end - 1])) end--;
  if (start === end) return undefined;
  const [snapped] = snapToWords(text, [{ label: '', score: 0, start, end, text: text.slice(start, end) }]);
  return { start: snapped.start, end: snapped.end };
}

/** The actions that apply to `selection` in a document whose curated entities are `entities`, in menu order. */
export function offeredActions(entities: readonly CuratedEntity[], selection: Span, text: string, showRejected = false): OfferedAction[] {
  const under = entitiesUnder(entities, selection, showRejected);
  const actions: OfferedAction[] = [];
  const ids = under.map((e) => e.id);
  const names = describeMentions(under);
  if (under.length > 0) {
    const open = under.filter((e) => e.status === 'suggested' || e.status === 'rejected');
    if (open.length > 0) {
      actions.push({ kind: 'accept', title: `Accept ${names}`, ids: open.map((e) => e.id), preferred: true });
    }
    const rejectable = under.filter((e) => e.status !== 'rejected');
    if (rejectable.length > 0) actions.push({ kind: 'reject', title: `Reject ${names}`, ids: rejectable.map((e) => e.id) });
    actions.push({ kind: 'changeType', title: `Change type of ${names}…`, ids });
    if (under.length === 1) {
      const [entity] = under;
      const target = selection.start === selection.end ? entity : selection;
      const span = fixedSpan(text, target);
      if (span && (span.start !== entity.start || span.end !== entity.end)) {
        const what = selection.start === selection.end ? 'to whole words' : 'to the selection';
        actions.push({ kind: 'fixSpan', title: `Fix span of ${names} ${what}: "${clip(text.slice(span.start, span.end))}"`, ids, span });
      }
    }
    actions.push({ kind: 'delete', title: `Delete ${names}`, ids });
  }
  if (selection.start !== selection.end) {
    const span = fixedSpan(text, selection);
    const exists = span && entities.some((e) => e.start === span.start && e.end === span.end && e.status !== 'rejected');
    if (span && !exists) {
      actions.push({ kind: 'add', title: `Add entity "${clip(text.slice(span.start, span.end))}"…`, ids: [], span });
    }
  }
  return actions;
}

function describeMentions(entities: readonly CuratedEntity[]): string {
  if (entities.length === 1) return `"${clip(entities[0].text)}" (${entityType(entities[0].label)})`;
  return `${entities.length} entities`;
}

function clip(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export type StatusCounts = Record<CurationStatus, number>;

/** The status bar's words for a curated document: what is left to review comes first. */
export function reviewText(counts: StatusCounts): { text: string; tooltip: string } {
  const reviewed = counts.accepted + counts.rejected + counts.added;
  const text = counts.suggested > 0 ? `BioM: ${counts.suggested} to review` : 'BioM: all reviewed';
  const tooltip = `BioM curation: ${counts.suggested} suggested · ${counts.accepted} accepted · ${counts.added} added · ${counts.rejected} rejected (${reviewed} decided). Alt+J: next to review. Tinted: to review · bordered: accepted or added · rejected: hidden.`;
  return { text, tooltip };
}

/** "3 suggested · 1 accepted": the statuses present in a group, in a fixed order. */
export function describeCounts(counts: StatusCounts): string {
  const order: CurationStatus[] = ['suggested', 'accepted', 'added', 'rejected'];
  return order
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(' · ');
}

/** The label choices for Change type / Add entity: the model's types, then the setting's, each once, in that order. */
export function typeChoices(modelLabels: readonly string[], configured: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const label of [...modelLabels.map(entityType), ...configured]) {
    const type = label.trim();
    if (!type || type === 'O' || seen.has(type)) continue;
    seen.add(type);
    out.push(type);
  }
  return out;
}

/** The relations panel's key for a pair: "chemicalStart:chemicalEnd:geneStart:geneEnd" (UTF-16 offsets). */
export function pairKey(chemical: Span, gene: Span): string {
  return `${chemical.start}:${chemical.end}:${gene.start}:${gene.end}`;
}

/** The curated entity at exactly `span`; a live one (not rejected) before a rejected one. */
export function entityWithSpan(entities: readonly CuratedEntity[], span: Span): CuratedEntity | undefined {
  const exact = entities.filter((e) => e.start === span.start && e.end === span.end);
  return exact.find((e) => e.status !== 'rejected') ?? exact[0];
}

/** The curated relation between the entities at these two spans, if any. */
export function relationBetween(state: CurationState, chemical: Span, gene: Span): CuratedRelation | undefined {
  const byId = new Map(state.entities.map((e) => [e.id, e]));
  return state.relations.find((r) => {
    const c = byId.get(r.chemical);
    const g = byId.get(r.gene);
    return c && g && c.start === chemical.start && c.end === chemical.end && g.start === gene.start && g.end === gene.end;
  });
}

/** Every curated relation's status by pair key, for the relations panel's rows. */
export function relationStatuses(state: CurationState): Record<string, CurationStatus> {
  const byId = new Map(state.entities.map((e) => [e.id, e]));
  const out: Record<string, CurationStatus> = {};
  for (const r of state.relations) {
    const c = byId.get(r.chemical);
    const g = byId.get(r.gene);
    if (c && g) out[pairKey(c, g)] = r.status;
  }
  return out;
}

/** The argument of biom.curation.relation, sent by the relations panel (UTF-16 offsets in the document named by uri). */
export interface RelationCommandArgs {
  uri: string;
  chemical: Span;
  gene: Span;
  action: 'accept' | 'reject' | 'setLabel';
  label?: string;
}

function isSpan(value: unknown): value is Span {
  const s = value as Span;
  return (
    typeof value === 'object' && value !== null && Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start < s.end
  );
}

/** Commands can be run by anything (other extensions, command links): the argument is checked before it is used. */
export function isRelationCommandArgs(value: unknown): value is RelationCommandArgs {
  const v = value as RelationCommandArgs;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof v.uri === 'string' &&
    isSpan(v.chemical) &&
    isSpan(v.gene) &&
    (v.action === 'accept' || v.action === 'reject' || (v.action === 'setLabel' && typeof v.label === 'string' && v.label.length > 0)) &&
    (v.label === undefined || typeof v.label === 'string')
  );
}
