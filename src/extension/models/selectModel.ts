// Owns the "BioM: Select Model" flow: per task, a bundled model, a local folder, or a download from a Hugging Face hub.
import * as vscode from 'vscode';
import type { ModelTask } from '../../core/models/modelFolder';
import type { LocalModel } from '../../core/models/registry';
import type { Services } from '../services';
import { environmentTokenFor, hubOrigin, tokenSecretKey } from './hubToken';
import { demoTag, modelFolderAdvice } from '../../host/modelFolderAdvice';
import { describeSpeed, folderComputePerToken, secondsPerAbstract } from '../../core/runtime/speedEstimate';
import { modelRef } from './modelRefs';
import { speedProbe } from './speedProbe';

const TASKS: { task: ModelTask; label: string; setting: string; detail: string }[] = [
  { task: 'ner', label: 'Entities (NER)', setting: 'models.ner', detail: 'chemical and gene mentions' },
  { task: 'relations', label: 'Relations (ChemProt)', setting: 'models.relations', detail: 'chemical–gene relation classes' },
  { task: 'qa', label: 'Question answering', setting: 'models.qa', detail: 'extractive answers from the document' },
];

const RECENT_KEY = 'biom.recentModelFolders';

type Choice = { kind: 'model'; model: LocalModel } | { kind: 'folder' } | { kind: 'download' };

type ChoiceItem = vscode.QuickPickItem & { choice?: Choice };

export async function selectModel(services: Services): Promise<void> {
  const taskPick = await vscode.window.showQuickPick(
    TASKS.map((t) => ({ label: t.label, description: t.detail, task: t })),
    { title: 'BioM: Select Model — which task?' },
  );
  if (!taskPick) return;
  const { task, setting, label } = taskPick.task;
  const models = await localModels(services, task);
  // Expected speed on this machine (measured once, stored): large models say when they will be slow.
  const probe = await speedProbe(services);
  const speed = (m: LocalModel): string | undefined =>
    describeSpeed(
      secondsPerAbstract(
        probe,
        folderComputePerToken(m.folder),
        modelRef(m.folder, services.config.current.runtime.quantized).quantized === true,
      ),
    );
  const { formatBytes } = await import('../../core/models/hub');
  const refs = services.models();
  const current = new Set((task === 'ner' ? refs.ner : [task === 'relations' ? refs.relations : refs.qa]).map((r) => r.folder));
  const items: ChoiceItem[] = [
    ...models.map(
      (m): ChoiceItem => ({
        label: `${m.source === 'bundled' ? '$(package)' : m.source === 'downloaded' ? '$(cloud-download)' : '$(folder)'} ${m.name}`,
        description: [
          current.has(m.folder) ? '$(check) current' : '',
          m.source === 'bundled' ? demoTag(task) : m.source,
          m.architecture,
          m.fp32 ? 'fp32' : '',
          m.int8 ? 'int8' : '',
          formatBytes(m.sizeBytes),
          speed(m),
        ]
          .filter(Boolean)
          .join(' · '),
        detail: m.problem ? `$(warning) ${modelFolderAdvice(m.folder, m.problem)}` : `${labelSummary(m.labels)}${m.folder}`,
        choice: { kind: 'model', model: m },
      }),
    ),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(folder-opened) Local folder…', description: 'a Hugging Face/Optimum folder with onnx/', choice: { kind: 'folder' } },
    { label: '$(cloud-download) Download from Hugging Face…', description: services.config.current.hub.url, choice: { kind: 'download' } },
  ];
  // A choice that cannot be used says why and opens the picker again, so the user can choose another.
  let folder: string | undefined;
  let placeHolder: string | undefined;
  for (;;) {
    const picked = await vscode.window.showQuickPick(items, { title: `BioM: model for ${label}`, matchOnDetail: true, placeHolder });
    const choice = picked?.choice;
    if (!choice) return;
    let problem: string | undefined;
    if (choice.kind === 'model') {
      if (choice.model.problem) problem = modelFolderAdvice(choice.model.folder, choice.model.problem);
      // The bundled model is the empty setting: it always resolves inside the extension, never in the workspace.
      else folder = choice.model.source === 'bundled' ? '' : choice.model.folder;
    } else if (choice.kind === 'folder') {
      const result = await pickFolder(services, task);
      if (result === undefined) return;
      if ('problem' in result) problem = result.problem;
      else folder = result.folder;
    } else {
      folder = await download(services);
    }
    if (!problem) break;
    void vscode.window.showErrorMessage(`BioM: ${problem}`);
    placeHolder = `Not usable: ${problem} Choose another model.`;
  }
  if (folder === undefined) return;
  // NER takes a list (several models are merged); choosing here replaces it with the one model picked.
  await services.config.update(setting, task === 'ner' ? (folder ? [folder] : []) : folder);
  void vscode.window.showInformationMessage(`BioM: ${label} now uses ${folder || 'the bundled model'}.`);
}

async function localModels(services: Services, task: ModelTask): Promise<LocalModel[]> {
  const { listLocalModels } = await import('../../core/models/registry');
  const all = await listLocalModels({
    bundledDir: vscode.Uri.joinPath(services.context.extensionUri, 'models').fsPath,
    cacheDir: modelCacheDir(services),
    folders: services.context.globalState.get<string[]>(RECENT_KEY) ?? [],
  });
  // Folders with a problem have no task; they are listed anyway so the user sees why a folder is not usable.
  return all.filter((m) => m.task === task || (m.task === undefined && m.source !== 'bundled'));
}

async function pickFolder(services: Services, task: ModelTask): Promise<{ folder: string } | { problem: string } | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Use this model folder',
  });
  const folder = picked?.[0]?.fsPath;
  if (!folder) return undefined;
  const { describeModelFolder } = await import('../../core/models/registry');
  const model = await describeModelFolder(folder, 'folder');
  if (model.problem) return { problem: modelFolderAdvice(folder, model.problem) };
  if (model.task !== task) return { problem: `${folder} is a ${model.task ?? 'unknown'} model, not a ${task} model.` };
  const recent = services.context.globalState.get<string[]>(RECENT_KEY) ?? [];
  await services.context.globalState.update(RECENT_KEY, [folder, ...recent.filter((f) => f !== folder)].slice(0, 10));
  return { folder };
}

/** Pulls a repository into the cache; asks before fetching, shows progress, offers a token when the hub wants one. */
async function download(services: Services): Promise<string | undefined> {
  const repo = await vscode.window.showInputBox({
    title: 'BioM: download a model',
    prompt: 'Repository id (owner/name) of an ONNX export, optionally @revision',
    placeHolder: 'owner/BioM-ALBERT-xxlarge-onnx@main',
    ignoreFocusOut: true,
  });
  if (!repo?.trim()) return undefined;
  const [id, revision] = repo.trim().split('@');
  const hub = await import('../../core/models/hub');
  const { config, context } = services;
  const hubUrl = config.current.hub.url;
  const origin = hubOrigin(hubUrl);
  if (!origin) {
    void vscode.window.showErrorMessage(`BioM: biom.hub.url ${JSON.stringify(hubUrl)} is not a URL.`);
    return undefined;
  }
  let token = (await context.secrets.get(tokenSecretKey(hubUrl))) ?? environmentTokenFor(hubUrl);
  // Nothing is requested, and no token sent, before the user agrees to contact this hub.
  const go = await vscode.window.showInformationMessage(
    `Contact ${origin} to download ${id}${revision ? `@${revision}` : ''}?`,
    {
      modal: true,
      detail: `The files and their total size are shown before the download starts.${token ? ` Your access token for ${origin} is sent with the requests.` : ''}`,
    },
    'Continue',
  );
  if (go !== 'Continue') return undefined;
  const attempt = (token: string | undefined): Thenable<string | undefined> =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `BioM: downloading ${id}`, cancellable: true },
      async (progress, cancel) => {
        const controller = new AbortController();
        const listener = cancel.onCancellationRequested(() => controller.abort());
        let reported = 0;
        try {
          const result = await hub.pullModel({
            repo: id,
            revision: revision || undefined,
            hubUrl,
            token,
            cacheDir: modelCacheDir(services),
            proxy: proxySetting(),
            quantized: config.current.runtime.quantized === true,
            signal: controller.signal,
            onPlan: async (plan) => {
              const go = await vscode.window.showInformationMessage(
                `Download ${plan.files.length} files (${hub.formatBytes(plan.totalBytes)}) from ${plan.hubUrl}/${plan.repo}@${plan.revision}?`,
                { modal: true },
                'Download',
              );
              return go === 'Download';
            },
            onProgress: (p) => {
              const percent = p.totalBytes > 0 ? Math.floor((p.bytes / p.totalBytes) * 100) : 0;
              const rate = p.bytesPerSecond ? `, ${hub.formatBytes(p.bytesPerSecond)}/s` : '';
              const eta = p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds) ? `, ${Math.ceil(p.etaSeconds)} s left` : '';
              progress.report({
                increment: percent - reported,
                message: `${p.phase} ${p.file} — ${hub.formatBytes(p.bytes)} of ${hub.formatBytes(p.totalBytes)}${rate}${eta}`,
              });
              reported = percent;
            },
          });
          return result.folder;
        } finally {
          listener.dispose();
        }
      },
    );
  for (;;) {
    try {
      return await attempt(token);
    } catch (e) {
      if (e instanceof hub.HubError && e.code === 'unauthorized') {
        const entered = await vscode.window.showInputBox({
          title: `BioM: ${origin} asks for an access token`,
          prompt: `${e.message} — the token is kept in VS Code's secret storage and sent to ${origin} only`,
          password: true,
          ignoreFocusOut: true,
        });
        if (!entered) return undefined;
        token = entered.trim();
        await context.secrets.store(tokenSecretKey(hubUrl), token);
        continue;
      }
      if (e instanceof Error && e.name === 'CancelledError') return undefined;
      void vscode.window.showErrorMessage(`BioM: download failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }
}

/** Downloads live in the extension's global storage, so uninstalling the extension removes them. */
function modelCacheDir(services: Services): string {
  return vscode.Uri.joinPath(services.context.globalStorageUri, 'models').fsPath;
}

/** VS Code's own proxy setting wins over the environment (HTTPS_PROXY), as other extensions do. */
function proxySetting(): string | undefined {
  const proxy = vscode.workspace.getConfiguration('http').get<string>('proxy');
  return proxy?.trim() ? proxy.trim() : undefined;
}

function labelSummary(labels: readonly string[]): string {
  if (labels.length === 0) return '';
  const shown = labels.slice(0, 6).join(', ');
  return `labels: ${shown}${labels.length > 6 ? ', …' : ''} — `;
}
