// Owns the QA view's id, shared by the registration and the manifest test (kept free of 'vscode' for that test).
export const QA_VIEW_ID = 'biom.qaView';
