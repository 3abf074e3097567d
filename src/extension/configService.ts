// Owns reading the settings from VS Code (the one place that does) and telling features when they change.
import * as vscode from 'vscode';
import { CONFIG_SECTION, configChanges, readConfig, type Config } from './config';

export type ConfigListener = (after: Config, before: Config, changed: ReturnType<typeof configChanges>) => void;

export class ConfigService implements vscode.Disposable {
  private value: Config = readConfig(vscode.workspace.getConfiguration(CONFIG_SECTION));
  private readonly listeners = new Set<ConfigListener>();
  private readonly subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(CONFIG_SECTION)) return;
    const before = this.value;
    this.value = readConfig(vscode.workspace.getConfiguration(CONFIG_SECTION));
    const changed = configChanges(before, this.value);
    for (const listener of this.listeners) listener(this.value, before, changed);
  });

  get current(): Config {
    return this.value;
  }

  onDidChange(listener: ConfigListener): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  /** Writes where the user keeps the setting today (workspace if set there), else in user settings. */
  async update(key: string, value: unknown): Promise<void> {
    const section = vscode.workspace.getConfiguration(CONFIG_SECTION);
    const inspected = section.inspect(key);
    const target =
      inspected?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await section.update(key, value, target);
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
  }
}
