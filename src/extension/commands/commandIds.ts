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
} as const;

export type CommandName = keyof typeof CommandId;
export type CommandIdValue = (typeof CommandId)[CommandName];

export const ALL_COMMAND_IDS: readonly CommandIdValue[] = Object.values(CommandId);
