// The bundled dist/extension.js activates against a stand-in 'vscode' and registers every command in the table.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ALL_COMMAND_IDS } from '../../src/extension/commands/commandIds';

const bundle = join(import.meta.dirname, '..', '..', 'dist', 'extension.js');

type Stub = ((...args: unknown[]) => Stub) & { [key: string]: Stub };

/**
 * A 'vscode' where every property, call and `new` gives back another stand-in, so activation can run in plain Node.
 * Only what the test looks at is recorded: registered commands, views and subscriptions.
 */
function fakeVscode(recorded: { commands: string[]; views: string[] }): Stub {
  const make = (path: string): Stub => {
    const target = function () {} as unknown as Stub;
    return new Proxy(target, {
      get(_t, key) {
        if (key === 'then') return undefined; // not a promise
        if (key === Symbol.toPrimitive) return () => 0;
        if (typeof key === 'symbol') return undefined;
        // No editors, documents or folders are open in this stand-in.
        if (['visibleTextEditors', 'textDocuments', 'workspaceFolders'].includes(key)) return [];
        if (key === 'activeTextEditor') return undefined;
        return make(`${path}.${key}`);
      },
      apply(_t, _this, args) {
        if (path === 'vscode.commands.registerCommand') recorded.commands.push(String(args[0]));
        if (path === 'vscode.window.registerWebviewViewProvider') recorded.views.push(String(args[0]));
        if (path.endsWith('.get')) return undefined; // configuration values: the defaults apply
        return make(`${path}()`);
      },
      set() {
        return true; // item.text = …, editor.selections = …: accepted and forgotten
      },
      construct() {
        return make(`new ${path}`);
      },
    });
  };
  // esbuild copies the module's own keys into its namespace object, so the top level lists the namespaces used.
  const namespaces = [
    'window',
    'workspace',
    'commands',
    'languages',
    'env',
    'Disposable',
    'EventEmitter',
    'ThemeColor',
    'Uri',
    'Range',
    'Selection',
    'MarkdownString',
    'Hover',
    'ProgressLocation',
    'StatusBarAlignment',
    'OverviewRulerLane',
    'DecorationRangeBehavior',
    'ConfigurationTarget',
    'ViewColumn',
    'TextEditorRevealType',
    'QuickPickItemKind',
    // Curation (src/extension/curation/): lightbulb actions, the Entities tree, the .ann watcher.
    'CodeAction',
    'CodeActionKind',
    'TreeItem',
    'TreeItemCollapsibleState',
    'ThemeIcon',
    'RelativePattern',
  ];
  return Object.fromEntries(namespaces.map((name) => [name, make(`vscode.${name}`)])) as unknown as Stub;
}

describe('extension activation', () => {
  it('the extension host bundle never loads onnxruntime or tokenizers: all inference runs in dist/worker.js', (t) => {
    if (!existsSync(bundle)) {
      t.skip('dist/extension.js is not built (npm run build)');
      return;
    }
    // A native crash in either would take the editor down with it (issue 4); they belong to the worker process only.
    const required = [...readFileSync(bundle, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.deepEqual(
      required.filter((m) => m === 'onnxruntime-node' || m === 'tokenizers'),
      [],
    );
  });

  it('activate() registers every command and the QA view, and the subscriptions dispose cleanly', async (t) => {
    if (!existsSync(bundle)) {
      t.skip('dist/extension.js is not built (npm run build)');
      return;
    }
    const recorded = { commands: [] as string[], views: [] as string[] };
    const vscode = fakeVscode(recorded);
    const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const original = loader._load;
    loader._load = (request, ...rest) => (request === 'vscode' ? vscode : original(request, ...rest));
    try {
      const extension = createRequire(import.meta.url)(bundle) as {
        activate(context: unknown): void;
        deactivate(): Promise<void>;
      };
      const subscriptions: { dispose(): void }[] = [];
      const context = { subscriptions, extensionUri: { fsPath: '/ext' }, workspaceState: vscode, globalState: vscode, secrets: vscode };
      extension.activate(context);
      assert.deepEqual([...recorded.commands].sort(), [...ALL_COMMAND_IDS].sort());
      assert.deepEqual(recorded.views, ['biom.qaView']);
      assert.ok(subscriptions.length > 0);
      // VS Code awaits deactivate (it stops the worker process; none was started here, it starts on first use).
      await extension.deactivate();
      for (const s of subscriptions) s.dispose();
    } finally {
      loader._load = original;
    }
  });
});
