// Owns the editor's curation sessions: one CurationSession per open file document (its .ann beside it), fed with model
// results, edits, saves, closes and on-disk changes; tells the views when a document's curation changed.
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { AnnProblem, CuratedEntity, CurationAction, CurationState } from '../../core/curation/types';
import { shownEntities } from '../../core/pipeline';
import { toTextChange } from '../../core/text/changes';
import { CurationSession, type CurationChange } from '../../host/curationSession';
import { CurationWorkspace, type WorkspaceBulkResult } from '../../host/curationWorkspace';
import type { Services } from '../services';

/** How long views wait after an edit moved annotations (the editor itself moves the drawn ranges meanwhile). */
const EDIT_REFRESH_MS = 60;

/** Which documents get a session: saved files only (a .ann needs a folder), and not the standoff files themselves. */
function curatable(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && !document.uri.fsPath.endsWith('.ann') && document.languageId !== 'log';
}

export class CurationController implements vscode.Disposable {
  private readonly sessions = new Map<string, CurationSession>();
  /** The text each document had when last saved or opened: tells a reload from disk apart from an undo to it. */
  private readonly savedTexts = new Map<string, string>();
  private readonly editTimers = new Map<string, NodeJS.Timeout>();
  private readonly emitter = new vscode.EventEmitter<string>();
  /** Fires with a document uri whenever its curated state changed (action, undo, merge, reload, edit). */
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private showRejectedValue = false;

  constructor(private readonly services: Services) {
    const { store } = services;
    this.subscriptions.push(
      this.emitter,
      vscode.workspace.onDidOpenTextDocument((d) => void this.sessionFor(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const uri = e.document.uri.toString();
        const session = this.sessions.get(uri);
        if (!session || e.contentChanges.length === 0) return;
        const text = e.document.getText();
        // The file changed on disk and VS Code reloaded it: its .ann was not updated with it, so mentions are checked
        // against the new text and flagged, never shifted. isDirty alone cannot tell (it is still false during the
        // first keystroke after a save), so the disk is asked, and only then.
        if (!e.document.isDirty && e.reason === undefined && text !== this.savedTexts.get(uri) && diskText(e.document) === text) {
          this.savedTexts.set(uri, text);
          session.textChangedOnDisk(text);
          return;
        }
        session.applyTextChanges(e.contentChanges.map(toTextChange), text);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        const session = this.sessions.get(d.uri.toString());
        if (!session) return;
        const text = d.getText();
        this.savedTexts.set(d.uri.toString(), text);
        session.saved(text);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.close(d.uri.toString())),
      // Model results become suggestions; a failed run or a crashed worker changes nothing here (no 'annotated' event).
      store.onDidChange(({ uri, reason }) => {
        if (reason !== 'annotated' && reason !== 'relations') return;
        const annotations = store.get(uri);
        const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
        if (!annotations || !document || annotations.version !== document.version) return;
        void this.sessionFor(document).then((session) => {
          if (!session) return;
          const entities = shownEntities(annotations.entities, services.config.current.ner.minScore);
          // Relations are only the shown entities' pairs; an 'annotated' event has none yet (they follow).
          session.mergeSuggestions(entities, annotations.relations ?? [], { relationModel: annotations.relationsModel });
        });
      }),
      this.watchAnnFiles(),
    );
    for (const document of vscode.workspace.textDocuments) void this.sessionFor(document);
  }

  get showRejected(): boolean {
    return this.showRejectedValue;
  }

  toggleRejected(): boolean {
    this.showRejectedValue = !this.showRejectedValue;
    for (const uri of this.sessions.keys()) this.emitter.fire(uri);
    return this.showRejectedValue;
  }

  /**
   * Whether curation is offered in this document (keys, menus, lightbulb): it has curated entities, or it is one of
   * the kinds BioM annotates (biom.documentSelector). In source code a selection gets no "Add entity" lightbulb.
   */
  isCurating(document: vscode.TextDocument): boolean {
    const session = this.sessions.get(document.uri.toString());
    if (!session) return false;
    return session.state.entities.length > 0 || vscode.languages.match(this.services.config.current.documentSelector, document) > 0;
  }

  /** The session of an open document, if it has one already (no file is read). */
  get(uri: string): CurationSession | undefined {
    return this.sessions.get(uri);
  }

  state(uri: string): CurationState | undefined {
    return this.sessions.get(uri)?.document.state;
  }

  entities(uri: string): readonly CuratedEntity[] {
    return this.sessions.get(uri)?.document.state.entities ?? [];
  }

  /** Opens (once) the session of a file document: its .ann is read now, so reopening shows it without a model run. */
  sessionFor(document: vscode.TextDocument): Promise<CurationSession | undefined> {
    if (!curatable(document)) return Promise.resolve(undefined);
    const uri = document.uri.toString();
    const open = this.sessions.get(uri);
    if (open) return Promise.resolve(open);
    try {
      const text = document.getText();
      const { format, autoSave } = this.services.config.current.curation;
      const session = new CurationSession({ uri, textPath: document.uri.fsPath, text, format, autoSave });
      session.onDidChange((change) => this.changed(document, session, change));
      this.sessions.set(uri, session);
      this.savedTexts.set(uri, text);
      session.open();
      return Promise.resolve(session);
    } catch (error) {
      this.sessions.delete(uri);
      const message = error instanceof Error ? error.message : String(error);
      this.services.output.error(`Curation of ${document.uri.fsPath} could not start: ${message}`);
      void vscode.window.showErrorMessage(`BioM: ${basename(document.uri.fsPath)}: ${message}`);
      return Promise.resolve(undefined);
    }
  }

  /** Redraws, and says what the user must know: unreadable lines, a conflict kept as two files, a failed write. */
  private changed(document: vscode.TextDocument, session: CurationSession, change: CurationChange): void {
    const uri = document.uri.toString();
    if ((change.reason === 'opened' || change.reason === 'reloaded') && change.problems && change.problems.length > 0) {
      this.reportProblems(session.path, change.problems);
    }
    if (change.reason === 'conflict' && change.conflictPath) this.reportConflict(session.path, change.conflictPath);
    if (change.reason === 'saveFailed') {
      this.services.output.error(change.message ?? `Could not write ${session.path}`);
      void vscode.window.showErrorMessage(
        `BioM: ${change.message ?? `could not write ${session.path}`}. Your decisions are kept in the editor; they are written at the next action or save.`,
      );
    }
    if (change.reason !== 'edited') {
      clearTimeout(this.editTimers.get(uri));
      this.editTimers.delete(uri);
      this.emitter.fire(uri);
      return;
    }
    // Typing: VS Code moves the drawn ranges itself, so views catch up once a burst of keystrokes pauses.
    if (this.editTimers.has(uri)) return;
    this.editTimers.set(
      uri,
      setTimeout(() => {
        this.editTimers.delete(uri);
        this.emitter.fire(uri);
      }, EDIT_REFRESH_MS),
    );
  }

  /** Applies one action to a document's curation; says why when there is nothing to act on. */
  async apply(document: vscode.TextDocument, action: CurationAction): Promise<boolean> {
    const session = await this.sessionFor(document);
    if (!session) {
      void vscode.window.showInformationMessage('BioM: curation needs a saved file (its annotations go in a .ann file beside it).');
      return false;
    }
    session.apply(action);
    return true;
  }

  /**
   * Accepts or rejects every mention with this text and label in every curated document of `folder`: open ones
   * through their sessions (one undo step each), the others read, changed and written atomically.
   */
  applyInFolder(folder: string, text: string, label: string, kind: 'accept' | 'reject'): WorkspaceBulkResult {
    const workspace = new CurationWorkspace({
      format: this.services.config.current.curation.format,
      sessions: () => this.sessions.values(),
    });
    return workspace.bulk(folder, { text, label }, kind);
  }

  /** Writes every open document's curation now (deactivate, before export). */
  async flushAll(): Promise<void> {
    for (const session of this.sessions.values()) session.flush();
  }

  private close(uri: string): void {
    const session = this.sessions.get(uri);
    if (!session) return;
    this.sessions.delete(uri);
    this.savedTexts.delete(uri);
    session.dispose();
    clearTimeout(this.editTimers.get(uri));
    this.editTimers.delete(uri);
    this.emitter.fire(uri);
  }

  private reportProblems(ann: string, problems: readonly AnnProblem[]): void {
    const [first] = problems;
    if (!first) return;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more lines, see the log)` : '';
    for (const p of problems) this.services.output.warn(`${ann}:${p.line}: ${p.message}`);
    void vscode.window
      .showWarningMessage(
        `BioM: ${basename(ann)} line ${first.line}: ${first.message}${more}. The valid lines are shown; the file is left as it is until you curate.`,
        'Open File',
        'Show Log',
      )
      .then((choice) => {
        if (choice === 'Open File') void vscode.window.showTextDocument(vscode.Uri.file(ann), { selection: lineRange(first.line) });
        if (choice === 'Show Log') this.services.output.show();
      });
  }

  /** A .ann changed on disk (git pull, another annotator): its open document reloads it, or keeps both on conflict. */
  private watchAnnFiles(): vscode.Disposable {
    // Both kinds of curation file (a session knows its own path, so one watcher serves either setting).
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{ann,bioc.json}');
    const changed = (ann: vscode.Uri): void => {
      for (const session of this.sessions.values()) if (session.path === ann.fsPath) session.checkDisk();
    };
    return vscode.Disposable.from(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
  }

  /** Both versions are kept: the file on disk is loaded, ours was written beside it; Compare shows the difference. */
  private reportConflict(ann: string, ours: string): void {
    const name = basename(ann);
    this.services.output.warn(`${ann} changed on disk while curation actions were unsaved; yours are in ${ours}`);
    void vscode.window
      .showWarningMessage(
        `BioM: ${name} changed on disk while you had unsaved curation actions. The file on disk is shown; yours are kept in ${basename(ours)}.`,
        'Compare',
      )
      .then((choice) => {
        if (choice !== 'Compare') return;
        void vscode.commands.executeCommand(
          'vscode.diff',
          vscode.Uri.file(ann),
          vscode.Uri.file(ours),
          `${name} (on disk) ↔ ${basename(ours)} (yours)`,
        );
      });
  }

  dispose(): void {
    for (const timer of this.editTimers.values()) clearTimeout(timer);
    for (const s of this.subscriptions) s.dispose();
    // Disposing writes each session's pending decisions.
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
  }
}

function diskText(document: vscode.TextDocument): string | undefined {
  try {
    return readFileSync(document.uri.fsPath, 'utf8');
  } catch {
    return undefined;
  }
}

function lineRange(line: number): vscode.Range {
  return new vscode.Range(Math.max(0, line - 1), 0, Math.max(0, line - 1), 0);
}
