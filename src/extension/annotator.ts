// Owns the editor side of running models: document events in, progress notifications and error messages out.
// What runs, and how results follow edits, is the host's DocumentAnnotator (src/host/documentAnnotator.ts).
import * as vscode from 'vscode';
import type { AnnotatedEntity, Answer, Relation } from '../core/types';
import type { AnnotationStore } from '../host/annotationStore';
import type { AnnotationBackend } from '../host/backend';
import { abortSignalFrom } from '../host/cancellation';
import { DocumentAnnotator, outcomeOf, type HostDocument, type Outcome, type ProgressRequest } from '../host/documentAnnotator';
import { toTextChange } from '../core/text/changes';
import type { ConfigService } from './configService';
import type { ModelRefs } from './models/modelRefs';
import type { StatusBar } from './statusBar';
import { CommandId } from './commands/commandIds';
import { basename } from 'node:path';
import { DEMO_MODELS, demoNotice } from '../host/modelFolderAdvice';

export interface AnnotatorDeps {
  backend: AnnotationBackend;
  store: AnnotationStore;
  config: ConfigService;
  status: StatusBar;
  models(): ModelRefs;
  output: vscode.LogOutputChannel;
  /** Where "the demo model note was shown" is remembered (globalState): it is said once, not per window. */
  memento?: vscode.Memento;
}

const DEMO_NOTICE_KEY = 'biom.demoNoticeShown';

export interface AnnotateRequest {
  /** Only this part of the document (Annotate Selection). */
  range?: vscode.Range;
  /** Live mode: no notification, errors only in the log and status bar. */
  quiet?: boolean;
}

export class Annotator implements vscode.Disposable {
  private readonly host: DocumentAnnotator;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly deps: AnnotatorDeps) {
    this.host = new DocumentAnnotator({
      backend: deps.backend,
      store: deps.store,
      settings: () => {
        const { ner, normalization } = deps.config.current;
        return { ...ner, normalization: normalization.enabled ? { species: normalization.geneSpecies } : undefined };
      },
      models: () => deps.models(),
      withProgress: (request, stale, work) => withProgress(request, stale, work),
      status: deps.status,
      onFailure: (what, error, quiet) => this.report(what, error, quiet),
      onCancelled: (summary) => void vscode.window.showInformationMessage(summary),
      log: (line) => deps.output.info(line),
    });
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) =>
        this.host.edited(e.document.uri.toString(), e.document.version, e.contentChanges.map(toTextChange)),
      ),
      vscode.workspace.onDidCloseTextDocument((document) => this.host.closed(document.uri.toString())),
      // Scrolling re-orders the paragraphs still to annotate: what is on screen goes next.
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.noteVisible(e.textEditor.document)),
    ];
  }

  /** Tells the host what of `document` is on screen now, in every editor showing it. */
  private noteVisible(document: vscode.TextDocument): void {
    const ranges = vscode.window.visibleTextEditors
      .filter((editor) => editor.document === document)
      .flatMap((editor) => editor.visibleRanges.map((r) => ({ start: document.offsetAt(r.start), end: document.offsetAt(r.end) })));
    this.host.visibleRangesChanged(document.uri.toString(), ranges);
  }

  /** Annotates the document, or only `request.range` of it (its previous entities there are replaced). */
  annotate(document: vscode.TextDocument, request: AnnotateRequest = {}): Promise<AnnotatedEntity[] | undefined> {
    const range = request.range && { start: document.offsetAt(request.range.start), end: document.offsetAt(request.range.end) };
    // The screen as it is now: a document opened scrolled to the middle starts there, before any scroll event.
    this.noteVisible(document);
    return this.host.annotate(hostDocument(document), { range, quiet: request.quiet }).then((entities) => {
      if (entities) this.noteDemoModel();
      return entities;
    });
  }

  /** The first annotation with the bundled NER model says, once, that it is a demonstration and how to choose another. */
  private noteDemoModel(): void {
    const memento = this.deps.memento;
    if (!memento || memento.get<boolean>(DEMO_NOTICE_KEY)) return;
    const bundled = this.deps.models().ner.some((m) => basename(m.folder) === DEMO_MODELS.ner.name);
    const message = demoNotice('ner', bundled);
    if (!message) return;
    void memento.update(DEMO_NOTICE_KEY, true);
    void vscode.window.showInformationMessage(message, 'Select Model…').then((choice) => {
      if (choice) void vscode.commands.executeCommand(CommandId.selectModel);
    });
  }

  extractRelations(document: vscode.TextDocument, request: { quiet?: boolean } = {}): Promise<Relation[] | undefined> {
    return this.host.extractRelations(hostDocument(document), request);
  }

  answer(document: vscode.TextDocument, question: string, context: string, offset: number, topK: number): Promise<Answer[] | undefined> {
    return this.host.answer(hostDocument(document), question, context, offset, topK);
  }

  cancel(document: vscode.TextDocument): void {
    this.host.cancel(document.uri.toString());
  }

  private report(what: string, error: Error, quiet: boolean): void {
    this.deps.output.error(`${what} failed: ${error.message}`);
    this.deps.status.failed(error.message);
    if (quiet) return;
    void vscode.window.showErrorMessage(`BioM: ${what} failed: ${error.message}`, 'Select Model…', 'Show Log').then((choice) => {
      if (choice === 'Show Log') this.deps.output.show();
      if (choice === 'Select Model…') void vscode.commands.executeCommand(CommandId.selectModel);
    });
  }

  dispose(): void {
    this.host.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Long texts get a notification with Cancel; the rest show in the status bar area only. */
function withProgress<T>(
  request: ProgressRequest,
  stale: AbortSignal,
  work: (signal: AbortSignal, report: (fraction: number) => void) => Promise<T>,
): Promise<Outcome<T>> {
  const notify = request.long && !request.quiet;
  const location = notify ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window;
  return Promise.resolve(
    vscode.window.withProgress({ location, title: request.title, cancellable: notify }, async (progress, token) => {
      const { signal, dispose } = abortSignalFrom(token, stale);
      let reported = 0;
      try {
        return await outcomeOf(signal, (s) =>
          work(s, (fraction) => {
            const percent = Math.round(fraction * 100);
            progress.report({ increment: percent - reported, message: `${percent}%` });
            reported = percent;
          }),
        );
      } finally {
        dispose();
      }
    }),
  );
}

/** The host's view of a document; version and text are read when asked, so they follow edits. */
function hostDocument(document: vscode.TextDocument): HostDocument {
  return {
    uri: document.uri.toString(),
    get version() {
      return document.version;
    },
    name: documentName(document),
    getText: () => document.getText(),
  };
}

export function documentName(document: vscode.TextDocument): string {
  const path = document.uri.path;
  return document.isUntitled ? document.uri.path || 'Untitled' : path.slice(path.lastIndexOf('/') + 1);
}
