// Owns what each command does; every id in the CommandId table gets exactly one handler, registered in one loop.
import * as vscode from 'vscode';
import type { RelationsPanel } from '../panel/relationsPanel';
import type { QaViewProvider } from '../qa/qaView';
import type { Services } from '../services';
import { selectModel } from '../models/selectModel';
import { CommandId, type CommandName } from './commandIds';
import type { CurationHandlers } from '../curation/registerCuration';

export interface Views {
  relations: RelationsPanel;
  qa: QaViewProvider;
  /** The curation commands' handlers (src/extension/curation/curationCommands.ts). */
  curation: CurationHandlers;
}

/** The document a command acts on; says so when there is none rather than doing nothing. */
function currentEditor(services: Services): vscode.TextEditor | undefined {
  const editor = services.editors.current;
  if (!editor) void vscode.window.showInformationMessage('BioM: open a text document first.');
  return editor;
}

export function registerCommands(services: Services, views: Views): vscode.Disposable {
  const { annotator, store, config } = services;
  // `satisfies` makes a missing or extra command a compile error, so the table and the handlers cannot drift apart.
  const handlers = {
    annotateDocument: async () => {
      const editor = currentEditor(services);
      if (editor) await annotator.annotate(editor.document);
    },
    annotateSelection: async () => {
      const editor = currentEditor(services);
      if (!editor) return;
      const range = editor.selection.isEmpty ? undefined : editor.selection;
      await annotator.annotate(editor.document, { range });
    },
    clearAnnotations: () => {
      const editor = currentEditor(services);
      if (!editor) return;
      annotator.cancel(editor.document);
      store.clear(editor.document.uri.toString());
    },
    extractRelations: async () => {
      const editor = currentEditor(services);
      if (editor) await views.relations.show(editor.document, true);
    },
    askQuestion: async () => {
      const editor = currentEditor(services);
      if (!editor) return;
      const question = await vscode.window.showInputBox({
        title: 'BioM: Ask a Question',
        prompt: editor.selection.isEmpty ? 'Answered from the whole document' : 'Answered from the selection',
        placeHolder: 'What does dextrorphan bind to?',
      });
      if (question?.trim()) await views.qa.askFromCommand(question.trim(), editor.selection.isEmpty ? 'document' : 'selection');
    },
    selectModel: () => selectModel(services),
    toggleLiveAnnotation: async () => {
      const enabled = !config.current.live.enabled;
      await config.update('live.enabled', enabled);
      vscode.window.setStatusBarMessage(`BioM: live annotation ${enabled ? 'on' : 'off'}`, 3000);
    },
    showPanel: async () => {
      const editor = currentEditor(services);
      if (editor) await views.relations.show(editor.document, false);
    },
    clearResultCache: () => {
      const freed = services.resultCache.clear();
      void vscode.window.showInformationMessage(`BioM: result cache cleared (${(freed / 1e6).toFixed(1)} MB freed).`);
    },
    ...views.curation,
    // Curation commands take the entity a menu, hover link or the relations panel names; each handler checks it.
  } satisfies Record<CommandName, (...args: never[]) => unknown>;

  const disposables = (Object.keys(CommandId) as CommandName[]).map((name) =>
    vscode.commands.registerCommand(CommandId[name], handlers[name]),
  );
  return vscode.Disposable.from(...disposables);
}
