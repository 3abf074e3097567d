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

/** Set while active: deactivate waits for the worker process to exit, which disposing the subscriptions only starts. */
let stopWorker: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const disposables: vscode.Disposable[] = [];
  const services = createServices(context, disposables);
  stopWorker = () => services.backend.dispose();
  const relations = new RelationsPanel(services);
  const qa = new QaViewProvider(services);
  disposables.push(
    relations,
    qa,
    vscode.window.registerWebviewViewProvider(QA_VIEW_ID, qa),
    registerDecorations(services),
    registerHover(services),
    registerLiveMode(services),
    registerCommands(services, { relations, qa }),
  );
  // One store: VS Code disposes it on deactivate, in reverse order of creation.
  context.subscriptions.push(new vscode.Disposable(() => disposables.reverse().forEach((d) => d.dispose())));
}

export async function deactivate(): Promise<void> {
  // The rest is in context.subscriptions; disposing the worker twice (here and there) is harmless.
  const stop = stopWorker;
  stopWorker = undefined;
  await stop?.();
}
