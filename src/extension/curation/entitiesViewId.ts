// Owns the Entities view's id (package.json contributes.views), importable by tests without 'vscode'.
export const ENTITIES_VIEW_ID = 'biom.entitiesView';
