// Owns the geometry of a virtualized list: item heights (measured or estimated), their offsets, and which items a
// scroll position shows. No DOM, so it is unit-tested in Node.

/** Heights of a list's items by key: measured ones are remembered across filters, the rest are estimates. */
export class ItemHeights {
  private readonly measured = new Map<string, number>();
  private keys: readonly string[] = [];
  private estimates: readonly number[] = [];
  private offsets = new Float64Array(1);
  private dirty = true;

  /** A new list of items (after a filter or new data); measurements of keys seen before are kept. */
  reset(keys: readonly string[], estimates: readonly number[]): void {
    this.keys = keys;
    this.estimates = estimates;
    this.dirty = true;
  }

  get count(): number {
    return this.keys.length;
  }

  key(index: number): string {
    return this.keys[index];
  }

  height(index: number): number {
    return this.measured.get(this.keys[index]) ?? this.estimates[index];
  }

  /** Records a measured height; true when it differs from what the layout assumed. */
  measure(index: number, height: number): boolean {
    if (height <= 0 || Math.abs(this.height(index) - height) < 0.5) return false;
    this.measured.set(this.keys[index], height);
    this.dirty = true;
    return true;
  }

  /** Top of item `index` (index = count: the total height). */
  offset(index: number): number {
    this.layout();
    return this.offsets[Math.max(0, Math.min(index, this.keys.length))];
  }

  get total(): number {
    return this.offset(this.keys.length);
  }

  /** The item covering `y` (clamped to the list). */
  indexAt(y: number): number {
    this.layout();
    const n = this.keys.length;
    if (n === 0) return 0;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private layout(): void {
    if (!this.dirty) return;
    const n = this.keys.length;
    if (this.offsets.length !== n + 1) this.offsets = new Float64Array(n + 1);
    let y = 0;
    for (let i = 0; i < n; i++) {
      this.offsets[i] = y;
      y += this.height(i);
    }
    this.offsets[n] = y;
    this.dirty = false;
  }
}

/** First and last (inclusive) items drawn for a viewport, with `margin` pixels above and below; empty list: last < first. */
export function visibleRange(heights: ItemHeights, scrollTop: number, viewport: number, margin: number): { first: number; last: number } {
  if (heights.count === 0) return { first: 0, last: -1 };
  const first = heights.indexAt(Math.max(0, scrollTop - margin));
  const last = heights.indexAt(scrollTop + viewport + margin);
  return { first, last };
}

/** The scrollTop that brings item `index` fully into view, moving as little as possible (unchanged when it is). */
export function scrollToShow(heights: ItemHeights, index: number, scrollTop: number, viewport: number): number {
  const top = heights.offset(index);
  const bottom = top + heights.height(index);
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return Math.max(0, Math.min(top, bottom - viewport));
  return scrollTop;
}
