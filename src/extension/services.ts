// Owns building the extension's long-lived services once per activation; features receive them in registerX(services).
import { join } from 'node:path';
import * as vscode from 'vscode';
import { AnnotationStore } from '../host/annotationStore';
import { Annotator } from './annotator';
import type { AnnotationBackend } from '../host/backend';
import { ConfigService } from './configService';
import { modelRefs, type ModelRefs } from './models/modelRefs';
import { StatusBar } from './statusBar';
import { EditorTracker } from './editorTracker';
import { WorkerBackend } from '../host/workerBackend';
import { workerStatusReporter } from './workerNotifications';

export interface Services {
  context: vscode.ExtensionContext;
  config: ConfigService;
  backend: AnnotationBackend;
  store: AnnotationStore;
  annotator: Annotator;
  status: StatusBar;
  editors: EditorTracker;
  /** Model folders for the current settings, resolved against the workspace and the extension. */
  models(): ModelRefs;
  output: vscode.LogOutputChannel;
  /** The persistent result cache (biom.cache.maxSizeMB); `clear` returns the bytes it freed. */
  resultCache: { clear(): number };
}

/** Everything returned is also pushed onto `disposables`, so one store ends the extension's lifetime. */
export function createServices(context: vscode.ExtensionContext, disposables: vscode.Disposable[]): Services {
  const config = new ConfigService();
  const output = vscode.window.createOutputChannel('BioM', { log: true });
  const store = new AnnotationStore();
  const editors = new EditorTracker();
  const status = new StatusBar(store, editors, config);
  // Stand-ins for the editor (activation tests) may have no storage folder: then results stay in memory only.
  const storage = (context.globalStorageUri as vscode.Uri | undefined)?.fsPath;
  // All tokenization and onnxruntime work happens in this process, started on the first request.
  const backend = new WorkerBackend({
    workerPath: join(context.extensionUri.fsPath, 'dist', 'worker.js'),
    threads: config.current.runtime.threads,
    settings: { device: config.current.runtime.device },
    nerMode: () => config.current.ner.mode,
    onStatus: workerStatusReporter(status, output),
    onLog: (line) => output.info(line),
    // Global storage: results survive restarts and are shared by workspaces; the version invalidates older results.
    resultCache: storage
      ? {
          dir: join(storage, 'result-cache'),
          maxBytes: config.current.cache.maxSizeMB * 1024 * 1024,
          salt: String((context.extension as vscode.Extension<unknown> | undefined)?.packageJSON?.version ?? ''),
        }
      : undefined,
  });
  const resultCache = {
    clear: (): number => {
      const bytes = backend.resultCacheBytes();
      backend.clearResultCache();
      return bytes;
    },
  };
  const models = (): ModelRefs =>
    modelRefs(config.current, {
      extensionPath: context.extensionUri.fsPath,
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
      workspaceTrusted: vscode.workspace.isTrusted,
    });
  const annotator = new Annotator({ backend, store, config, status, models, output, memento: context.globalState });
  disposables.push(
    config,
    output,
    editors,
    status,
    annotator,
    { dispose: () => void backend.dispose() },
    // biom.runtime.quantized needs no restart: it picks the model file per request (see modelRefs).
    config.onDidChange((after, before, changed) => {
      if (changed.runtime) void backend.setThreads(after.runtime.threads, after.runtime.device);
      if (after.cache.maxSizeMB !== before.cache.maxSizeMB) backend.setResultCacheBytes(after.cache.maxSizeMB * 1024 * 1024);
    }),
  );
  return { context, config, backend, store, annotator, status, editors, models, output, resultCache };
}
