// Owns what each curation command does in the editor: find the entities it acts on, ask what is missing (a type, a
// score), and hand one CurationAction to the document's session. Which actions apply is src/host/curationActions.ts.
import * as vscode from 'vscode';
import type { CuratedEntity, CurationAction } from '../../core/curation/types';
import { entityType } from '../../core/labels';
import { readModelFolder } from '../../core/models/modelFolder';
import type { Span } from '../../core/types';
import { entitiesUnder, fixedSpan, offeredActions, typeChoices } from '../../host/curationActions';
import type { Services } from '../services';
import type { CurationController } from './curationController';
import type { EntitiesView } from './entitiesView';
import { exportCurated, importPreannotations } from './curationFiles';
import { compareModelWithCurated } from './compareView';
import { relationHandlers } from './curationRelations';

/** Types every curator may pick even before a model ran (ChemProt's). */
const BASE_TYPES = ['CHEMICAL', 'GENE-Y', 'GENE-N'];

/** A mention passed by the Entities view or a hover link: the document and the entity id. */
export interface EntityRef {
  uri: string;
  id: string;
}

/** The editor a per-entity command acts on, or undefined after saying there is none. */
function activeEditor(services: Services): vscode.TextEditor | undefined {
  const editor = services.editors.current;
  if (!editor) void vscode.window.showInformationMessage('BioM: open a text document first.');
  return editor;
}

function selectionSpan(editor: vscode.TextEditor): Span {
  const { document, selection } = editor;
  return { start: document.offsetAt(selection.start), end: document.offsetAt(selection.end) };
}

async function documentOf(uri: string): Promise<vscode.TextDocument> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  return open ?? vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
}

export function curationHandlers(services: Services, curation: CurationController, view: EntitiesView) {
  /** The entities a command means: those named by a view/hover argument, else those under the cursor or selection. */
  const target = async (ref?: EntityRef): Promise<{ document: vscode.TextDocument; entities: CuratedEntity[] } | undefined> => {
    if (ref?.uri && ref.id) {
      const document = await documentOf(ref.uri);
      await curation.sessionFor(document);
      const entity = curation.entities(ref.uri).find((e) => e.id === ref.id);
      return entity ? { document, entities: [entity] } : undefined;
    }
    const editor = activeEditor(services);
    if (!editor) return undefined;
    await curation.sessionFor(editor.document);
    const under = entitiesUnder(curation.entities(editor.document.uri.toString()), selectionSpan(editor), curation.showRejected);
    if (under.length === 0) {
      vscode.window.setStatusBarMessage('BioM: no entity under the cursor', 3000);
      return undefined;
    }
    return { document: editor.document, entities: under };
  };

  const perEntity =
    (make: (entities: CuratedEntity[]) => CurationAction | undefined | Promise<CurationAction | undefined>) =>
    async (ref?: EntityRef): Promise<void> => {
      const found = await target(isEntityRef(ref) ? ref : undefined);
      if (!found) return;
      const action = await make(found.entities);
      if (action) await curation.apply(found.document, action);
    };

  const pickType = async (title: string, current?: string): Promise<string | undefined> => {
    const unique = typeChoices([...modelLabels(services), ...BASE_TYPES], services.config.current.curation.types);
    const picked = await vscode.window.showQuickPick(
      unique.map((label) => ({ label, description: label === current ? 'current' : undefined })),
      { title, placeHolder: 'Entity type (add more with the biom.curation.types setting)' },
    );
    return picked?.label;
  };

  /** Accept or reject every mention with the same text and type as the target, in the document. */
  const sameInDocument = (kind: 'accept' | 'reject') => async (arg?: EntityRef | TextGroupRef) => {
    const group = await groupOf(arg);
    if (!group) return;
    const ids = curation
      .entities(group.uri)
      .filter((e) => e.text === group.text && e.label === group.label)
      .map((e) => e.id);
    if (ids.length === 0) return;
    await curation.apply(await documentOf(group.uri), { kind, ids });
    vscode.window.setStatusBarMessage(
      `BioM: ${kind === 'accept' ? 'accepted' : 'rejected'} ${ids.length} × "${group.text}" (${group.label})`,
      4000,
    );
  };

  /** The same in every document of the workspace folder: open ones through their sessions, the rest on disk. */
  const sameInFolder = (kind: 'accept' | 'reject') => async (arg?: EntityRef | TextGroupRef) => {
    const group = await groupOf(arg);
    if (!group) return;
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(group.uri));
    if (!folder) {
      void vscode.window.showInformationMessage('BioM: the document is not in a workspace folder; use the document-wide command.');
      return;
    }
    const result = curation.applyInFolder(folder.uri.fsPath, group.text, group.label, kind);
    const verb = kind === 'accept' ? 'accepted' : 'rejected';
    const skipped =
      result.problems.length > 0
        ? ` ${new Set(result.problems.map((p) => p.file)).size} files with unreadable lines were left untouched (first: ${result.problems[0].file}:${result.problems[0].line}).`
        : '';
    for (const p of result.problems) services.output.warn(`${p.file}:${p.line}: ${p.message}`);
    void vscode.window.showInformationMessage(
      `BioM: ${verb} ${result.entities} mentions of "${group.text}" (${group.label}) in ${result.documents} documents of ${folder.name}.${skipped}`,
    );
  };

  const groupOf = async (arg?: EntityRef | TextGroupRef): Promise<TextGroupRef | undefined> => {
    if (isTextGroupRef(arg)) return arg;
    const found = await target(isEntityRef(arg) ? arg : undefined);
    const first = found?.entities[0];
    if (!found || !first) return undefined;
    return { uri: found.document.uri.toString(), text: first.text, label: first.label };
  };

  const step = (direction: 1 | -1) => async () => {
    const editor = activeEditor(services);
    if (!editor) return;
    const session = await curation.sessionFor(editor.document);
    if (!session) return;
    const offset = editor.document.offsetAt(direction > 0 ? editor.selection.end : editor.selection.start);
    const next = session.document.nextUnreviewed(offset, direction);
    if (!next) {
      vscode.window.setStatusBarMessage('BioM: nothing left to review', 3000);
      return;
    }
    const range = new vscode.Range(editor.document.positionAt(next.start), editor.document.positionAt(next.end));
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  };

  const history = (which: 'undo' | 'redo') => async () => {
    const editor = activeEditor(services);
    if (!editor) return;
    const session = await curation.sessionFor(editor.document);
    const done = session ? (which === 'undo' ? session.undo() : session.redo()) : false;
    if (!done) vscode.window.setStatusBarMessage(`BioM: no curation action to ${which}`, 3000);
  };

  return {
    curationAccept: perEntity((entities) => ({ kind: 'accept', ids: entities.map((e) => e.id) })),
    curationReject: perEntity((entities) => ({ kind: 'reject', ids: entities.map((e) => e.id) })),
    curationChangeType: perEntity(async (entities) => {
      const label = await pickType(
        `Change type of ${entities.length === 1 ? `"${entities[0].text}"` : `${entities.length} entities`}`,
        entityType(entities[0].label),
      );
      return label ? { kind: 'setLabel', ids: entities.map((e) => e.id), label } : undefined;
    }),
    curationFixSpan: async (arg?: EntityRef | { uri: string; id: string; span: Span }) => {
      if (arg && 'span' in arg) {
        await curation.apply(await documentOf(arg.uri), { kind: 'setSpan', id: arg.id, span: arg.span });
        return;
      }
      const editor = activeEditor(services);
      if (!editor) return;
      await curation.sessionFor(editor.document);
      const fix = offeredActions(
        curation.entities(editor.document.uri.toString()),
        selectionSpan(editor),
        editor.document.getText(),
        curation.showRejected,
      ).find((a) => a.kind === 'fixSpan');
      if (!fix?.span) {
        vscode.window.setStatusBarMessage('BioM: select the words the entity should cover (or put the cursor on a cut word)', 4000);
        return;
      }
      await curation.apply(editor.document, { kind: 'setSpan', id: fix.ids[0], span: fix.span });
    },
    curationAddEntity: async (arg?: { uri: string; span: Span; label?: string }) => {
      const editor = activeEditor(services);
      const document = arg ? await documentOf(arg.uri) : editor?.document;
      if (!document) return;
      const span = arg?.span ?? (editor ? fixedSpan(document.getText(), selectionSpan(editor)) : undefined);
      if (!span) {
        void vscode.window.showInformationMessage('BioM: select the words of the new entity first.');
        return;
      }
      const label = arg?.label ?? (await pickType(`Add "${document.getText().slice(span.start, span.end)}" as`));
      if (label) await curation.apply(document, { kind: 'add', label, span });
    },
    curationDelete: perEntity((entities) => ({ kind: 'delete', ids: entities.map((e) => e.id) })),
    curationAcceptAbove: async () => {
      const editor = activeEditor(services);
      if (!editor) return;
      const session = await curation.sessionFor(editor.document);
      if (!session) return;
      const answer = await vscode.window.showInputBox({
        title: 'BioM: Accept Suggestions at or above a Score',
        prompt: 'Every suggestion of this document with a model score at or above this is accepted (one undo step).',
        value: '0.9',
        validateInput: (v) => (Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 1 ? undefined : 'A number from 0 to 1'),
      });
      if (answer === undefined) return;
      const ids = session.document.atOrAbove(Number(answer));
      if (ids.length > 0) session.apply({ kind: 'accept', ids });
      vscode.window.setStatusBarMessage(`BioM: accepted ${ids.length} suggestions with score ≥ ${answer}`, 4000);
    },
    curationAcceptSame: sameInDocument('accept'),
    curationRejectSame: sameInDocument('reject'),
    curationAcceptSameInFolder: sameInFolder('accept'),
    curationRejectSameInFolder: sameInFolder('reject'),
    curationNext: step(1),
    curationPrevious: step(-1),
    curationUndo: history('undo'),
    curationRedo: history('redo'),
    curationToggleRejected: () => {
      const shown = curation.toggleRejected();
      vscode.window.setStatusBarMessage(`BioM: rejected entities ${shown ? 'shown (struck through)' : 'hidden'}`, 3000);
    },
    curationFilter: () => view.pickStatusFilter(),
    curationReveal: async (ref?: EntityRef) => {
      if (!ref) return;
      const document = await documentOf(ref.uri);
      const entity = curation.entities(ref.uri).find((e) => e.id === ref.id);
      if (!entity) return;
      const range = new vscode.Range(document.positionAt(entity.start), document.positionAt(entity.end));
      // One cursor at the mention (not a selection): the next keystroke must not replace the entity's text.
      await services.editors.select(document, [new vscode.Range(range.start, range.start)]);
      const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
      editor?.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    },
    curationImport: () => importPreannotations(services),
    curationExport: () => exportCurated(services, curation),
    curationCompare: () => compareModelWithCurated(services, curation),
    ...relationHandlers(services, curation),
  };
}

/** A text group of the Entities view (its inline accept-all / reject-all buttons pass it). */
export interface TextGroupRef {
  uri: string;
  text: string;
  label: string;
}

function isEntityRef(value: unknown): value is EntityRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as EntityRef).uri === 'string' &&
    typeof (value as EntityRef).id === 'string'
  );
}

function isTextGroupRef(value: unknown): value is TextGroupRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as TextGroupRef).text === 'string' &&
    typeof (value as TextGroupRef).label === 'string'
  );
}

/** The labels of the configured NER models (their config.json); a folder that cannot be read adds none. */
function modelLabels(services: Services): string[] {
  return services.models().ner.flatMap((ref) => {
    try {
      return readModelFolder(ref.folder).labels;
    } catch {
      return [];
    }
  });
}
