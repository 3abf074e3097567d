// Owns incremental annotation: per-paragraph results cached by (model key, paragraph text); only changes re-run.
import type { Span } from './types';
import { throwIfAborted } from './errors';
import { splitParagraphs, type ParagraphOptions } from './text/paragraphs';
import { shiftSpans } from './text/changes';

/**
 * Annotates independent paragraph texts; results carry offsets relative to their own text. `onTextsDone` (texts of
 * this call finished so far) lets one long call move a progress bar instead of jumping at its end.
 */
export type ParagraphRunner<T extends Span> = (
  texts: string[],
  signal: AbortSignal | undefined,
  onTextsDone?: (done: number) => void,
) => Promise<T[][]>;

export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
  chars: number;
}

/**
 * Least-recently-used cache of per-paragraph results. Bounded by entries and by the characters of the keys (the
 * paragraph texts dominate its memory), whichever is reached first.
 */
export class ParagraphCache<T> {
  private readonly map = new Map<string, T[]>();
  private chars = 0;
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly maxEntries = 20_000,
    private readonly maxChars = 8_000_000,
  ) {}

  static key(modelKey: string, text: string): string {
    return `${modelKey}\u0000${text}`;
  }

  get(key: string): T[] | undefined {
    const value = this.map.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-insert: Map iteration order is insertion order, so the first key is always the least recently used.
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** The entry without counting a hit or refreshing it (a cancelled run looking at what finished). */
  peek(key: string): T[] | undefined {
    return this.map.get(key);
  }

  set(key: string, value: T[]): void {
    if (this.map.delete(key)) this.chars -= key.length;
    this.map.set(key, value);
    this.chars += key.length;
    for (const oldest of this.map.keys()) {
      if (this.map.size <= this.maxEntries && this.chars <= this.maxChars) break;
      this.map.delete(oldest);
      this.chars -= oldest.length;
    }
  }

  clear(): void {
    this.map.clear();
    this.chars = 0;
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.map.size, chars: this.chars };
  }
}

export interface IncrementalOptions<T> extends ParagraphOptions {
  /** Shared between annotators (documents) of one model so equal paragraphs are run once. */
  cache?: ParagraphCache<T>;
  /** Most characters of paragraph text per runner call: bounds one worker request and its reply on huge files. */
  charsPerCall?: number;
}

/** The order to run pending paragraphs in; `urgent` first ones go in a call of their own (see src/host/visibleFirst.ts). */
export type ParagraphPlanner = (paragraphs: readonly Span[], pending: readonly number[]) => { order: number[]; urgent: number };

export interface AnnotateOptions<T extends Span = Span> {
  signal?: AbortSignal;
  /** Paragraphs finished (cached ones count at once) of all paragraphs. */
  onProgress?: (done: number, total: number) => void;
  /** Asked before every runner call, so the order can follow the user (scrolling); absent: document order. */
  plan?: ParagraphPlanner;
  /**
   * After each runner call (and once up front when some paragraphs were cached): `known()` gives every result known so
   * far, document offsets, paragraph order, so results can be shown as they come. Not calling it costs nothing.
   */
  onPartial?: (known: () => T[]) => void;
}

export interface IncrementalResult<T extends Span> {
  /** Every result of the document, offsets shifted to the document, in paragraph order. */
  items: T[];
  paragraphs: number;
  /** Paragraphs sent to the runner this time (the rest came from the cache). */
  rerun: number;
}

/**
 * Runs a per-paragraph task over a document, re-running only paragraphs whose text is not cached. A paragraph's
 * result depends on its text alone, so after an edit the unchanged paragraphs keep their results and only move.
 */
export class IncrementalAnnotator<T extends Span> {
  private readonly cache: ParagraphCache<T>;

  constructor(
    private readonly run: ParagraphRunner<T>,
    private readonly options: IncrementalOptions<T> = {},
  ) {
    this.cache = options.cache ?? new ParagraphCache<T>();
  }

  /** `modelKey` must name everything the results depend on: model folder, variant and task options. */
  async annotate(modelKey: string, text: string, options: AnnotateOptions<T> = {}): Promise<IncrementalResult<T>> {
    const paragraphs = splitParagraphs(text, this.options);
    const keys = paragraphs.map((p) => ParagraphCache.key(modelKey, p.text));
    const results: (T[] | undefined)[] = keys.map((k) => this.cache.get(k));
    const missing = results.flatMap((r, i) => (r === undefined ? [i] : []));
    let done = paragraphs.length - missing.length;
    options.onProgress?.(done, paragraphs.length);
    const collect = (): T[] => paragraphs.flatMap((p, i) => shiftSpans(results[i] ?? [], p.start));
    if (done > 0 && missing.length > 0) options.onPartial?.(collect);
    const spans = options.plan ? paragraphs.map((p) => ({ start: p.start, end: p.start + p.text.length })) : [];
    const charsPerCall = this.options.charsPerCall ?? 64_000;
    let pending = missing;
    while (pending.length > 0) {
      throwIfAborted(options.signal);
      const { order, urgent } = options.plan?.(spans, pending) ?? { order: pending, urgent: 0 };
      // Edited and visible paragraphs form a call of their own: their results come back without waiting for others.
      const most = urgent > 0 ? urgent : order.length;
      const chunk: number[] = [];
      let chars = 0;
      for (const k of order) {
        if (chunk.length >= most || (chunk.length > 0 && chars + paragraphs[k].text.length > charsPerCall)) break;
        chars += paragraphs[k].text.length;
        chunk.push(k);
      }
      const taken = new Set(chunk);
      pending = pending.filter((k) => !taken.has(k));
      const before = done;
      const found = await this.run(
        chunk.map((k) => paragraphs[k].text),
        options.signal,
        (finished) => options.onProgress?.(before + Math.min(finished, chunk.length), paragraphs.length),
      );
      throwIfAborted(options.signal);
      chunk.forEach((k, j) => {
        results[k] = found[j];
        this.cache.set(keys[k], found[j]);
      });
      done += chunk.length;
      options.onProgress?.(done, paragraphs.length);
      if (pending.length > 0) options.onPartial?.(collect);
    }
    return { items: collect(), paragraphs: paragraphs.length, rerun: missing.length };
  }

  /**
   * What earlier runs finished for `text`: per paragraph its results (paragraph offsets) or undefined where none is
   * cached. A cancelled run's finished paragraphs are in the cache, so this is what it can keep.
   */
  finished(modelKey: string, text: string): { paragraphs: Span[]; results: (T[] | undefined)[] } {
    const paragraphs = splitParagraphs(text, this.options);
    return {
      paragraphs: paragraphs.map((p) => ({ start: p.start, end: p.start + p.text.length })),
      results: paragraphs.map((p) => this.cache.peek(ParagraphCache.key(modelKey, p.text))),
    };
  }

  cacheStats(): CacheStats {
    return this.cache.stats();
  }
}

/**
 * Live mode: each document has at most one annotation in flight; starting a new one (the user typed again) aborts
 * the stale one, so the worker stops spending time on text that no longer exists.
 */
export class LatestOnly {
  private readonly running = new Map<string, AbortController>();

  /** A signal for new work on `key`; the previous work on `key` is aborted. */
  start(key: string, parent?: AbortSignal): AbortSignal {
    this.running.get(key)?.abort();
    const controller = new AbortController();
    parent?.addEventListener('abort', () => controller.abort(), { once: true });
    this.running.set(key, controller);
    return controller.signal;
  }

  /** Forget `key` once its work settled, unless newer work replaced it. */
  finish(key: string, signal: AbortSignal): void {
    if (this.running.get(key)?.signal === signal) this.running.delete(key);
  }

  /** Abort the work on `key` (its document closed, or an edit made it stale) without starting new work. */
  cancel(key: string): void {
    this.running.get(key)?.abort();
    this.running.delete(key);
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
    this.running.clear();
  }
}
