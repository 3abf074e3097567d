// Owns the Import and Export commands' dialogs: which file or folder, which format, where to, and the summary; the
// conversions are core's (src/core/curation/importers.ts). Nothing is overwritten without asking.
import * as vscode from 'vscode';
import { basename, dirname, join } from 'node:path';
import {
  EXPORT_FORMATS,
  exportCuration,
  importPreannotations as importFiles,
  readCuratedDocument,
  readCuratedFolder,
  type CurationRecord,
  type CurationSummary,
  type ExportFormat,
  type ExportScope,
  type FileProblem,
} from '../../core/curation/importers';
import { FileExistsError } from '../../core/io/atomicWrite';
import { describeCounts } from '../../host/curationActions';
import type { Services } from '../services';
import type { CurationController } from './curationController';

const FORMAT_LABEL: Record<ExportFormat, { label: string; detail: string; extension?: string }> = {
  pubtator: { label: 'PubTator', detail: 'one file; accepted and added only (PubTator has no place for a status)', extension: 'pubtator' },
  'bioc-json': { label: 'BioC JSON', detail: 'one file; the status of each annotation can be kept', extension: 'json' },
  brat: { label: 'brat', detail: 'a folder of .txt + .ann pairs; the status of each annotation can be kept' },
  conll: { label: 'CoNLL', detail: 'one file of tokens with BIO tags; accepted and added only', extension: 'conll' },
};

function summaryLine(summary: CurationSummary): string {
  const statuses = describeCounts(summary.byStatus);
  return `${summary.documents} documents, ${summary.entities} entities${statuses ? ` (${statuses})` : ''}, ${summary.relations} relations`;
}

function reportProblems(services: Services, problems: readonly FileProblem[], what: string): string {
  for (const p of problems) services.output.warn(`${p.file}:${p.line}: ${p.message}`);
  const [first] = problems;
  return first
    ? ` ${problems.length} lines could not be ${what} (first: ${basename(first.file)}:${first.line}: ${first.message}; all in the BioM log).`
    : '';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Import: a PubTator, BioC or brat file (or folder) of pre-annotations becomes .txt + .ann pairs to curate. */
export async function importPreannotations(services: Services): Promise<void> {
  const [input] =
    (await vscode.window.showOpenDialog({
      title: 'BioM: Import Pre-annotations — PubTator, BioC JSON/XML or brat',
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      openLabel: 'Import',
      filters: { 'Annotated documents': ['pubtator', 'txt', 'json', 'xml', 'ann'], 'All files': ['*'] },
    })) ?? [];
  if (!input) return;
  const [out] =
    (await vscode.window.showOpenDialog({
      title: 'BioM: Folder for the imported documents (.txt + .ann each)',
      canSelectFiles: false,
      canSelectFolders: true,
      openLabel: 'Import Here',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(dirname(input.fsPath)),
    })) ?? [];
  if (!out) return;
  try {
    const result = importFiles(input.fsPath, out.fsPath);
    const skipped = result.skipped?.length
      ? ` ${result.skipped.length} files exist already and were left as they are (first: ${basename(result.skipped[0])}).`
      : '';
    const problems = reportProblems(services, result.problems, 'read');
    services.output.info(`Imported ${input.fsPath} into ${out.fsPath}: ${summaryLine(result)}`);
    const firstText = result.files.find((f) => f.endsWith('.txt'));
    const choice = await vscode.window.showInformationMessage(
      `BioM: imported ${summaryLine(result)} into ${basename(out.fsPath)} as suggestions to review.${skipped}${problems}`,
      ...(firstText ? ['Open First'] : []),
    );
    if (choice && firstText) await vscode.window.showTextDocument(vscode.Uri.file(firstText));
  } catch (error) {
    void vscode.window.showErrorMessage(`BioM: could not import ${basename(input.fsPath)}: ${errorText(error)}`);
  }
}

/** Export: the current document or its whole folder, in one of the corpus formats, decisions only or with status. */
export async function exportCurated(services: Services, curation: CurationController): Promise<void> {
  const editor = services.editors.current;
  const folder = editor
    ? vscode.workspace.getWorkspaceFolder(editor.document.uri)?.uri.fsPath
    : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const scopes = [
    ...(editor && editor.document.uri.scheme === 'file'
      ? [{ label: 'This document', description: basename(editor.document.uri.fsPath), folder: false }]
      : []),
    ...(folder ? [{ label: 'Every curated document of the folder', description: folder, folder: true }] : []),
  ];
  if (scopes.length === 0) {
    void vscode.window.showInformationMessage('BioM: open a curated document or a folder to export.');
    return;
  }
  const scope = scopes.length === 1 ? scopes[0] : await vscode.window.showQuickPick(scopes, { title: 'BioM: Export — what' });
  if (!scope) return;
  const format = await vscode.window.showQuickPick(
    EXPORT_FORMATS.map((f) => ({ label: FORMAT_LABEL[f].label, detail: FORMAT_LABEL[f].detail, format: f })),
    { title: 'BioM: Export — format' },
  );
  if (!format) return;
  let include: ExportScope = 'decided';
  if (format.format === 'brat' || format.format === 'bioc-json') {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'Accepted and added only', detail: 'the curated gold', include: 'decided' as const },
        { label: 'Everything, with its status', detail: 'suggested and rejected too, each marked', include: 'all' as const },
      ],
      { title: 'BioM: Export — which annotations' },
    );
    if (!picked) return;
    include = picked.include;
  }
  // Decisions still waiting for their debounced write go to disk first: the export reads the files.
  await curation.flushAll();
  let records: CurationRecord[];
  let problems: FileProblem[];
  try {
    if (scope.folder && folder) ({ documents: records, problems } = readCuratedFolder(folder, services.config.current.curation.format));
    else {
      const document = editor?.document;
      if (!document) return;
      if (document.isDirty)
        void vscode.window.showInformationMessage('BioM: the document has unsaved edits; the saved version is exported.');
      const { problems: p, ...record } = readCuratedDocument(document.uri.fsPath, services.config.current.curation.format);
      records = [record];
      problems = p;
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`BioM: could not read the curation to export: ${errorText(error)}`);
    return;
  }
  if (records.length === 0) {
    void vscode.window.showInformationMessage(`BioM: no curated documents (.txt with a .ann beside it) in ${folder}.`);
    return;
  }
  const base = scope.folder ? basename(folder ?? 'corpus') : records[0].id;
  const defaultDir = folder ?? dirname(records[0].path ?? '.');
  const target =
    format.format === 'brat'
      ? (
          await vscode.window.showOpenDialog({
            title: 'BioM: Export — folder for the .txt + .ann pairs',
            canSelectFiles: false,
            canSelectFolders: true,
            openLabel: 'Export Here',
            defaultUri: vscode.Uri.file(defaultDir),
          })
        )?.[0]
      : await vscode.window.showSaveDialog({
          title: `BioM: Export — ${FORMAT_LABEL[format.format].label} file`,
          defaultUri: vscode.Uri.file(join(defaultDir, `${base}.curated.${FORMAT_LABEL[format.format].extension}`)),
        });
  if (!target) return;
  const run = (overwrite: boolean): CurationSummary => exportCuration(records, format.format, target.fsPath, { scope: include, overwrite });
  let summary: CurationSummary;
  try {
    try {
      // The save dialog asks before replacing its one file; a folder of pairs is asked about here.
      summary = run(format.format !== 'brat');
    } catch (error) {
      if (!(error instanceof FileExistsError)) throw error;
      const replace = await vscode.window.showWarningMessage(
        `BioM: ${basename(error.path)} exists already in ${dirname(error.path)}. Replace the exported files?`,
        { modal: true },
        'Replace',
      );
      if (replace !== 'Replace') return;
      summary = run(true);
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`BioM: export failed: ${errorText(error)}`);
    return;
  }
  const skipped = reportProblems(services, problems, 'read (their annotations are not exported)');
  services.output.info(`Exported ${summaryLine(summary)} to ${target.fsPath} (${format.label}, ${include})`);
  void vscode.window.showInformationMessage(
    `BioM: exported ${summaryLine(summary)} to ${basename(target.fsPath)} (${format.label}${include === 'all' ? ', with status' : ', accepted and added'}).${skipped}`,
  );
}
