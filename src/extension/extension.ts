// Owns the extension's lifetime: activate builds the services and registers each feature; deactivate ends them.
import * as vscode from 'vscode';
import { registerCommands } from './commands/registerCommands';
import { registerDecorations } from './decorations/entityDecorations';
import { registerHover } from './hover/entityHover';
import { registerLiveMode } from './live';
import { RelationsPanel } from './panel/relationsPanel';
import { QaViewProvider } from './qa/qaView';
import { QA_VIEW_ID } from './qa/qaViewId';
import { createServices } from './services';
import { registerCuration } from './curation/registerCuration';

/** Set while active: deactivate waits for the worker process to exit, which disposing the subscriptions only starts. */
let stopWorker: (() => Promise<void>) | undefined;
/** Set while active: deactivate writes every pending curation decision before the window goes. */
let flushCuration: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const disposables: vscode.Disposable[] = [];
  const services = createServices(context, disposables);
  stopWorker = () => services.backend.dispose();
  const relations = new RelationsPanel(services);
  const qa = new QaViewProvider(services);
  const curation = registerCuration(services);
  flushCuration = () => curation.controller.flushAll();
  relations.followCuration((listener) => curation.controller.onDidChange(listener));
  disposables.push(
    curation,
    relations,
    qa,
    vscode.window.registerWebviewViewProvider(QA_VIEW_ID, qa),
    registerDecorations(services, curation.controller),
    registerHover(services, curation.controller),
    registerLiveMode(services),
    registerCommands(services, { relations, qa, curation: curation.handlers }),
  );
  // One store: VS Code disposes it on deactivate, in reverse order of creation.
  context.subscriptions.push(new vscode.Disposable(() => disposables.reverse().forEach((d) => d.dispose())));
}

export async function deactivate(): Promise<void> {
  // The rest is in context.subscriptions; disposing the worker twice (here and there) is harmless.
  const stop = stopWorker;
  const flush = flushCuration;
  stopWorker = undefined;
  flushCuration = undefined;
  // Decisions first: they are the user's work; the worker only holds what a model can find again.
  await flush?.();
  await stop?.();
}
