// Owns reading the settings from VS Code (the one place that does) and telling features when they change.
import * as vscode from 'vscode';
import { CONFIG_SECTION, RESTRICTED_SETTINGS, configChanges, readConfig, trustedSource, type Config } from './config';

/** The settings as the current workspace's trust allows (see trustedSource). */
function readSettings(): Config {
  return readConfig(trustedSource(vscode.workspace.getConfiguration(CONFIG_SECTION), vscode.workspace.isTrusted));
}

export type ConfigListener = (after: Config, before: Config, changed: ReturnType<typeof configChanges>) => void;

export class ConfigService implements vscode.Disposable {
  private value: Config = readSettings();
  private readonly listeners = new Set<ConfigListener>();
  private readonly subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(CONFIG_SECTION)) this.reload();
  });
  // Trusting the workspace lets its model folders and live mode apply at once, without a reload.
  private readonly trustSubscription = vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload());

  private reload(): void {
    const before = this.value;
    this.value = readSettings();
    const changed = configChanges(before, this.value);
    for (const listener of this.listeners) listener(this.value, before, changed);
  }

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
    // In an untrusted workspace its values of restricted settings are ignored, so the choice goes to user settings.
    const workspaceIgnored = !vscode.workspace.isTrusted && RESTRICTED_SETTINGS.includes(key);
    const target = workspaceIgnored
      ? vscode.ConfigurationTarget.Global
      : inspected?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await section.update(key, value, target);
  }

  dispose(): void {
    this.subscription.dispose();
    this.trustSubscription.dispose();
    this.listeners.clear();
  }
}
