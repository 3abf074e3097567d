// Owns drawing entities in editors: one decoration type per entity kind, created together and disposed together.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { entityKind, type EntityKind } from '../../core/labels';
import { shownEntities } from '../../core/pipeline';

const KINDS: readonly EntityKind[] = ['chemical', 'gene', 'other'];

/** Contributed colours (package.json contributes.colors), so themes and users can restyle each kind. */
function createDecorationTypes(): Record<EntityKind, vscode.TextEditorDecorationType> {
  const make = (kind: EntityKind): vscode.TextEditorDecorationType => {
    const color = new vscode.ThemeColor(`biom.entity.${kind}`);
    return vscode.window.createTextEditorDecorationType({
      backgroundColor: color,
      borderRadius: '2px',
      overviewRulerColor: color,
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      // Typing at either edge is not part of the mention: live mode decides after re-annotation.
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
  };
  return { chemical: make('chemical'), gene: make('gene'), other: make('other') };
}

/** Redraws after store changes; edits are batched (a burst of keystrokes is one redraw), new results draw at once. */
const EDIT_REDRAW_MS = 60;

export function registerDecorations(services: Services): vscode.Disposable {
  const { store, config } = services;
  const types = createDecorationTypes();
  const pending = new Map<string, NodeJS.Timeout>();

  const draw = (editor: vscode.TextEditor): void => {
    const annotations = store.get(editor.document.uri.toString());
    const byKind: Record<EntityKind, vscode.Range[]> = { chemical: [], gene: [], other: [] };
    if (annotations && annotations.version === editor.document.version) {
      for (const e of shownEntities(annotations.entities, config.current.ner.minScore)) {
        byKind[entityKind(e.label)].push(
          new vscode.Range(editor.document.positionAt(e.start), editor.document.positionAt(e.end)),
        );
      }
    }
    for (const kind of KINDS) editor.setDecorations(types[kind], byKind[kind]);
  };
  const drawUri = (uri: string): void => {
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === uri) draw(editor);
  };
  const drawAll = (): void => vscode.window.visibleTextEditors.forEach(draw);

  const subscriptions = [
    store.onDidChange(({ uri, reason }) => {
      clearTimeout(pending.get(uri));
      if (reason !== 'edited') {
        pending.delete(uri);
        drawUri(uri);
        return;
      }
      pending.set(
        uri,
        setTimeout(() => {
          pending.delete(uri);
          drawUri(uri);
        }, EDIT_REDRAW_MS),
      );
    }),
    vscode.window.onDidChangeVisibleTextEditors(drawAll),
    config.onDidChange((_after, _before, changed) => {
      if (changed.decorations) drawAll();
    }),
  ];
  drawAll();
  return new vscode.Disposable(() => {
    for (const timer of pending.values()) clearTimeout(timer);
    for (const s of subscriptions) s.dispose();
    for (const kind of KINDS) types[kind].dispose();
  });
}
