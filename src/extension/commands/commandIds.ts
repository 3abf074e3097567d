// Owns the command ids: one table that registration, menus, keybindings, docs and tests all read (no 'vscode').

export const CommandId = {
  annotateDocument: 'biom.annotateDocument',
  annotateSelection: 'biom.annotateSelection',
  clearAnnotations: 'biom.clearAnnotations',
  extractRelations: 'biom.extractRelations',
  askQuestion: 'biom.askQuestion',
  selectModel: 'biom.selectModel',
  toggleLiveAnnotation: 'biom.toggleLiveAnnotation',
  showPanel: 'biom.showPanel',
  clearResultCache: 'biom.clearResultCache',
  // Curation (src/extension/curation/): per entity, bulk, history, the Entities view, files, relations.
  curationAccept: 'biom.curation.accept',
  curationReject: 'biom.curation.reject',
  curationChangeType: 'biom.curation.changeType',
  curationFixSpan: 'biom.curation.fixSpan',
  curationAddEntity: 'biom.curation.addEntity',
  curationDelete: 'biom.curation.delete',
  curationAcceptAbove: 'biom.curation.acceptAboveScore',
  curationAcceptSame: 'biom.curation.acceptSame',
  curationRejectSame: 'biom.curation.rejectSame',
  curationAcceptSameInFolder: 'biom.curation.acceptSameInFolder',
  curationRejectSameInFolder: 'biom.curation.rejectSameInFolder',
  curationNext: 'biom.curation.nextUnreviewed',
  curationPrevious: 'biom.curation.previousUnreviewed',
  curationUndo: 'biom.curation.undo',
  curationRedo: 'biom.curation.redo',
  curationToggleRejected: 'biom.curation.toggleRejected',
  curationFilter: 'biom.curation.filterByStatus',
  curationReveal: 'biom.curation.reveal',
  curationImport: 'biom.curation.import',
  curationExport: 'biom.curation.export',
  curationCompare: 'biom.curation.compareModel',
  curationRelation: 'biom.curation.relation',
  curationAddRelation: 'biom.curation.addRelation',
  curationRelationStatus: 'biom.curation.relationStatus',
} as const;

export type CommandName = keyof typeof CommandId;
export type CommandIdValue = (typeof CommandId)[CommandName];

export const ALL_COMMAND_IDS: readonly CommandIdValue[] = Object.values(CommandId);
