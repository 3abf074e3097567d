// Owns one document's curation: its entities and relations, the curator's actions with undo/redo, how edits move
// annotations, and how a new model run merges with what the curator already decided. Pure: no I/O.
import type { AnnotatedEntity, Relation, Span } from '../types';
import { mapSpan, type TextChange } from '../text/changes';
import {
  CURATION_STATUSES,
  type CuratedEntity,
  type CuratedRelation,
  type CurationAction,
  type CurationState,
  type CurationStatus,
  type ForeignLine,
} from './types';

/** Undo steps kept per document; older ones are forgotten (the issue asks for at least 100). */
export const HISTORY_LIMIT = 500;

type Change<T> = [id: string, before: T | undefined, after: T | undefined];

interface Step {
  entities: Change<CuratedEntity>[];
  relations: Change<CuratedRelation>[];
  foreign?: [before: ForeignLine[], after: ForeignLine[]];
}

/** Records the first "before" of everything an action touches, so the whole action is one undo step. */
class Transaction {
  readonly entities = new Map<string, CuratedEntity | undefined>();
  readonly relations = new Map<string, CuratedRelation | undefined>();
  constructor(private readonly doc: CurationDocument) {}
  putEntity(id: string, next: CuratedEntity | undefined): void {
    if (!this.entities.has(id)) this.entities.set(id, this.doc.entityById(id));
    this.doc.storeEntity(id, next);
  }
  putRelation(id: string, next: CuratedRelation | undefined): void {
    if (!this.relations.has(id)) this.relations.set(id, this.doc.relationById(id));
    this.doc.storeRelation(id, next);
  }
}

const sameEntity = (a: CuratedEntity | undefined, b: CuratedEntity | undefined): boolean =>
  a === b ||
  (!!a &&
    !!b &&
    a.label === b.label &&
    a.start === b.start &&
    a.end === b.end &&
    a.status === b.status &&
    a.text === b.text &&
    a.mismatch === b.mismatch);

const sameRelation = (a: CuratedRelation | undefined, b: CuratedRelation | undefined): boolean =>
  a === b || (!!a && !!b && a.label === b.label && a.status === b.status && a.chemical === b.chemical && a.gene === b.gene);

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

const idNumber = (id: string, prefix: string): number => {
  const m = new RegExp(`^${prefix}(\\d+)$`).exec(id);
  return m ? Number(m[1]) : 0;
};

/** A curator decided about it: a model run never replaces it. */
export const isDecided = (status: CurationStatus): boolean => status !== 'suggested';

/**
 * The curation of one document. Entity and relation objects are never mutated (an action replaces them), so a
 * `state` handed out earlier stays a faithful snapshot.
 */
export class CurationDocument {
  private text: string;
  private readonly entityMap = new Map<string, CuratedEntity>();
  private readonly relationMap = new Map<string, CuratedRelation>();
  private foreignLines: ForeignLine[];
  private sorted: CuratedEntity[] | undefined;
  private undoStack: Step[] = [];
  private redoStack: Step[] = [];
  // Ids only grow during the document's life, so an undone "add" never hands its id to another entity.
  private nextEntity = 1;
  private nextRelation = 1;

  constructor(text: string, state?: CurationState) {
    this.text = text;
    for (const e of state?.entities ?? []) this.entityMap.set(e.id, { ...e });
    for (const r of state?.relations ?? []) this.relationMap.set(r.id, { ...r });
    this.foreignLines = [...(state?.foreign ?? [])];
    for (const id of [...this.entityMap.keys(), ...this.foreignLines.map((f) => f.id ?? '')])
      this.nextEntity = Math.max(this.nextEntity, idNumber(id, 'T') + 1);
    for (const id of [...this.relationMap.keys(), ...this.foreignLines.map((f) => f.id ?? '')])
      this.nextRelation = Math.max(this.nextRelation, idNumber(id, 'R') + 1);
  }

  /** Entities by position (start, then end), relations by id number; foreign lines as read. */
  get state(): CurationState {
    const relations = [...this.relationMap.values()].sort((a, b) => idNumber(a.id, 'R') - idNumber(b.id, 'R') || a.id.localeCompare(b.id));
    return {
      entities: this.entities(),
      relations,
      ...(this.foreignLines.length > 0 ? { foreign: [...this.foreignLines] } : {}),
    };
  }

  /** The text the spans refer to. */
  get documentText(): string {
    return this.text;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  entityById(id: string): CuratedEntity | undefined {
    return this.entityMap.get(id);
  }

  relationById(id: string): CuratedRelation | undefined {
    return this.relationMap.get(id);
  }

  /** @internal used by Transaction. */
  storeEntity(id: string, next: CuratedEntity | undefined): void {
    if (next) this.entityMap.set(id, next);
    else this.entityMap.delete(id);
    this.sorted = undefined;
  }

  /** @internal used by Transaction. */
  storeRelation(id: string, next: CuratedRelation | undefined): void {
    if (next) this.relationMap.set(id, next);
    else this.relationMap.delete(id);
  }

  /**
   * Applies one curator action as one undo step. Unknown ids are ignored; `changed` lists the ids of entities and
   * relations that changed (for `add` and `addRelation` the new id comes first).
   */
  apply(action: CurationAction): { changed: string[] } {
    const tx = new Transaction(this);
    const first = this.run(action, tx);
    const changed = this.commit(tx, this.dropForeign(tx));
    if (first && changed.includes(first)) return { changed: [first, ...changed.filter((id) => id !== first)] };
    return { changed };
  }

  private run(action: CurationAction, tx: Transaction): string | undefined {
    const setStatus = (ids: readonly string[], status: CurationStatus): void => {
      for (const id of ids) {
        const e = this.entityMap.get(id);
        // An entity the curator added stays "added" when accepted: it never came from a model.
        if (e) tx.putEntity(id, { ...e, status: e.status === 'added' && status === 'accepted' ? 'added' : status });
      }
    };
    const decided = (e: CuratedEntity): CurationStatus => (e.status === 'added' ? 'added' : 'accepted');
    // The model's own answer is kept on the first correction, and forgotten when the curator comes back to it.
    const remember = (before: CuratedEntity, after: CuratedEntity): CuratedEntity => {
      const original = before.suggestion ?? (before.model ? { label: before.label, start: before.start, end: before.end } : undefined);
      const { suggestion: _, ...rest } = after;
      if (!original || (original.label === after.label && original.start === after.start && original.end === after.end)) return rest;
      return { ...rest, suggestion: original };
    };
    // A relation the curator keeps makes its suggested arguments kept too, so a later model run cannot pull them away.
    const acceptArguments = (...ids: string[]): void => {
      for (const id of ids) {
        const e = this.entityMap.get(id);
        if (e?.status === 'suggested') tx.putEntity(id, { ...e, status: 'accepted' });
      }
    };
    switch (action.kind) {
      case 'accept':
        setStatus(action.ids, 'accepted');
        return undefined;
      case 'reject':
        setStatus(action.ids, 'rejected');
        return undefined;
      case 'setLabel':
        if (action.label.trim() === '') return undefined;
        for (const id of action.ids) {
          const e = this.entityMap.get(id);
          // Correcting a suggestion is accepting it with the right type.
          if (e) tx.putEntity(id, remember(e, { ...e, label: action.label, status: decided(e) }));
        }
        return undefined;
      case 'setSpan': {
        const e = this.entityMap.get(action.id);
        const span = this.clampSpan(action.span);
        if (!e || !span) return undefined;
        const { mismatch: _, ...rest } = e;
        tx.putEntity(e.id, remember(e, { ...rest, ...span, text: this.text.slice(span.start, span.end), status: decided(e) }));
        return undefined;
      }
      case 'add': {
        const span = this.clampSpan(action.span);
        if (!span || action.label.trim() === '') return undefined;
        const id = `T${this.nextEntity++}`;
        tx.putEntity(id, { id, label: action.label, ...span, text: this.text.slice(span.start, span.end), status: 'added' });
        return id;
      }
      case 'delete':
        for (const id of action.ids) {
          if (!this.entityMap.has(id)) continue;
          tx.putEntity(id, undefined);
          for (const r of this.relationMap.values()) if (r.chemical === id || r.gene === id) tx.putRelation(r.id, undefined);
        }
        return undefined;
      case 'acceptRelation':
      case 'rejectRelation':
        for (const id of action.ids) {
          const r = this.relationMap.get(id);
          if (!r) continue;
          const status = action.kind === 'acceptRelation' ? (r.status === 'added' ? 'added' : 'accepted') : 'rejected';
          tx.putRelation(id, { ...r, status });
          if (status !== 'rejected') acceptArguments(r.chemical, r.gene);
        }
        return undefined;
      case 'setRelationLabel':
        if (action.label.trim() === '') return undefined;
        for (const id of action.ids) {
          const r = this.relationMap.get(id);
          if (!r) continue;
          const original = r.suggestedLabel ?? (r.model || r.score !== undefined ? r.label : undefined);
          const { suggestedLabel: _, ...rest } = r;
          const status: CurationStatus = r.status === 'added' ? 'added' : 'accepted';
          tx.putRelation(id, {
            ...rest,
            label: action.label,
            status,
            ...(original && original !== action.label ? { suggestedLabel: original } : {}),
          });
          acceptArguments(r.chemical, r.gene);
        }
        return undefined;
      case 'addRelation': {
        if (!this.entityMap.has(action.chemical) || !this.entityMap.has(action.gene) || action.chemical === action.gene) return undefined;
        const id = `R${this.nextRelation++}`;
        tx.putRelation(id, { id, label: action.label, chemical: action.chemical, gene: action.gene, status: 'added' });
        acceptArguments(action.chemical, action.gene);
        return id;
      }
    }
  }

  /** Turns a transaction into an undo step (nothing recorded when nothing really changed). */
  private commit(tx: Transaction, foreign?: [ForeignLine[], ForeignLine[]], record = true): string[] {
    const step: Step = { entities: [], relations: [] };
    for (const [id, before] of tx.entities) {
      const after = this.entityMap.get(id);
      if (!sameEntity(before, after)) step.entities.push([id, before, after]);
    }
    for (const [id, before] of tx.relations) {
      const after = this.relationMap.get(id);
      if (!sameRelation(before, after)) step.relations.push([id, before, after]);
    }
    if (foreign) step.foreign = foreign;
    if (step.entities.length === 0 && step.relations.length === 0 && !foreign) return [];
    if (record) {
      this.undoStack.push(step);
      if (this.undoStack.length > HISTORY_LIMIT) this.undoStack.shift();
    }
    this.redoStack = [];
    return [...step.entities.map(([id]) => id), ...step.relations.map(([id]) => id)];
  }

  undo(): boolean {
    const step = this.undoStack.pop();
    if (!step) return false;
    this.replay(step, 1);
    this.redoStack.push(step);
    return true;
  }

  redo(): boolean {
    const step = this.redoStack.pop();
    if (!step) return false;
    this.replay(step, 2);
    this.undoStack.push(step);
    return true;
  }

  /** Ids the last undo/redo touched are not returned; callers re-read `state` (a step can touch hundreds). */
  private replay(step: Step, side: 1 | 2): void {
    for (const change of step.entities) this.storeEntity(change[0], change[side]);
    for (const change of step.relations) this.storeRelation(change[0], change[side]);
    if (step.foreign) this.foreignLines = [...step.foreign[side - 1]];
  }

  /**
   * Moves annotations through an edit of the text (VS Code reports all changes of one event against the text before
   * it). An annotation whose text is touched — deleted, replaced, or cut at an edge — is removed with its relations.
   * An edit strictly inside a mention (fixing a typo in "asprin") keeps it, stretched over the new text, because the
   * curator's decision is about that mention, not about its old spelling. Typing right after a mention leaves it as
   * is; typing right before it shifts it. The undo history moves with the text so undo still lands on the right words.
   */
  applyTextChanges(changes: readonly TextChange[], newText: string): { changed: string[] } {
    const ordered = [...changes].sort((a, b) => b.start - a.start);
    const changed: string[] = [];
    const removed = new Set<string>();
    for (const e of [...this.entityMap.values()]) {
      const span = moveSpan(e, ordered);
      if (!span) {
        this.storeEntity(e.id, undefined);
        removed.add(e.id);
        changed.push(e.id);
        continue;
      }
      const text = newText.slice(span.start, span.end);
      if (span.start !== e.start || span.end !== e.end || (text !== e.text && !e.mismatch)) {
        this.storeEntity(e.id, withSuggestionMoved({ ...e, ...span, text: e.mismatch ? e.text : text }, ordered));
        changed.push(e.id);
      }
    }
    for (const r of [...this.relationMap.values()]) {
      if (removed.has(r.chemical) || removed.has(r.gene)) {
        this.storeRelation(r.id, undefined);
        changed.push(r.id);
      }
    }
    const dropped = this.foreignLines.filter((f) => f.refs.some((id) => removed.has(id)));
    if (dropped.length > 0) this.foreignLines = this.foreignLines.filter((f) => !dropped.includes(f));
    this.text = newText;
    const moveHistory = (steps: Step[]): void => {
      for (const step of steps) {
        step.entities = step.entities
          .map(
            ([id, before, after]): Change<CuratedEntity> => [
              id,
              moveSnapshot(before, ordered, newText),
              moveSnapshot(after, ordered, newText),
            ],
          )
          .filter(([, before, after]) => before !== undefined || after !== undefined);
      }
    };
    moveHistory(this.undoStack);
    moveHistory(this.redoStack);
    return { changed };
  }

  /**
   * Merges a new model run: every old suggestion is replaced by the new ones, except that a new suggestion overlapping
   * an entity the curator decided (accepted, rejected, added) is dropped — a decided span stays as decided. A new
   * suggestion with the span and label of an old one keeps its id, so relations and notes keep pointing at it.
   * `options.relationModel` names the relation model in the relations' notes.
   * Relations likewise: old suggested ones go, new ones come unless a decided relation joins the same two spans.
   * A model run is not a curator action: it is no undo step (Ctrl+Z after a run undoes the last decision, not the
   * run); it clears redo, as any new change does.
   */
  mergeSuggestions(
    entities: readonly AnnotatedEntity[],
    relations: readonly Relation[] = [],
    options: { relationModel?: string } = {},
  ): { changed: string[] } {
    const tx = new Transaction(this);
    const decided = [...this.entityMap.values()].filter((e) => isDecided(e.status));
    const oldByKey = new Map<string, CuratedEntity>();
    for (const e of this.entityMap.values()) {
      if (e.status === 'suggested') {
        oldByKey.set(`${e.start}:${e.end}:${e.label}`, e);
        tx.putEntity(e.id, undefined);
      }
    }
    const sortedDecided = [...decided].sort((a, b) => a.start - b.start);
    // maxEnd[i]: the furthest end among the first i+1 decided entities, so the scan back stops as soon as none reach.
    const maxEnd: number[] = [];
    for (const [i, e] of sortedDecided.entries()) maxEnd.push(Math.max(e.end, i > 0 ? maxEnd[i - 1] : 0));
    const hitsDecided = (s: Span): boolean => {
      let lo = 0;
      let hi = sortedDecided.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sortedDecided[mid].start < s.end) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo - 1; i >= 0 && maxEnd[i] > s.start; i--) if (overlaps(sortedDecided[i], s)) return true;
      return false;
    };
    const bySpan = new Map<string, string>();
    for (const e of decided) bySpan.set(`${e.start}:${e.end}`, e.id);
    for (const s of entities) {
      const span = this.clampSpan(s);
      if (!span || hitsDecided(span)) continue;
      // Two models suggesting the same span and label make one suggestion.
      const existing = bySpan.get(`${span.start}:${span.end}`);
      if (existing && this.entityMap.get(existing)?.label === s.label) continue;
      const old = oldByKey.get(`${span.start}:${span.end}:${s.label}`);
      const id = old && !this.entityMap.has(old.id) ? old.id : `T${this.nextEntity++}`;
      const entity: CuratedEntity = {
        id,
        label: s.label,
        ...span,
        text: this.text.slice(span.start, span.end),
        status: 'suggested',
        score: s.score,
        model: s.model,
        ...(s.ids && s.ids.length > 0 ? { ids: s.ids } : {}),
      };
      tx.putEntity(id, entity);
      bySpan.set(`${span.start}:${span.end}`, id);
    }
    const pairKey = (chemical: string, gene: string): string | undefined => {
      const c = this.entityMap.get(chemical);
      const g = this.entityMap.get(gene);
      return c && g ? `${c.start}:${c.end}|${g.start}:${g.end}` : undefined;
    };
    const decidedPairs = new Set<string>();
    const oldRelations = new Map<string, CuratedRelation>();
    for (const r of this.relationMap.values()) {
      const k = pairKey(r.chemical, r.gene);
      if (r.status === 'suggested') {
        if (k) oldRelations.set(`${k}|${r.label}`, r);
        tx.putRelation(r.id, undefined);
      } else if (k) decidedPairs.add(k);
      // A relation whose suggested argument was replaced by nothing goes with it.
      if (!this.entityMap.has(r.chemical) || !this.entityMap.has(r.gene)) tx.putRelation(r.id, undefined);
    }
    for (const r of relations) {
      const chemical = bySpan.get(`${r.chemical.start}:${r.chemical.end}`);
      const gene = bySpan.get(`${r.gene.start}:${r.gene.end}`);
      if (!chemical || !gene || chemical === gene) continue;
      const k = `${r.chemical.start}:${r.chemical.end}|${r.gene.start}:${r.gene.end}`;
      if (decidedPairs.has(k)) continue;
      // A rejected argument means the curator said "not a mention": no relation can hang on it.
      if (this.entityMap.get(chemical)?.status === 'rejected' || this.entityMap.get(gene)?.status === 'rejected') continue;
      const old = oldRelations.get(`${k}|${r.label}`);
      const id = old && !this.relationMap.has(old.id) ? old.id : `R${this.nextRelation++}`;
      const model = options.relationModel;
      tx.putRelation(id, { id, label: r.label, chemical, gene, status: 'suggested', score: r.score, ...(model ? { model } : {}) });
      decidedPairs.add(k);
    }
    return { changed: this.commit(tx, this.dropForeign(tx), false) };
  }

  /** Other tools' lines pointing at an annotation this transaction removed go with it (brat would reject them). */
  private dropForeign(tx: Transaction): [ForeignLine[], ForeignLine[]] | undefined {
    const removed = new Set<string>();
    for (const [id, before] of tx.entities) if (before && !this.entityMap.has(id)) removed.add(id);
    for (const [id, before] of tx.relations) if (before && !this.relationMap.has(id)) removed.add(id);
    if (removed.size === 0) return undefined;
    const before = this.foreignLines;
    const after = before.filter((f) => !f.refs.some((id) => removed.has(id)));
    if (after.length === before.length) return undefined;
    this.foreignLines = after;
    return [before, after];
  }

  /** Flags entities whose slice of `text` no longer reads their text (never moves them); returns the ids that changed. */
  checkText(text: string): string[] {
    this.text = text;
    const changed: string[] = [];
    for (const e of [...this.entityMap.values()]) {
      const mismatch = e.end > text.length || text.slice(e.start, e.end) !== e.text;
      if (mismatch !== !!e.mismatch) {
        const { mismatch: _, ...rest } = e;
        this.storeEntity(e.id, mismatch ? { ...rest, mismatch: true } : rest);
        changed.push(e.id);
      }
    }
    return changed;
  }

  counts(): Record<CurationStatus, number> {
    const out = Object.fromEntries(CURATION_STATUSES.map((s) => [s, 0])) as Record<CurationStatus, number>;
    for (const e of this.entityMap.values()) out[e.status]++;
    return out;
  }

  /** Every entity (the given one included) with the same text and label: the "all mentions like this" bulk target. */
  sameTextAndLabel(id: string): string[] {
    const e = this.entityMap.get(id);
    if (!e) return [];
    return this.entities()
      .filter((x) => x.text === e.text && x.label === e.label)
      .map((x) => x.id);
  }

  /** Suggestions scored at or above `score` (an unscored suggestion never qualifies). */
  atOrAbove(score: number): string[] {
    return this.entities()
      .filter((e) => e.status === 'suggested' && e.score !== undefined && e.score >= score)
      .map((e) => e.id);
  }

  /** The next suggestion starting after (1) or before (-1) `offset`, wrapping around the document. */
  nextUnreviewed(offset: number, direction: 1 | -1): CuratedEntity | undefined {
    const open = this.entities().filter((e) => e.status === 'suggested');
    if (open.length === 0) return undefined;
    if (direction === 1) return open.find((e) => e.start > offset) ?? open[0];
    for (let i = open.length - 1; i >= 0; i--) if (open[i].start < offset) return open[i];
    return open[open.length - 1];
  }

  /** The entity under a cursor at `offset` (its end counts, as a cursor right after a word): shortest, unrejected first. */
  entityAt(offset: number): CuratedEntity | undefined {
    let best: CuratedEntity | undefined;
    for (const e of this.entityMap.values()) {
      if (e.start > offset || e.end < offset) continue;
      if (!best) best = e;
      else {
        const rank = (x: CuratedEntity): number => (x.status === 'rejected' ? 1 : 0);
        if (rank(e) < rank(best) || (rank(e) === rank(best) && e.end - e.start < best.end - best.start)) best = e;
      }
    }
    return best;
  }

  /** Entities overlapping `span` (or at an empty span's position), by position. */
  entitiesIn(span: Span): CuratedEntity[] {
    return this.entities().filter((e) => (span.start === span.end ? e.start <= span.start && span.start <= e.end : overlaps(e, span)));
  }

  private entities(): CuratedEntity[] {
    if (!this.sorted)
      this.sorted = [...this.entityMap.values()].sort((a, b) => a.start - b.start || a.end - b.end || a.id.localeCompare(b.id));
    return this.sorted;
  }

  private clampSpan(span: Span): Span | undefined {
    const start = Math.max(0, Math.min(span.start, this.text.length));
    const end = Math.max(0, Math.min(span.end, this.text.length));
    return end > start ? { start, end } : undefined;
  }
}

/** A mention's span after `ordered` changes (last first); undefined when an edit touched its text (see applyTextChanges). */
function moveSpan(span: Span, ordered: readonly TextChange[]): Span | undefined {
  let s: Span | undefined = span;
  for (const change of ordered) {
    if (!s) return undefined;
    const inside =
      change.start >= s.start &&
      change.end <= s.end &&
      !(change.start === s.start && change.end === s.end) &&
      !(change.start === s.end) &&
      !(change.end === s.start);
    if (inside) {
      const end: number = s.end + change.insertedLength - (change.end - change.start);
      s = end > s.start ? { start: s.start, end } : undefined;
    } else s = mapSpan(s, change, 'drop');
  }
  return s;
}

function moveSnapshot(e: CuratedEntity | undefined, ordered: readonly TextChange[], text: string): CuratedEntity | undefined {
  if (!e) return undefined;
  const span = moveSpan(e, ordered);
  if (!span) return undefined;
  if (span.start === e.start && span.end === e.end) return e;
  return withSuggestionMoved({ ...e, ...span, text: e.mismatch ? e.text : text.slice(span.start, span.end) }, ordered);
}

/** The model's original span moves with the text too; an edit that touches it forgets it (the text it read is gone). */
function withSuggestionMoved(e: CuratedEntity, ordered: readonly TextChange[]): CuratedEntity {
  if (!e.suggestion) return e;
  const span = moveSpan(e.suggestion, ordered);
  const { suggestion, ...rest } = e;
  return span ? { ...rest, suggestion: { label: suggestion.label, ...span } } : rest;
}

export interface EntityTextGroup {
  text: string;
  count: number;
  statuses: Record<CurationStatus, number>;
  ids: string[];
}

export interface EntityTypeGroup {
  label: string;
  count: number;
  texts: EntityTextGroup[];
}

/** Entities grouped by type, then by text (most frequent first), for the Entities view; `filter` keeps some statuses. */
export function groupEntities(state: CurationState, filter?: { statuses?: readonly CurationStatus[] }): EntityTypeGroup[] {
  const keep = filter?.statuses ? new Set(filter.statuses) : undefined;
  const byLabel = new Map<string, Map<string, EntityTextGroup>>();
  for (const e of state.entities) {
    if (keep && !keep.has(e.status)) continue;
    let texts = byLabel.get(e.label);
    if (!texts) byLabel.set(e.label, (texts = new Map()));
    let group = texts.get(e.text);
    if (!group) {
      group = { text: e.text, count: 0, statuses: { suggested: 0, accepted: 0, rejected: 0, added: 0 }, ids: [] };
      texts.set(e.text, group);
    }
    group.count++;
    group.statuses[e.status]++;
    group.ids.push(e.id);
  }
  return [...byLabel.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, texts]) => {
      const list = [...texts.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
      return { label, count: list.reduce((n, g) => n + g.count, 0), texts: list };
    });
}
