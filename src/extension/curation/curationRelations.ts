// Owns the relation commands the relations panel calls (biom.curation.relation / addRelation / relationStatus):
// a pair named by its two spans becomes curated entities and a curated relation, then is accepted, rejected or
// relabelled in the document's session.
import * as vscode from 'vscode';
import type { CurationStatus } from '../../core/curation/types';
import { entityKind, entityType } from '../../core/labels';
import type { Span } from '../../core/types';
import { entitiesUnder, entityWithSpan, isRelationCommandArgs, relationBetween, relationStatuses } from '../../host/curationActions';
import { relationClasses, relationWords } from '../../host/relationRows';
import type { Services } from '../services';
import type { CurationController } from './curationController';

export function relationHandlers(services: Services, curation: CurationController) {
  const documentOf = (uri: string): vscode.TextDocument | undefined => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);

  /** The curated entity at `span`, added first from the model's mention there when it is only in the model's results. */
  const ensureEntity = async (document: vscode.TextDocument, span: Span, fallbackLabel: string): Promise<string | undefined> => {
    const uri = document.uri.toString();
    const existing = entityWithSpan(curation.entities(uri), span);
    if (existing) return existing.id;
    const model = services.store.get(uri)?.entities.find((e) => e.start === span.start && e.end === span.end);
    await curation.apply(document, { kind: 'add', label: model ? entityType(model.label) : fallbackLabel, span });
    return entityWithSpan(curation.entities(uri), span)?.id;
  };

  const modelLabel = (uri: string, chemical: Span, gene: Span): string | undefined =>
    services.store
      .get(uri)
      ?.relations?.find(
        (r) =>
          r.chemical.start === chemical.start && r.chemical.end === chemical.end && r.gene.start === gene.start && r.gene.end === gene.end,
      )?.label;

  return {
    curationRelation: async (args?: unknown): Promise<boolean> => {
      if (!isRelationCommandArgs(args)) return false;
      const document = documentOf(args.uri);
      const session = document && (await curation.sessionFor(document));
      if (!document || !session) return false;
      const existing = relationBetween(session.document.state, args.chemical, args.gene);
      if (existing) {
        if (args.action === 'accept') session.apply({ kind: 'acceptRelation', ids: [existing.id] });
        else if (args.action === 'reject') session.apply({ kind: 'rejectRelation', ids: [existing.id] });
        else if (args.label) session.apply({ kind: 'setRelationLabel', ids: [existing.id], label: args.label });
        return true;
      }
      // Not curated yet (the model's pair was never merged, or its entities were): make it, then decide.
      const label = args.label ?? modelLabel(args.uri, args.chemical, args.gene);
      if (!label) return false;
      const chemical = await ensureEntity(document, args.chemical, 'CHEMICAL');
      const gene = await ensureEntity(document, args.gene, 'GENE-Y');
      if (!chemical || !gene) return false;
      session.apply({ kind: 'addRelation', chemical, gene, label });
      const added = relationBetween(session.document.state, args.chemical, args.gene);
      if (added && args.action === 'reject') session.apply({ kind: 'rejectRelation', ids: [added.id] });
      return true;
    },

    curationAddRelation: async (args?: { uri?: string }): Promise<boolean> => {
      const editor =
        (args?.uri && vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === args.uri)) || services.editors.current;
      if (!editor) {
        void vscode.window.showInformationMessage('BioM: open a text document first.');
        return false;
      }
      const { document } = editor;
      const session = await curation.sessionFor(document);
      if (!session) return false;
      const uri = document.uri.toString();
      const live = curation.entities(uri).filter((e) => e.status !== 'rejected');
      // Two cursors or selections, one on each mention, name the pair without a picker.
      const picked = editor.selections
        .map((s) => entitiesUnder(live, { start: document.offsetAt(s.start), end: document.offsetAt(s.end) })[0])
        .filter((e) => e !== undefined);
      let chemical = picked.find((e) => entityKind(e.label) === 'chemical');
      let gene = picked.find((e) => entityKind(e.label) === 'gene');
      const pick = async (kind: 'chemical' | 'gene') => {
        const items = live
          .filter((e) => entityKind(e.label) === kind)
          .map((e) => ({
            label: e.text,
            description: `${entityType(e.label)} · line ${document.positionAt(e.start).line + 1} · ${e.status}`,
            entity: e,
          }));
        if (items.length === 0) {
          void vscode.window.showInformationMessage(`BioM: the document has no ${kind} entity to pair.`);
          return undefined;
        }
        return (await vscode.window.showQuickPick(items, { title: `BioM: Add Relation — the ${kind}` }))?.entity;
      };
      chemical ??= await pick('chemical');
      if (!chemical) return false;
      gene ??= await pick('gene');
      if (!gene) return false;
      const classes = relationClasses([]).map((c) => ({ label: c.label, description: relationWords(c.label) }));
      const cls = await vscode.window.showQuickPick(classes, { title: `BioM: "${chemical.text}" … "${gene.text}": relation class` });
      if (!cls) return false;
      session.apply({ kind: 'addRelation', chemical: chemical.id, gene: gene.id, label: cls.label });
      return true;
    },

    curationRelationStatus: (uri?: unknown): Record<string, CurationStatus> => {
      const state = typeof uri === 'string' ? curation.state(uri) : undefined;
      return state ? relationStatuses(state) : {};
    },
  };
}
