// Owns the lightbulb (Ctrl+.): the curation actions src/host/curationActions.ts offers at the cursor, as code actions
// that run the curation commands (so the lightbulb, the menus, hovers and keys all do the same thing).
import * as vscode from 'vscode';
import { offeredActions, type EntityActionKind } from '../../host/curationActions';
import { CommandId } from '../commands/commandIds';
import type { CurationController } from './curationController';

/** A kind of its own under quickfix, so "editor.codeActionsOnSave" and refactor menus never run it unasked. */
const CURATE = vscode.CodeActionKind.QuickFix.append('biom.curate');

const COMMAND: Record<EntityActionKind, string> = {
  accept: CommandId.curationAccept,
  reject: CommandId.curationReject,
  changeType: CommandId.curationChangeType,
  fixSpan: CommandId.curationFixSpan,
  add: CommandId.curationAddEntity,
  delete: CommandId.curationDelete,
};

export function registerCodeActions(curation: CurationController): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, range) {
      const uri = document.uri.toString();
      if (!curation.isCurating(document)) return [];
      const selection = { start: document.offsetAt(range.start), end: document.offsetAt(range.end) };
      return offeredActions(curation.entities(uri), selection, document.getText(), curation.showRejected).map((offer) => {
        const action = new vscode.CodeAction(offer.title, CURATE);
        action.isPreferred = offer.preferred;
        // Arguments name the entity, so the action does what its title says even if the cursor moved meanwhile.
        const args =
          offer.kind === 'add'
            ? [{ uri, span: offer.span }]
            : offer.kind === 'fixSpan'
              ? [{ uri, id: offer.ids[0], span: offer.span }]
              : offer.ids.length === 1
                ? [{ uri, id: offer.ids[0] }]
                : [];
        action.command = { command: COMMAND[offer.kind], title: offer.title, arguments: args };
        return action;
      });
    },
  };
  return vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, provider, { providedCodeActionKinds: [CURATE] });
}
