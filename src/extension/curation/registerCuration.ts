// Owns wiring curation into the editor: the sessions, the Entities view, the lightbulb and the status bar count.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { registerCodeActions } from './codeActions';
import { curationHandlers } from './curationCommands';
import { CurationController } from './curationController';
import { EntitiesView } from './entitiesView';
import { registerReports } from './compareView';

export type CurationHandlers = ReturnType<typeof curationHandlers>;

export interface Curation extends vscode.Disposable {
  controller: CurationController;
  handlers: CurationHandlers;
}

export function registerCuration(services: Services): Curation {
  const controller = new CurationController(services);
  const view = new EntitiesView(services, controller);
  const handlers = curationHandlers(services, controller, view);
  const disposables: vscode.Disposable[] = [
    controller,
    view,
    registerCodeActions(controller),
    services.status.followCuration({
      counts: (uri) => controller.get(uri)?.document.counts(),
      onDidChange: (listener) => controller.onDidChange(listener),
    }),
    contextKeys(services, controller),
    registerReports(),
  ];
  return {
    controller,
    handlers,
    dispose: () => {
      for (const d of disposables.reverse()) d.dispose();
    },
  };
}

/**
 * biom.curation.active: the active editor's document is curated (keys and menus apply); biom.curation.onEntity: the
 * cursor is on an entity (the context menu's per-entity items show).
 */
function contextKeys(services: Services, controller: CurationController): vscode.Disposable {
  let active: boolean | undefined;
  let onEntity: boolean | undefined;
  const set = (key: string, value: boolean, last: boolean | undefined): boolean => {
    if (value !== last) void vscode.commands.executeCommand('setContext', key, value);
    return value;
  };
  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    const uri = editor?.document.uri.toString();
    const curated = editor !== undefined && controller.isCurating(editor.document);
    active = set('biom.curation.active', curated, active);
    let on = false;
    if (editor && uri && curated) {
      const offset = editor.document.offsetAt(editor.selection.active);
      on = controller
        .entities(uri)
        .some((e) => e.start <= offset && offset <= e.end && (e.status !== 'rejected' || controller.showRejected));
    }
    onEntity = set('biom.curation.onEntity', on, onEntity);
  };
  update();
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.window.onDidChangeTextEditorSelection(update),
    controller.onDidChange(update),
    services.editors.onDidChange(update),
  );
}
