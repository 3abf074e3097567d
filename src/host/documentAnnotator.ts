// Owns running the models on open documents (no 'vscode'): stale work cancelled, edits during a run applied to its
// results, Annotate Selection's range followed through those edits, and one relation extraction per request.
import type { ModelRef } from '../core/engine';
import { CancelledError } from '../core/errors';
import { LatestOnly } from '../core/incremental';
import { modelName, shownEntities, type FinishedEntities, type FoundEntities } from '../core/pipeline';
import { mapSpans, shiftSpans, type TextChange } from '../core/text/changes';
import type { Aggregation, AnnotatedEntity, Answer, Relation, Span } from '../core/types';
import type { AnnotationStore } from './annotationStore';
import type { AnnotationBackend } from './backend';
import { needsPreview, previewSpan } from './visiblePreview';
import { DocumentPriorities, paragraphOrder } from './visibleFirst';

/** What the annotator reads of a document; the editor glue adapts vscode.TextDocument (version changes with edits). */
export interface HostDocument {
  readonly uri: string;
  readonly version: number;
  /** File name for people (progress titles, logs). */
  readonly name: string;
  getText(): string;
}

export type Outcome<T> = { kind: 'done'; value: T } | { kind: 'cancelled' } | { kind: 'failed'; error: Error };

/** Work the editor shows progress for: `long` texts get a cancellable notification unless `quiet`. */
export interface ProgressRequest {
  title: string;
  long: boolean;
  quiet: boolean;
}

export type Activity = 'annotating' | 'relations' | 'answering';

export interface DocumentAnnotatorDeps {
  backend: AnnotationBackend;
  store: AnnotationStore;
  /** `normalization` absent or undefined: entities get no database ids. */
  settings(): { aggregation: Aggregation; minScore: number; normalization?: { species: string } };
  models(): { ner: readonly ModelRef[]; relations: ModelRef; qa: ModelRef };
  /** Runs `work` with progress UI; the signal aborts on `stale` or when the user cancels. Default: no UI. */
  withProgress?<T>(
    request: ProgressRequest,
    stale: AbortSignal,
    work: (signal: AbortSignal, report: (fraction: number) => void) => Promise<T>,
  ): Promise<Outcome<T>>;
  status?: { busy(uri: string, activity: Activity, fraction: number | undefined): void; idle(uri: string): void };
  /** A run failed (cancellation is not a failure); `quiet` runs (live mode) should not interrupt the user. */
  onFailure?(what: string, error: Error, quiet: boolean): void;
  /** The user cancelled an annotation; `summary` says what was kept ("kept 120 entities from 36 of 200 paragraphs (18%)"). */
  onCancelled?(summary: string): void;
  log?(line: string): void;
}

/**
 * Texts longer than this get a notification with a Cancel button; shorter ones only the status bar. A ChemProt abstract
 * is ~1,500 characters, so ordinary documents stay quiet.
 */
export const LONG_TEXT_CHARS = 20_000;

/** After the first partial result (the visible paragraphs), at most this often: a huge file has hundreds of calls. */
const PARTIAL_EVERY_MS = 250;

export interface AnnotateRequest {
  /** Only this part of the document (Annotate Selection), as offsets into its text when the command ran. */
  range?: Span;
  /** Live mode: no notification, errors only in the log and status bar. */
  quiet?: boolean;
}

/** Runs `work` on `signal`; a cancellation (or an abort mid-way) is an outcome, not an error. */
export async function outcomeOf<T>(signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<Outcome<T>> {
  try {
    const value = await work(signal);
    return signal.aborted ? { kind: 'cancelled' } : { kind: 'done', value };
  } catch (e) {
    if (e instanceof CancelledError || signal.aborted) return { kind: 'cancelled' };
    return { kind: 'failed', error: e instanceof Error ? e : new Error(String(e)) };
  }
}

export class DocumentAnnotator {
  private readonly ner = new LatestOnly();
  private readonly relationWork = new LatestOnly();
  private readonly qaWork = new LatestOnly();
  /**
   * Edits that arrive while a document is being annotated; results (and a selection's range) are moved through them
   * before they are stored. The backend's paragraph cache is keyed by text, never by offsets, so this is the only place
   * run results are corrected for edits.
   */
  private readonly editsDuringRun = new Map<string, TextChange[][]>();
  /** Extractions that are annotating first: a second request meanwhile joins it instead of classifying twice. */
  private readonly extracting = new Map<string, Promise<Relation[] | undefined>>();
  /** What each document's user sees and changed: the order its paragraphs are annotated in. */
  private readonly priorities = new Map<string, DocumentPriorities>();

  constructor(private readonly deps: DocumentAnnotatorDeps) {}

  private prioritiesOf(uri: string): DocumentPriorities {
    let p = this.priorities.get(uri);
    if (!p) {
      p = new DocumentPriorities();
      this.priorities.set(uri, p);
    }
    return p;
  }

  /**
   * The editor scrolled (or opened) the document: pending paragraphs are re-ordered around these ranges (document
   * offsets); a worker call already running finishes first. The benchmark calls this as the editor glue does.
   */
  visibleRangesChanged(uri: string, ranges: readonly Span[]): void {
    this.prioritiesOf(uri).setVisible(ranges);
  }

  /** One editor change event (offsets against the text before it). */
  edited(uri: string, version: number, changes: readonly TextChange[]): void {
    this.editsDuringRun.get(uri)?.push([...changes]);
    this.priorities.get(uri)?.applyEdits(changes);
    this.deps.store.applyEdits(uri, version, changes);
  }

  /** The document closed: its work stops and its annotations go. */
  closed(uri: string): void {
    this.priorities.delete(uri);
    this.ner.cancel(uri);
    this.relationWork.cancel(uri);
    this.qaWork.cancel(uri);
    this.deps.store.clear(uri);
  }

  /** Stops NER and relation work on the document (Clear Annotations, live mode typing). */
  cancel(uri: string): void {
    this.ner.cancel(uri);
    this.relationWork.cancel(uri);
  }

  /**
   * A large model's first decorations: the first visible sentences run on their own before the whole visible paragraph
   * (see visiblePreview.ts). A failure here is not the run's failure: the exact run follows and reports its own.
   */
  private async preview(
    text: string,
    models: readonly ModelRef[],
    visible: readonly Span[],
    signal: AbortSignal,
    show: (entities: AnnotatedEntity[]) => void,
  ): Promise<void> {
    const span = previewSpan(text, visible);
    if (!span || !needsPreview(models)) return;
    try {
      const found = await this.deps.backend.annotate(text.slice(span.start, span.end), {
        models,
        aggregation: this.deps.settings().aggregation,
        signal,
      });
      if (!signal.aborted) show(shiftSpans(found.entities, span.start));
    } catch {
      // Cancelled or failed: the exact run below decides what the user sees.
    }
  }

  /**
   * Runs NER on the document (or a range of it) and stores every entity (minScore is applied when shown, so changing
   * it needs no run). The backend re-runs only paragraphs it has not seen.
   */
  async annotate(document: HostDocument, request: AnnotateRequest = {}): Promise<AnnotatedEntity[] | undefined> {
    const { uri } = document;
    const stale = this.ner.start(uri);
    const full = document.getText();
    const range = request.range;
    const text = range ? full.slice(range.start, range.end) : full;
    const version = document.version;
    const { backend, store, status } = this.deps;
    const models = this.deps.models().ner;
    const edits: TextChange[][] = [];
    this.editsDuringRun.set(uri, edits);
    status?.busy(uri, 'annotating', 0);
    // Offsets of the text as it was when the run started, then moved through every edit made while it ran.
    const base = range?.start ?? 0;
    const place = (found: AnnotatedEntity[]): AnnotatedEntity[] => {
      let placed = shiftSpans(found, base);
      for (const event of edits) placed = mapSpans(placed, event, 'drop');
      return placed;
    };
    // Edited paragraphs first (this run covers those edits), then the visible ones, then outward; re-read before
    // every worker call, so scrolling meanwhile re-orders what is left.
    const priorities = this.prioritiesOf(uri);
    const editedBefore = priorities.takeEdited();
    const inText = (spans: readonly Span[]): Span[] => spans.map((s) => ({ start: s.start - base, end: s.end - base }));
    const plan = (paragraphs: readonly Span[], pending: readonly number[]) => {
      const now = priorities.current();
      return paragraphOrder(paragraphs, pending, { visible: inText(now.visible), edited: inText([...editedBefore, ...now.edited]) });
    };
    // Whole-document runs show paragraphs as they finish; a selection's run replaces its range once, at the end.
    let lastPartial = 0;
    const onPartial = range
      ? undefined
      : (known: () => AnnotatedEntity[]) => {
          const now = Date.now();
          if (lastPartial !== 0 && now - lastPartial < PARTIAL_EVERY_MS) return;
          lastPartial = now;
          if (!stale.aborted) store.setPartialEntities(uri, document.version, place(known()));
        };
    const outcome = await this.run(
      { title: `BioM: annotating ${document.name}`, long: text.length > LONG_TEXT_CHARS, quiet: request.quiet === true },
      stale,
      async (signal, report) => {
        // Live mode re-runs only edited paragraphs; an explicit Annotate of a whole document gets the quick first look.
        if (!range && request.quiet !== true)
          await this.preview(text, models, inText(priorities.current().visible), signal, (entities) => {
            if (!stale.aborted) store.setPartialEntities(uri, document.version, place(entities));
          });
        return backend.annotate(text, {
          models,
          aggregation: this.deps.settings().aggregation,
          normalization: this.deps.settings().normalization,
          signal,
          onProgress: (fraction) => {
            report(fraction);
            status?.busy(uri, 'annotating', fraction);
          },
          plan,
          onPartial,
        });
      },
    );
    this.ner.finish(uri, stale);
    status?.idle(uri);
    if (outcome.kind === 'failed') {
      store.markFailed(uri, outcome.error.message);
      this.deps.onFailure?.('Annotation', outcome.error, request.quiet === true);
    }
    const keep = outcome.kind === 'done' || (outcome.kind === 'cancelled' && !stale.aborted);
    const value = keep ? (outcome.kind === 'done' ? outcome.value : await this.keepFinished(text, models)) : undefined;
    if (this.editsDuringRun.get(uri) === edits) this.editsDuringRun.delete(uri);
    if (!value || outcome.kind === 'failed') return undefined;
    // The selection moves with the edits made while it ran ('stretch': typing at its edges or inside keeps it one range).
    const entities = place(value.entities);
    let target: Span | undefined = range;
    for (const event of edits) {
      if (target) target = mapSpans([target], event, 'stretch')[0] ?? { start: target.start, end: target.start };
    }
    if (target) store.replaceEntitiesIn(uri, document.version, target, entities);
    else store.setEntities(uri, document.version, entities);
    if (outcome.kind === 'cancelled') {
      const { done, paragraphs } = value as FinishedEntities;
      const summary =
        `Annotation of ${document.name} cancelled: kept ${entities.length} entities from the ${done} of ${paragraphs} paragraphs ` +
        `that finished (${paragraphs === 0 ? 0 : Math.round((100 * done) / paragraphs)}%).`;
      this.deps.log?.(summary);
      this.deps.onCancelled?.(summary);
      // Cancelled is still not done: Extract Relations and the commands stop here.
      return undefined;
    }
    const { paragraphs, rerun } = value as FoundEntities;
    this.deps.log?.(
      `${document.name} v${version}: ${entities.length} entities from ${models.map(modelName).join(', ')} ` +
        `(${rerun} paragraph runs for ${paragraphs} paragraphs; the rest were cached)`,
    );
    return entities;
  }

  /**
   * Relations between the document's shown entities; annotates first when the document has none for this version.
   * While that first annotation runs, another request for the document (the panel following re-annotation) gets
   * this one's answer instead of sending the pairs to the worker a second time.
   */
  extractRelations(document: HostDocument, request: { quiet?: boolean } = {}): Promise<Relation[] | undefined> {
    const { uri } = document;
    const pending = this.extracting.get(uri);
    if (pending) return pending;
    const current = this.deps.store.get(uri);
    // Partial entities belong to a run still going: relations wait for (or start) a whole annotation.
    if (current && current.version === document.version && !current.partial) return this.classify(document, request.quiet === true);
    const work = (async () => {
      try {
        if (!(await this.annotate(document, request))) return undefined;
      } finally {
        this.extracting.delete(uri);
      }
      return this.classify(document, request.quiet === true);
    })();
    this.extracting.set(uri, work);
    return work;
  }

  /** `quiet`: the panel following re-annotation (live mode) — no notification, failures only in the log and status bar. */
  private async classify(document: HostDocument, quiet: boolean): Promise<Relation[] | undefined> {
    const { uri } = document;
    const { store, backend, status } = this.deps;
    const current = store.get(uri);
    if (!current) return undefined;
    const stale = this.relationWork.start(uri);
    const text = document.getText();
    const version = document.version;
    const entities = shownEntities(current.entities, this.deps.settings().minScore);
    const model = this.deps.models().relations;
    status?.busy(uri, 'relations', 0);
    const outcome = await this.run(
      { title: `BioM: relations in ${document.name}`, long: text.length > LONG_TEXT_CHARS, quiet },
      stale,
      (signal, report) =>
        backend.relations(text, entities, model, {
          signal,
          onProgress: (fraction) => {
            report(fraction);
            status?.busy(uri, 'relations', fraction);
          },
        }),
    );
    this.relationWork.finish(uri, stale);
    status?.idle(uri);
    if (outcome.kind !== 'done') {
      if (outcome.kind === 'failed') {
        store.markFailed(uri, outcome.error.message);
        this.deps.onFailure?.('Relation extraction', outcome.error, quiet);
      }
      return undefined;
    }
    const { relations, pairs, pairsRerun, sentencesRerun } = outcome.value;
    this.deps.log?.(
      `${document.name} v${version}: ${relations.length} relations from ${modelName(model)} ` +
        `(${pairsRerun} of ${pairs} pairs classified in ${sentencesRerun} sentences; the rest were cached)`,
    );
    // Edits while the pairs were classified invalidate their offsets; the store keeps only results for its version.
    if (document.version === version) store.setRelations(uri, version, relations, modelName(model));
    return relations;
  }

  /** Answers from the model; `offset` is where `context` starts in the document, answers come back in document offsets. */
  async answer(document: HostDocument, question: string, context: string, offset: number, topK: number): Promise<Answer[] | undefined> {
    const { uri } = document;
    const stale = this.qaWork.start(uri);
    const model = this.deps.models().qa;
    this.deps.status?.busy(uri, 'answering', undefined);
    const outcome = await this.run(
      { title: `BioM: answering in ${document.name}`, long: context.length > LONG_TEXT_CHARS, quiet: false },
      stale,
      (signal) => this.deps.backend.answer(question, context, model, topK, signal),
    );
    this.qaWork.finish(uri, stale);
    this.deps.status?.idle(uri);
    if (outcome.kind !== 'done') {
      if (outcome.kind === 'failed') this.deps.onFailure?.('Question answering', outcome.error, false);
      return undefined;
    }
    return shiftSpans(outcome.value, offset);
  }

  /**
   * The user cancelled (not a newer run or an edit replacing this one): the paragraphs that finished are in the
   * backend's cache and correct, so they are kept.
   */
  private keepFinished(text: string, models: readonly ModelRef[]): Promise<FinishedEntities> {
    const { aggregation, normalization } = this.deps.settings();
    return this.deps.backend.finished(text, { models, aggregation, normalization });
  }

  dispose(): void {
    this.ner.cancelAll();
    this.relationWork.cancelAll();
    this.qaWork.cancelAll();
  }

  private run<T>(
    request: ProgressRequest,
    stale: AbortSignal,
    work: (signal: AbortSignal, report: (fraction: number) => void) => Promise<T>,
  ): Promise<Outcome<T>> {
    if (this.deps.withProgress) return this.deps.withProgress(request, stale, work);
    return outcomeOf(stale, (signal) => work(signal, () => undefined));
  }
}
