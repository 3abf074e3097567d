// Owns "Compare Model with Curated": P/R/F1 per type of the model's suggestions against the curator's decisions,
// for the document or its folder, shown as a markdown preview (the report's words: src/host/curationReport.ts).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { readCuratedDocument, readCuratedFolder, type CurationRecord, type FileProblem } from '../../core/curation/importers';
import { compareModelWithCurated as compare } from '../../core/eval/agreement';
import { comparisonMarkdown } from '../../host/curationReport';
import type { Services } from '../services';
import type { CurationController } from './curationController';

export async function compareModelWithCurated(services: Services, curation: CurationController): Promise<void> {
  const editor = services.editors.current;
  const document = editor?.document.uri.scheme === 'file' ? editor.document : undefined;
  const folder = document
    ? vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath
    : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const choices = [
    ...(document ? [{ label: 'This document', description: basename(document.uri.fsPath), folder: false }] : []),
    ...(folder ? [{ label: 'Every curated document of the folder', description: folder, folder: true }] : []),
  ];
  if (choices.length === 0) {
    void vscode.window.showInformationMessage('BioM: open a curated document or a folder first.');
    return;
  }
  const choice =
    choices.length === 1 ? choices[0] : await vscode.window.showQuickPick(choices, { title: 'BioM: Compare Model with Curated — what' });
  if (!choice) return;
  await curation.flushAll();
  let records: CurationRecord[];
  let problems: FileProblem[];
  try {
    if (choice.folder && folder) ({ documents: records, problems } = readCuratedFolder(folder, services.config.current.curation.format));
    else {
      if (!document) return;
      const { problems: p, ...record } = readCuratedDocument(document.uri.fsPath, services.config.current.curation.format);
      records = [record];
      problems = p;
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`BioM: could not read the curation: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  for (const p of problems) services.output.warn(`${p.file}:${p.line}: ${p.message}`);
  const report = compare(records);
  const scope = choice.folder ? `${basename(folder ?? '')} (${records.length} documents)` : basename(document?.uri.fsPath ?? '');
  const markdown = comparisonMarkdown(scope, report);
  services.output.info(`Compare Model with Curated, ${scope}: ${JSON.stringify(report.entities.exact)}`);
  // A read-only virtual document: the preview shows the table, and closing it never asks to save anything.
  const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/Model vs curated — ${scope.replace(/[\\/]/g, '_')}.md` });
  reports.set(uri.toString(), markdown);
  changed.fire(uri);
  await vscode.commands.executeCommand('markdown.showPreview', uri);
}

const REPORT_SCHEME = 'biom-report';
const reports = new Map<string, string>();
const changed = new vscode.EventEmitter<vscode.Uri>();

/** Serves the reports as read-only markdown documents. */
export function registerReports(): vscode.Disposable {
  return vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => reports.get(uri.toString()) ?? '',
    }),
  );
}
