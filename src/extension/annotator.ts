// Owns running the models on documents: cancellation of stale work, progress for long documents, edits during a run.
import * as vscode from 'vscode';
import type { ModelRef } from '../core/engine';
import { CancelledError } from '../core/errors';
import { LatestOnly } from '../core/incremental';
import type { Answer, Relation } from '../core/types';
import type { AnnotationStore } from './annotationStore';
import { modelName, type AnnotationBackend } from './backend';
import { abortSignalFrom } from './cancellation';
import type { ConfigService } from './configService';
import { toTextChange, mapSpans, type TextChange } from './decorations/rangeTracking';
import { visibleEntities, type AnnotatedEntity } from './entities';
import type { ModelRefs } from './models/modelRefs';
import type { StatusBar } from './statusBar';
import { CommandId } from './commands/commandIds';

/**
 * Texts longer than this get a notification with a Cancel button; shorter ones only the status bar. A ChemProt abstract
 * is ~1,500 characters, so ordinary documents stay quiet.
 */
const LONG_TEXT_CHARS = 20_000;

export interface AnnotatorDeps {
  backend: AnnotationBackend;
  store: AnnotationStore;
  config: ConfigService;
  status: StatusBar;
  models(): ModelRefs;
  output: vscode.LogOutputChannel;
}

export interface AnnotateRequest {
  /** Only this part of the document (Annotate Selection). */
  range?: vscode.Range;
  /** Live mode: no notification, errors only in the log and status bar. */
  quiet?: boolean;
}

type Outcome<T> = { kind: 'done'; value: T } | { kind: 'cancelled' } | { kind: 'failed'; error: Error };

export class Annotator implements vscode.Disposable {
  private readonly ner = new LatestOnly();
  private readonly relationWork = new LatestOnly();
  private readonly qaWork = new LatestOnly();
  /**
   * Edits that arrive while a document is being annotated; results are moved through them before they are stored.
   * This is the only place run results are corrected for edits: the backend's paragraph cache is keyed by text, not
   * by offsets, so it never holds positions that an edit could make stale.
   */
  private readonly editsDuringRun = new Map<string, TextChange[][]>();
  private readonly subscription = vscode.workspace.onDidChangeTextDocument((e) => {
    const uri = e.document.uri.toString();
    const changes = e.contentChanges.map(toTextChange);
    this.editsDuringRun.get(uri)?.push(changes);
    this.deps.store.applyEdits(uri, e.document.version, changes);
  });
  private readonly closeSubscription = vscode.workspace.onDidCloseTextDocument((document) => {
    const uri = document.uri.toString();
    this.ner.cancel(uri);
    this.relationWork.cancel(uri);
    this.qaWork.cancel(uri);
    this.deps.store.clear(uri);
  });

  constructor(private readonly deps: AnnotatorDeps) {}

  /**
   * Runs NER on the document (or a range of it) and stores the entities; stale runs on the same document stop.
   * The backend re-runs only paragraphs it has not seen, so re-annotating after an edit costs the edited paragraphs.
   */
  async annotate(document: vscode.TextDocument, request: AnnotateRequest = {}): Promise<AnnotatedEntity[] | undefined> {
    const uri = document.uri.toString();
    const stale = this.ner.start(uri);
    const base = request.range ? document.offsetAt(request.range.start) : 0;
    const text = request.range ? document.getText(request.range) : document.getText();
    const version = document.version;
    const { config, backend, store, status } = this.deps;
    const models = this.deps.models().ner;
    const edits: TextChange[][] = [];
    this.editsDuringRun.set(uri, edits);
    status.busy(uri, 'annotating', 0);
    const outcome = await this.withProgress(
      text.length > LONG_TEXT_CHARS && !request.quiet ? 'notification' : 'window',
      `BioM: annotating ${documentName(document)}`,
      stale,
      (signal, report) =>
        backend.annotate(text, {
          models,
          aggregation: config.current.ner.aggregation,
          normalization: config.current.normalization.enabled ? { species: config.current.normalization.geneSpecies } : undefined,
          signal,
          onProgress: (fraction) => {
            report(fraction);
            status.busy(uri, 'annotating', fraction);
          },
        }),
    );
    this.ner.finish(uri, stale);
    if (this.editsDuringRun.get(uri) === edits) this.editsDuringRun.delete(uri);
    status.idle(uri);
    if (outcome.kind !== 'done') {
      this.report(outcome, 'Annotation', request.quiet);
      return undefined;
    }
    // Offsets of the text as it was when the run started, then moved through every edit made while it ran.
    let entities = outcome.value.entities.map((e) => ({ ...e, start: e.start + base, end: e.end + base }));
    for (const event of edits) entities = mapSpans(entities, event, 'drop');
    if (request.range) {
      const start = document.offsetAt(request.range.start);
      store.replaceEntitiesIn(uri, document.version, { start, end: start + text.length }, entities);
    } else {
      store.setEntities(uri, document.version, entities);
    }
    const { paragraphs, rerun } = outcome.value;
    this.deps.output.info(
      `${documentName(document)} v${version}: ${entities.length} entities from ${models.map(modelName).join(', ')} ` +
        `(${rerun} paragraph runs for ${paragraphs} paragraphs; the rest were cached)`,
    );
    return entities;
  }

  /** Relations between the document's shown entities; annotates first when the document has none yet. */
  async extractRelations(document: vscode.TextDocument): Promise<Relation[] | undefined> {
    const uri = document.uri.toString();
    const { store, backend, config, status } = this.deps;
    let current = store.get(uri);
    if (!current || current.version !== document.version) {
      if (!(await this.annotate(document))) return undefined;
      current = store.get(uri);
    }
    if (!current) return undefined;
    const stale = this.relationWork.start(uri);
    const text = document.getText();
    const version = document.version;
    const entities = visibleEntities(current.entities, config.current.ner.minScore);
    const model = this.deps.models().relations;
    status.busy(uri, 'relations', undefined);
    const outcome = await this.withProgress(
      text.length > LONG_TEXT_CHARS ? 'notification' : 'window',
      `BioM: relations in ${documentName(document)}`,
      stale,
      (signal) => backend.relations(text, entities, model, signal),
    );
    this.relationWork.finish(uri, stale);
    status.idle(uri);
    if (outcome.kind !== 'done') {
      this.report(outcome, 'Relation extraction');
      return undefined;
    }
    // Edits while the pairs were classified invalidate their offsets; the store keeps only results for its version.
    if (document.version === version) store.setRelations(uri, version, outcome.value);
    return outcome.value;
  }

  /** Answers from the model; `offset` is where `context` starts in the document, answers come back in document offsets. */
  async answer(document: vscode.TextDocument, question: string, context: string, offset: number, topK: number): Promise<Answer[] | undefined> {
    const uri = document.uri.toString();
    const stale = this.qaWork.start(uri);
    const model: ModelRef = this.deps.models().qa;
    this.deps.status.busy(uri, 'answering', undefined);
    const outcome = await this.withProgress(
      context.length > LONG_TEXT_CHARS ? 'notification' : 'window',
      `BioM: answering in ${documentName(document)}`,
      stale,
      (signal) => this.deps.backend.answer(question, context, model, topK, signal),
    );
    this.qaWork.finish(uri, stale);
    this.deps.status.idle(uri);
    if (outcome.kind !== 'done') {
      this.report(outcome, 'Question answering');
      return undefined;
    }
    return outcome.value.map((a) => ({ ...a, start: a.start + offset, end: a.end + offset }));
  }

  cancel(document: vscode.TextDocument): void {
    const uri = document.uri.toString();
    this.ner.cancel(uri);
    this.relationWork.cancel(uri);
  }

  private async withProgress<T>(
    where: 'notification' | 'window',
    title: string,
    stale: AbortSignal,
    work: (signal: AbortSignal, report: (fraction: number) => void) => Promise<T>,
  ): Promise<Outcome<T>> {
    const location = where === 'notification' ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window;
    return vscode.window.withProgress({ location, title, cancellable: where === 'notification' }, async (progress, token) => {
      const { signal, dispose } = abortSignalFrom(token, stale);
      let reported = 0;
      try {
        const value = await work(signal, (fraction) => {
          const percent = Math.round(fraction * 100);
          progress.report({ increment: percent - reported, message: `${percent}%` });
          reported = percent;
        });
        return signal.aborted ? { kind: 'cancelled' } : { kind: 'done', value };
      } catch (e) {
        if (e instanceof CancelledError || signal.aborted) return { kind: 'cancelled' };
        return { kind: 'failed', error: e instanceof Error ? e : new Error(String(e)) };
      } finally {
        dispose();
      }
    });
  }

  private report(outcome: Outcome<unknown>, what: string, quiet = false): void {
    if (outcome.kind !== 'failed') return;
    this.deps.output.error(`${what} failed: ${outcome.error.message}`);
    this.deps.status.failed(outcome.error.message);
    if (quiet) return;
    void vscode.window.showErrorMessage(`BioM: ${what} failed: ${outcome.error.message}`, 'Select Model…', 'Show Log').then((choice) => {
      if (choice === 'Show Log') this.deps.output.show();
      if (choice === 'Select Model…') void vscode.commands.executeCommand(CommandId.selectModel);
    });
  }

  dispose(): void {
    this.ner.cancelAll();
    this.relationWork.cancelAll();
    this.qaWork.cancelAll();
    this.subscription.dispose();
    this.closeSubscription.dispose();
  }
}

export function documentName(document: vscode.TextDocument): string {
  const path = document.uri.path;
  return document.isUntitled ? document.uri.path || 'Untitled' : path.slice(path.lastIndexOf('/') + 1);
}
