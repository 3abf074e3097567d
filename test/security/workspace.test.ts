// What a workspace (an untrusted repository) can and cannot change: model folders, the hub and its token, live mode,
// and which document a webview may select text in (issue 9, items 2, 3 and the reveal part of 5).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RESTRICTED_SETTINGS, readConfig, trustedSource, type InspectSource } from '../../src/extension/config';
import { environmentTokenFor, tokenSecretKey } from '../../src/extension/models/hubToken';
import { modelRefs, resolveModelFolder } from '../../src/extension/models/modelRefs';
import { mayReveal } from '../../src/extension/revealPolicy';
import { root } from '../helpers/paths';

interface Contributed {
  scope?: string;
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  capabilities?: { untrustedWorkspaces?: { supported: unknown; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, Contributed> } };
};

const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A hostile repository: its own models/ner-albert/ and a .vscode/settings.json that sets every BioM setting. */
function hostileWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'biom-sec-ws-'));
  temps.push(dir);
  mkdirSync(join(dir, 'models', 'ner-albert', 'onnx'), { recursive: true });
  mkdirSync(join(dir, 'evil-model'), { recursive: true });
  return dir;
}

const WORKSPACE_VALUES: Record<string, unknown> = {
  'models.ner': ['evil-model'],
  'models.relations': '${workspaceFolder}/evil-model',
  'models.qa': 'evil-model',
  'hub.url': 'https://hub.attacker.example',
  'live.enabled': true,
  'ner.minScore': 0.9,
};

/** What VS Code's WorkspaceConfiguration gives when the workspace's settings.json sets WORKSPACE_VALUES. */
function workspaceSettings(user: Record<string, unknown> = {}): InspectSource {
  return {
    get: <T>(key: string) => (WORKSPACE_VALUES[key] ?? user[key]) as T | undefined,
    inspect: <T>(key: string) => ({ defaultValue: undefined as T | undefined, globalValue: user[key] as T | undefined }),
  };
}

describe('workspace trust', () => {
  it('declares limited support in untrusted workspaces, restricting exactly the settings the code restricts', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.deepEqual([...(untrusted?.restrictedConfigurations ?? [])].sort(), RESTRICTED_SETTINGS.map((k) => `biom.${k}`).sort());
  });

  it('biom.hub.url is a user (application) setting that a workspace cannot set', () => {
    assert.equal(manifest.contributes.configuration.properties['biom.hub.url'].scope, 'application');
  });

  it('an untrusted workspace cannot choose model folders, the hub or live mode; other settings still apply', () => {
    const config = readConfig(trustedSource(workspaceSettings(), false));
    assert.deepEqual(config.models, { ner: [], relations: '', qa: '' });
    assert.equal(config.hub.url, 'https://huggingface.co');
    assert.equal(config.live.enabled, false);
    assert.equal(config.ner.minScore, 0.9);
    const user = readConfig(trustedSource(workspaceSettings({ 'models.qa': '/opt/models/qa' }), false));
    assert.equal(user.models.qa, '/opt/models/qa', "the user's own settings still apply");
    const trusted = readConfig(trustedSource(workspaceSettings(), true));
    assert.deepEqual(trusted.models.ner, ['evil-model']);
    assert.equal(trusted.live.enabled, true);
  });

  it("the bundled default always resolves inside the extension, never to a workspace's models/ folder", () => {
    const ws = hostileWorkspace();
    const extensionPath = join(root);
    for (const workspaceTrusted of [false, true]) {
      const context = { extensionPath, workspaceFolders: [ws], workspaceTrusted };
      assert.equal(resolveModelFolder('', 'ner', context), join(root, 'models', 'ner-albert'));
      const refs = modelRefs(readConfig(trustedSource(workspaceSettings(), workspaceTrusted)), context);
      const folders = [...refs.ner.map((r) => r.folder), refs.relations.folder, refs.qa.folder];
      if (!workspaceTrusted)
        assert.ok(
          folders.every((f) => !f.startsWith(ws)),
          `untrusted: ${folders.join(', ')}`,
        );
      else
        assert.ok(
          folders.every((f) => f.startsWith(ws)),
          `trusted: ${folders.join(', ')}`,
        );
    }
    // Even a relative path written in the user's settings is not looked up in an untrusted workspace.
    const untrusted = { extensionPath, workspaceFolders: [ws], workspaceTrusted: false };
    assert.equal(resolveModelFolder('evil-model', 'qa', untrusted), join(root, 'evil-model'));
    assert.equal(resolveModelFolder('${workspaceFolder}/evil-model', 'qa', untrusted), join(root, 'models', 'qa-albert'));
  });
});

describe('hub token scope', () => {
  it('keeps one token per hub origin and gives HF_TOKEN to huggingface.co only', () => {
    assert.notEqual(tokenSecretKey('https://huggingface.co'), tokenSecretKey('https://hub.attacker.example'));
    assert.equal(tokenSecretKey('https://huggingface.co'), tokenSecretKey('https://huggingface.co/'));
    assert.notEqual(tokenSecretKey('https://huggingface.co'), tokenSecretKey('https://huggingface.co.attacker.example'));
    const env = { HF_TOKEN: 'hf_secret' };
    assert.equal(environmentTokenFor('https://huggingface.co', env), 'hf_secret');
    assert.equal(environmentTokenFor('https://hub.attacker.example', env), undefined);
    assert.equal(environmentTokenFor('http://127.0.0.1:8080', env), undefined);
  });
});

describe('webview reveal', () => {
  it('selects text only in the document the panel belongs to', () => {
    const panel = 'file:///work/abstract.txt';
    assert.equal(mayReveal(panel, panel), true);
    assert.equal(mayReveal('file:///home/me/.ssh/id_rsa', panel), false);
    assert.equal(mayReveal('untitled:Untitled-1', panel), false);
    assert.equal(mayReveal(panel, undefined), false);
  });
});
