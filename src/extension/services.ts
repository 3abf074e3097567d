// Owns building the extension's long-lived services once per activation; features receive them in registerX(services).
import * as vscode from 'vscode';
import { AnnotationStore } from './annotationStore';
import { Annotator } from './annotator';
import { InProcessBackend, type AnnotationBackend } from './backend';
import { ConfigService } from './configService';
import { modelRefs, type ModelRefs } from './models/modelRefs';
import { StatusBar } from './statusBar';
import { EditorTracker } from './editorTracker';

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
  const backend = new InProcessBackend({ threads: config.current.runtime.threads });
  const store = new AnnotationStore();
  const editors = new EditorTracker();
  const models = (): ModelRefs =>
    modelRefs(config.current, {
      extensionPath: context.extensionUri.fsPath,
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    });
  const status = new StatusBar(store, editors, config);
  const annotator = new Annotator({ backend, store, config, status, models, output });
  disposables.push(
    config,
    output,
    editors,
    status,
    annotator,
    { dispose: () => void backend.dispose() },
    config.onDidChange((after, _before, changed) => {
      if (changed.runtime && backend instanceof InProcessBackend) void backend.setThreads(after.runtime.threads);
    }),
  );
  return { context, config, backend, store, annotator, status, editors, models, output };
}
