// Owns drawing entities in editors: one decoration type per entity kind, created together and disposed together.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { entityKind, type EntityKind } from '../../core/labels';
import { modelName, shownEntities } from '../../core/pipeline';
import { staleness } from '../../host/staleness';

const KINDS: readonly EntityKind[] = ['chemical', 'gene', 'other'];

/**
 * A second cue besides colour, so the kinds differ for people who cannot tell amber from green: chemicals are
 * underlined solid, genes dotted, other types dashed (the legend in the status bar tooltip says so).
 */
export const KIND_UNDERLINE: Record<EntityKind, string> = { chemical: 'solid', gene: 'dotted', other: 'dashed' };

/** Contributed colours (package.json contributes.colors), so themes and users can restyle each kind. */
function createDecorationTypes(stale: boolean): Record<EntityKind, vscode.TextEditorDecorationType> {
  const make = (kind: EntityKind): vscode.TextEditorDecorationType => {
    const color = new vscode.ThemeColor(`biom.entity.${kind}`);
    return vscode.window.createTextEditorDecorationType({
      backgroundColor: color,
      textDecoration: `underline ${KIND_UNDERLINE[kind]}`,
      // Results from another model or from before a failed run: dimmed until the document is annotated again.
      opacity: stale ? '0.5' : undefined,
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
  const types = createDecorationTypes(false);
  const staleTypes = createDecorationTypes(true);
  const pending = new Map<string, NodeJS.Timeout>();

  const draw = (editor: vscode.TextEditor): void => {
    const annotations = store.get(editor.document.uri.toString());
    const byKind: Record<EntityKind, vscode.Range[]> = { chemical: [], gene: [], other: [] };
    const models = services.models();
    const stale =
      annotations && staleness(annotations, { ner: models.ner.map(modelName), relations: modelName(models.relations) }).entities;
    if (annotations && annotations.version === editor.document.version) {
      for (const e of shownEntities(annotations.entities, config.current.ner.minScore)) {
        byKind[entityKind(e.label)].push(new vscode.Range(editor.document.positionAt(e.start), editor.document.positionAt(e.end)));
      }
    }
    for (const kind of KINDS) {
      editor.setDecorations(stale ? staleTypes[kind] : types[kind], byKind[kind]);
      editor.setDecorations(stale ? types[kind] : staleTypes[kind], []);
    }
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
      if (changed.decorations || changed.models) drawAll();
    }),
  ];
  drawAll();
  return new vscode.Disposable(() => {
    for (const timer of pending.values()) clearTimeout(timer);
    for (const s of subscriptions) s.dispose();
    for (const kind of KINDS) {
      types[kind].dispose();
      staleTypes[kind].dispose();
    }
  });
}
