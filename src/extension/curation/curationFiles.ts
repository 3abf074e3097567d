// Owns the Import and Export commands' dialogs: which file or folder, which format, where to; the conversions are
// src/core/curation/importers.ts. Nothing is overwritten without asking.
import * as vscode from 'vscode';
import type { Services } from '../services';
import type { CurationController } from './curationController';

export async function importPreannotations(_services: Services): Promise<void> {
  void vscode.window.showInformationMessage('BioM: import is not wired yet.');
}

export async function exportCurated(_services: Services, _curation: CurationController): Promise<void> {
  void vscode.window.showInformationMessage('BioM: export is not wired yet.');
}
