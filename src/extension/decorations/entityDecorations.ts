// Owns drawing entities in editors: one decoration type per entity kind, created together and disposed together.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { entityKind, type EntityKind } from '../../core/labels';
import { modelName, shownEntities } from '../../core/pipeline';
import { staleness } from '../../host/staleness';
import type { CuratedEntity, CurationStatus } from '../../core/curation/types';
import type { CurationController } from '../curation/curationController';

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

type CuratedLook = 'suggested' | 'decided' | 'rejected';

/**
 * Curated documents: a suggestion keeps the tinted background, a decision (accepted, added) gets a solid border in
 * its kind's colour and no tint, a rejected one is struck through (drawn only while the curator shows them). The
 * per-kind underline stays on all three, so the kind still reads without colour.
 */
function createCuratedTypes(): Record<CuratedLook, Record<EntityKind, vscode.TextEditorDecorationType>> {
  const make = (kind: EntityKind, look: CuratedLook): vscode.TextEditorDecorationType => {
    const color = new vscode.ThemeColor(`biom.entity.${kind}`);
    return vscode.window.createTextEditorDecorationType({
      backgroundColor: look === 'suggested' ? color : undefined,
      border: look === 'decided' ? '1px solid' : undefined,
      // Opaque, unlike the tint: a decision must read at a glance (contributes.colors biom.curated.*).
      borderColor: look === 'decided' ? new vscode.ThemeColor(`biom.curated.${kind}`) : undefined,
      textDecoration: look === 'rejected' ? 'line-through' : `underline ${KIND_UNDERLINE[kind]}`,
      opacity: look === 'rejected' ? '0.6' : undefined,
      borderRadius: '2px',
      overviewRulerColor: look === 'rejected' ? undefined : color,
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
  };
  const looks: CuratedLook[] = ['suggested', 'decided', 'rejected'];
  return Object.fromEntries(
    looks.map((look) => [look, { chemical: make('chemical', look), gene: make('gene', look), other: make('other', look) }]),
  ) as Record<CuratedLook, Record<EntityKind, vscode.TextEditorDecorationType>>;
}

const LOOK: Record<CurationStatus, CuratedLook> = { suggested: 'suggested', accepted: 'decided', added: 'decided', rejected: 'rejected' };

/** Whose text changed outside the editor: a wavy error underline (the hover says why); never shifted silently. */
function createMismatchType(): vscode.TextEditorDecorationType {
  return vscode.window.createTextEditorDecorationType({
    textDecoration: 'underline wavy var(--vscode-editorError-foreground, #f14c4c)',
    overviewRulerColor: new vscode.ThemeColor('editorError.foreground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
}

/** Redraws after store changes; edits are batched (a burst of keystrokes is one redraw), new results draw at once. */
const EDIT_REDRAW_MS = 60;

export function registerDecorations(services: Services, curation: CurationController): vscode.Disposable {
  const { store, config } = services;
  const types = createDecorationTypes(false);
  const staleTypes = createDecorationTypes(true);
  const curatedTypes = createCuratedTypes();
  const mismatchType = createMismatchType();
  const pending = new Map<string, NodeJS.Timeout>();

  const clearCurated = (editor: vscode.TextEditor): void => {
    for (const look of Object.values(curatedTypes)) for (const kind of KINDS) editor.setDecorations(look[kind], []);
    editor.setDecorations(mismatchType, []);
  };

  /**
   * A document with a curation session shows its curated state (suggestions merged in), never the raw store. When the
   * suggestions came from another model (`stale`), they are dimmed like plain results; decisions are the curator's and
   * never stale.
   */
  const drawCurated = (editor: vscode.TextEditor, entities: readonly CuratedEntity[], stale: boolean): void => {
    for (const kind of KINDS) editor.setDecorations(types[kind], []);
    const ranges: Record<CuratedLook, Record<EntityKind, vscode.Range[]>> = {
      suggested: { chemical: [], gene: [], other: [] },
      decided: { chemical: [], gene: [], other: [] },
      rejected: { chemical: [], gene: [], other: [] },
    };
    const mismatched: vscode.DecorationOptions[] = [];
    const { document } = editor;
    for (const e of entities) {
      if (e.status === 'rejected' && !curation.showRejected) continue;
      const range = new vscode.Range(document.positionAt(e.start), document.positionAt(e.end));
      ranges[LOOK[e.status]][entityKind(e.label)].push(range);
      if (e.mismatch) {
        mismatched.push({
          range,
          hoverMessage: `BioM: the text here no longer reads "${e.text}" (the file changed outside the editor). Fix the span, or delete the entity.`,
        });
      }
    }
    for (const look of Object.keys(ranges) as CuratedLook[])
      for (const kind of KINDS) editor.setDecorations(curatedTypes[look][kind], stale && look === 'suggested' ? [] : ranges[look][kind]);
    // The suggested look is the plain results' look, so a stale suggestion is drawn with the dimmed plain type.
    for (const kind of KINDS) editor.setDecorations(staleTypes[kind], stale ? ranges.suggested[kind] : []);
    editor.setDecorations(mismatchType, mismatched);
  };

  const draw = (editor: vscode.TextEditor): void => {
    const annotations = store.get(editor.document.uri.toString());
    const models = services.models();
    const stale =
      annotations && staleness(annotations, { ner: models.ner.map(modelName), relations: modelName(models.relations) }).entities;
    const curated = curation.state(editor.document.uri.toString());
    if (curated) {
      drawCurated(editor, curated.entities, Boolean(stale));
      return;
    }
    clearCurated(editor);
    const byKind: Record<EntityKind, vscode.Range[]> = { chemical: [], gene: [], other: [] };
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
    // A curation action redraws at once: the curator sees the decision as the key is released.
    curation.onDidChange((uri) => drawUri(uri)),
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
      for (const look of Object.values(curatedTypes)) look[kind].dispose();
    }
    mismatchType.dispose();
  });
}
