// Owns the sidebar QA webview view: questions on the current document or selection, answers, per-document history.
import * as vscode from 'vscode';
import type { QaHostMessage, QaScope, QaWebviewMessage, RequestId } from '../../shared/webviewProtocol';
import { parseQaWebviewMessage } from '../../host/webviewMessages';
import { documentName } from '../annotator';
import type { Services } from '../services';
import { connectWebview, revealSpans, type ReadyChannel } from '../webviewHost';
import { addToHistory, answerViews, historyAfterEdits, newEntry, type QaHistory } from '../../host/qaAnswers';
import { toTextChange } from '../../core/text/changes';
import { QA_VIEW_ID } from './qaViewId';

const HISTORY_KEY = 'biom.qaHistory';

export class QaViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private channel: ReadyChannel<QaHostMessage> | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private lastHasSelection = false;
  /** Questions asked from a command are numbered -1, -2, …: the webview numbers its own from 1. */
  private nextCommandRequest = -1;
  /** The document the view shows answers for; the only one its reveal messages may select text in. */
  private shownUri: string | undefined;

  constructor(private readonly services: Services) {
    this.subscriptions = [
      services.editors.onDidChange(() => this.postDocument()),
      services.editors.onDidChangeSelection((editor) => {
        // Cursor moves are frequent: only a change between "has a selection" and "has none" is worth a message.
        const hasSelection = !editor.selection.isEmpty;
        if (hasSelection === this.lastHasSelection) return;
        this.lastHasSelection = hasSelection;
        this.channel?.post({ type: 'selection', hasSelection });
      }),
      // Answers follow edits (or turn stale when their own text changes), so a click selects the words it shows.
      vscode.workspace.onDidChangeTextDocument((event) => {
        const uri = event.document.uri.toString();
        const history = this.history();
        const entries = history[uri];
        if (!entries || event.contentChanges.length === 0) return;
        const moved = historyAfterEdits(entries, event.contentChanges.map(toTextChange));
        if (!moved) return;
        void this.saveHistory({ ...history, [uri]: moved });
        if (this.services.editors.current?.document === event.document) this.postDocument();
      }),
    ];
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.channel = connectWebview<QaHostMessage, QaWebviewMessage>(view, this.services.context.extensionUri, 'qa', 'BioM Questions', {
      parse: parseQaWebviewMessage,
      ready: () => this.postDocument(),
      message: (message) => {
        switch (message.type) {
          case 'ask':
            void this.ask(message.requestId, message.question, message.scope, message.topK);
            return;
          case 'reveal':
            revealSpans(this.services.editors, message.uri, message.spans, this.shownUri);
            return;
          case 'clearHistory': {
            const uri = this.services.editors.current?.document.uri.toString();
            if (uri) void this.saveHistory(Object.fromEntries(Object.entries(this.history()).filter(([k]) => k !== uri)));
            this.postDocument();
            return;
          }
        }
      },
      disposed: () => {
        this.view = undefined;
        this.channel = undefined;
      },
    });
  }

  /** Asks from a command: opens the view so the answers have somewhere to appear. */
  async askFromCommand(question: string, scope: QaScope): Promise<void> {
    await vscode.commands.executeCommand(`${QA_VIEW_ID}.focus`);
    await this.ask(this.nextCommandRequest--, question, scope, 3);
  }

  /** Every reply names `requestId`, so the view shows only the answer to the question it still waits for. */
  private async ask(requestId: RequestId, question: string, scope: QaScope, topK: number): Promise<void> {
    const editor = this.services.editors.current;
    if (!editor) {
      this.channel?.post({ type: 'error', requestId, message: 'Open a document to ask about.' });
      return;
    }
    const document = editor.document;
    const selection = editor.selection;
    const useSelection = scope === 'selection' && !selection.isEmpty;
    const context = useSelection ? document.getText(selection) : document.getText();
    const offset = useSelection ? document.offsetAt(selection.start) : 0;
    if (context.trim() === '') {
      this.channel?.post({ type: 'error', requestId, message: 'The document is empty.' });
      return;
    }
    this.channel?.post({ type: 'busy', requestId, question });
    const answers = await this.services.annotator.answer(document, question, context, offset, topK);
    if (!answers) {
      this.channel?.post({
        type: 'error',
        requestId,
        message: 'No answer: the question was cancelled or the model failed (see the BioM log).',
      });
      return;
    }
    const entry = newEntry(question, useSelection ? 'selection' : 'document', answerViews(document.getText(), answers));
    await this.saveHistory(addToHistory(this.history(), document.uri.toString(), entry));
    this.channel?.post({ type: 'answered', requestId, entry });
  }

  private history(): QaHistory {
    return this.services.context.workspaceState.get<QaHistory>(HISTORY_KEY) ?? {};
  }

  private saveHistory(history: QaHistory): Thenable<void> {
    return this.services.context.workspaceState.update(HISTORY_KEY, history);
  }

  private postDocument(): void {
    if (!this.channel?.isReady) return;
    const editor = this.services.editors.current;
    const document = editor?.document;
    this.lastHasSelection = editor ? !editor.selection.isEmpty : false;
    this.shownUri = document?.uri.toString();
    this.channel.post({
      type: 'document',
      document: document ? { uri: document.uri.toString(), name: documentName(document) } : undefined,
      history: document ? (this.history()[document.uri.toString()] ?? []) : [],
      hasSelection: editor ? !editor.selection.isEmpty : false,
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
