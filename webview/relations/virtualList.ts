// Owns the relations panel's virtualized list: only the items in view (plus a margin) are in the DOM, so thousands of
// rows draw and scroll as quickly as a few dozen. Items keep their element while they stay in view (focus survives).
import { ItemHeights, scrollToShow, visibleRange } from './layout';

/** Pixels drawn above and below the viewport, so a quick scroll or arrow key finds rows already there. */
const MARGIN_PX = 600;

export interface VirtualItem {
  /** Stable across data updates: an item that stays keeps its element and measured height. */
  key: string;
  /** Expected height before it is measured. */
  estimate: number;
}

export class VirtualList<T extends VirtualItem> {
  private items: readonly T[] = [];
  private readonly heights = new ItemHeights();
  private readonly inner: HTMLElement;
  private rendered = new Map<string, HTMLElement>();
  private frame = 0;
  private first = 0;
  private last = -1;

  constructor(
    /** The scrolling element (overflow-y: auto, a bounded height). */
    readonly viewport: HTMLElement,
    private readonly draw: (item: T, index: number) => HTMLElement,
  ) {
    this.inner = document.createElement('div');
    this.inner.className = 'virtual-inner';
    viewport.replaceChildren(this.inner);
    viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  /** New items (new data or filter). `redraw`: the data changed, so elements of kept keys are drawn again too. */
  setItems(items: readonly T[], redraw: boolean): void {
    this.items = items;
    this.heights.reset(
      items.map((i) => i.key),
      items.map((i) => i.estimate),
    );
    if (redraw) this.rendered = new Map();
    this.update();
  }

  get length(): number {
    return this.items.length;
  }

  item(index: number): T | undefined {
    return this.items[index];
  }

  /** The element of item `index` when it is drawn. */
  element(index: number): HTMLElement | undefined {
    const item = this.items[index];
    return item && this.rendered.get(item.key);
  }

  /** The index of a drawn element (or an element inside one), or -1. */
  indexOf(target: Element | null): number {
    const element = target?.closest<HTMLElement>('[data-index]');
    if (!element || !this.inner.contains(element)) return -1;
    const index = Number(element.dataset.index);
    return this.items[index]?.key === element.dataset.key ? index : -1;
  }

  /** Scrolls item `index` into view and draws it; returns its element. */
  show(index: number): HTMLElement | undefined {
    // Drawing measures rows whose heights were estimates, which can move the target: settle in a few steps.
    for (let step = 0; step < 3; step++) {
      const top = scrollToShow(this.heights, index, this.viewport.scrollTop, this.viewport.clientHeight);
      if (Math.abs(top - this.viewport.scrollTop) < 1 && this.element(index)) break;
      this.viewport.scrollTop = top;
      this.update();
    }
    return this.element(index);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  /** Draws the items in view: reuses elements still in view, measures the new ones and corrects the layout. */
  update(): void {
    const { heights, viewport } = this;
    // Two passes at most: the second places items with the heights the first measured.
    for (let pass = 0; pass < 2; pass++) {
      const { first, last } = visibleRange(heights, viewport.scrollTop, viewport.clientHeight || window.innerHeight, MARGIN_PX);
      const next = new Map<string, HTMLElement>();
      const elements: HTMLElement[] = [];
      for (let i = first; i <= last; i++) {
        const item = this.items[i];
        let element = this.rendered.get(item.key);
        if (!element) element = this.draw(item, i);
        element.dataset.index = String(i);
        element.dataset.key = item.key;
        next.set(item.key, element);
        elements.push(element);
      }
      const unchanged = first === this.first && last === this.last && elements.every((e, k) => this.inner.children[k] === e);
      this.first = first;
      this.last = last;
      this.rendered = next;
      this.inner.style.paddingTop = `${heights.offset(first)}px`;
      this.inner.style.paddingBottom = `${heights.total - heights.offset(last + 1)}px`;
      if (!unchanged) this.inner.replaceChildren(...elements);
      // An item measured above the viewport shifts what is under it: keep the first visible item where it was.
      const anchor = heights.indexAt(viewport.scrollTop);
      const anchorShift = viewport.scrollTop - heights.offset(anchor);
      let changed = false;
      for (let i = first; i <= last; i++) {
        const element = next.get(this.items[i].key);
        if (element && heights.measure(i, element.offsetHeight)) changed = true;
      }
      if (!changed) return;
      const anchored = heights.offset(anchor) + anchorShift;
      if (Math.abs(anchored - viewport.scrollTop) >= 1) viewport.scrollTop = anchored;
    }
    this.inner.style.paddingTop = `${heights.offset(this.first)}px`;
    this.inner.style.paddingBottom = `${heights.total - heights.offset(this.last + 1)}px`;
  }
}
