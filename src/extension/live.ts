// Owns live mode: re-annotating matching documents a moment after typing stops, stale runs cancelled by the annotator.
import * as vscode from 'vscode';
import type { Services } from './services';

export function registerLiveMode(services: Services): vscode.Disposable {
  const { config, annotator, store } = services;
  const timers = new Map<string, NodeJS.Timeout>();

  const matches = (document: vscode.TextDocument): boolean =>
    config.current.live.enabled && vscode.languages.match(config.current.documentSelector, document) > 0;

  const schedule = (document: vscode.TextDocument, delay: number): void => {
    const uri = document.uri.toString();
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        if (!document.isClosed && matches(document)) void annotator.annotate(document, { quiet: true });
      }, delay),
    );
  };

  /** `all`: settings that change results (models, int8) or cancelled running work (threads) re-run annotated documents too. */
  const annotateVisible = (all = false): void => {
    for (const editor of vscode.window.visibleTextEditors) {
      const annotations = store.get(editor.document.uri.toString());
      // Edits made while live mode was off only shifted the old entities: such documents need a run too.
      const stale = !annotations || annotations.edited || annotations.version !== editor.document.version;
      if (matches(editor.document) && (all || stale)) schedule(editor.document, 0);
    }
  };

  const subscriptions = [
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && matches(e.document)) {
        // Work already running on the old text is stale: stop it now rather than after the debounce.
        annotator.cancel(e.document);
        schedule(e.document, config.current.live.debounceMs);
      }
    }),
    vscode.window.onDidChangeVisibleTextEditors(() => annotateVisible()),
    config.onDidChange((after, _before, changed) => {
      if (changed.live || changed.models || changed.runtime) {
        if (!after.live.enabled) {
          for (const t of timers.values()) clearTimeout(t);
          timers.clear();
        } else {
          // Unchanged paragraphs come from the worker backend's cache, so re-running a whole document is cheap.
          annotateVisible(changed.models || changed.runtime);
        }
      }
    }),
  ];
  annotateVisible();
  return new vscode.Disposable(() => {
    for (const t of timers.values()) clearTimeout(t);
    for (const s of subscriptions) s.dispose();
  });
}
