// Owns "the document the user is working on": the last focused text editor, which stays put while a webview has focus.
import * as vscode from 'vscode';

const FLASH_MS = 1500;

export class EditorTracker implements vscode.Disposable {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly emitter = new vscode.EventEmitter<vscode.TextEditor | undefined>();
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions = [
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      // Focusing a webview panel clears the active editor; panels still mean the editor the user came from.
      if (editor && editor.document.uri.scheme !== 'output') {
        this.last = editor;
        this.emitter.fire(editor);
      }
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (this.last?.document === document) {
        this.last = undefined;
        this.emitter.fire(undefined);
      }
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor === this.last) this.selectionEmitter.fire(e.textEditor);
    }),
  ];
  private readonly selectionEmitter = new vscode.EventEmitter<vscode.TextEditor>();
  readonly onDidChangeSelection = this.selectionEmitter.event;

  /** The active editor, or the one last active while focus is in a webview or panel. */
  get current(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active) return active;
    // The last editor may have been closed and reopened: prefer a visible editor on the same document.
    if (this.last) {
      return vscode.window.visibleTextEditors.find((e) => e.document === this.last?.document) ?? this.last;
    }
    return undefined;
  }

  /**
   * Shows `document` in an editor (its visible one if any). One range (an answer) is selected; several (a relation's
   * two mentions) get one cursor at the first and a short highlight on each: a multi-selection would let the next
   * keystroke overwrite both mentions.
   */
  async select(document: vscode.TextDocument, ranges: readonly vscode.Range[]): Promise<void> {
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn, preserveFocus: false });
    const first = ranges[0];
    if (!first) return;
    editor.selection = ranges.length === 1 ? new vscode.Selection(first.start, first.end) : new vscode.Selection(first.start, first.start);
    const all = ranges.reduce((a, b) => a.union(b));
    editor.revealRange(all, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    if (ranges.length > 1) this.flash(editor, ranges);
  }

  private readonly flashDecoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    border: '1px solid',
    borderColor: new vscode.ThemeColor('editor.findMatchBorder'),
  });
  private flashTimer: NodeJS.Timeout | undefined;

  /** Highlights `ranges` for 1.5 s (the last flash replaces any still showing). */
  private flash(editor: vscode.TextEditor, ranges: readonly vscode.Range[]): void {
    clearTimeout(this.flashTimer);
    for (const e of vscode.window.visibleTextEditors) e.setDecorations(this.flashDecoration, []);
    editor.setDecorations(this.flashDecoration, [...ranges]);
    this.flashTimer = setTimeout(() => editor.setDecorations(this.flashDecoration, []), FLASH_MS);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    clearTimeout(this.flashTimer);
    this.flashDecoration.dispose();
    this.emitter.dispose();
    this.selectionEmitter.dispose();
  }
}
