// Owns the order a document's paragraphs are annotated in: edited ones first, then what is on screen, then outward
// from the screen; scrolling or an edit changes the order of the work not yet started (no 'vscode').
import { mapSpans, type TextChange } from '../core/text/changes';
import type { Span } from '../core/types';

export interface Priorities {
  /** The editor's visible ranges (document offsets); empty: nothing known, document order. */
  visible: readonly Span[];
  /** Where the user edited since the last run: those paragraphs go before everything else. */
  edited: readonly Span[];
}

export interface ParagraphPlan {
  /** Indices of the pending paragraphs, most urgent first. */
  order: number[];
  /** How many of the first in `order` are edited or on screen: they are run on their own, so they show first. */
  urgent: number;
}

function touches(p: Span, r: Span): boolean {
  // An empty range (a cursor, a one-line editor scrolled to a blank line) counts for the paragraph it sits in.
  return r.start === r.end ? p.start <= r.start && r.start <= p.end : p.start < r.end && r.start < p.end;
}

/**
 * Orders `pending` (indices into `paragraphs`, spans in document offsets): edited, then visible, then by distance
 * from the visible ranges — below the screen before above it at equal distance, since people read downwards.
 */
export function paragraphOrder(paragraphs: readonly Span[], pending: readonly number[], priorities: Priorities): ParagraphPlan {
  const { visible, edited } = priorities;
  const rank = (i: number): [number, number, number] => {
    const p = paragraphs[i];
    if (edited.some((r) => touches(p, r))) return [0, 0, i];
    if (visible.length === 0) return [2, 0, i];
    if (visible.some((r) => touches(p, r))) return [1, 0, i];
    // Not touching: entirely below a range (reading on, preferred at equal distance) or entirely above it.
    let best = Number.POSITIVE_INFINITY;
    for (const r of visible) best = Math.min(best, p.start >= r.end ? (p.start - r.end) * 2 : (r.start - p.end) * 2 + 1);
    return [2, best, i];
  };
  const ranked = pending.map((i) => ({ i, r: rank(i) }));
  ranked.sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.r[2] - b.r[2]);
  return { order: ranked.map((x) => x.i), urgent: ranked.filter((x) => x.r[0] < 2).length };
}

/**
 * One document's priorities as they change: the editor reports scrolling and edits, a running annotation asks for
 * the current order before each worker call. Edits move the remembered ranges so they keep pointing at the same text.
 */
export class DocumentPriorities {
  private visible: Span[] = [];
  private edited: Span[] = [];

  setVisible(ranges: readonly Span[]): void {
    this.visible = ranges.map(({ start, end }) => ({ start, end }));
  }

  /** One editor change event (offsets against the text before it); the changed text joins the edited ranges. */
  applyEdits(changes: readonly TextChange[]): void {
    this.visible = mapSpans(this.visible, changes, 'stretch');
    const moved = mapSpans(this.edited, changes, 'stretch');
    // Each change's new text in the offsets after the event: later changes shift earlier ones' ends, never starts.
    const sorted = [...changes].sort((a, b) => a.start - b.start);
    let shift = 0;
    const fresh = sorted.map((c) => {
      const start = c.start + shift;
      shift += c.insertedLength - (c.end - c.start);
      return { start, end: start + c.insertedLength };
    });
    this.edited = [...moved, ...fresh];
  }

  /** A run started that covers the edits: they are no longer news for the next one. */
  takeEdited(): Span[] {
    const edited = this.edited;
    this.edited = [];
    return edited;
  }

  current(): { visible: Span[]; edited: Span[] } {
    return { visible: [...this.visible], edited: [...this.edited] };
  }
}
