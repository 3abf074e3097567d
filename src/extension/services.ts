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
}

/** Everything returned is also pushed onto `disposables`, so one store ends the extension's lifetime. */
export function createServices(context: vscode.ExtensionContext, disposables: vscode.Disposable[]): Services {
  const config = new ConfigService();
  const output = vscode.window.createOutputChannel('BioM', { log: true });
  const store = new AnnotationStore();
  const editors = new EditorTracker();
  const status = new StatusBar(store, editors, config);
  // All tokenization and onnxruntime work happens in this process, started on the first request.
  const backend = new WorkerBackend({
    workerPath: join(context.extensionUri.fsPath, 'dist', 'worker.js'),
    threads: config.current.runtime.threads,
    settings: { device: config.current.runtime.device },
    nerMode: () => config.current.ner.mode,
    onStatus: workerStatusReporter(status, output),
    onLog: (line) => output.info(line),
  });
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
    config.onDidChange((after, _before, changed) => {
      if (changed.runtime) void backend.setThreads(after.runtime.threads, after.runtime.device);
    }),
  );
  return { context, config, backend, store, annotator, status, editors, models, output };
}
