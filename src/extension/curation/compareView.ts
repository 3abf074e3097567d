// Owns "Compare Model with Curated": P/R/F1 per type of the model's suggestions against the curator's decisions,
// for the document or its folder, shown as a markdown preview.
import * as vscode from 'vscode';
import type { Services } from '../services';
import type { CurationController } from './curationController';

export async function compareModelWithCurated(_services: Services, _curation: CurationController): Promise<void> {
  void vscode.window.showInformationMessage('BioM: compare is not wired yet.');
}
