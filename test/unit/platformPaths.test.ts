// Model folder settings and the CLI's install root under Windows path rules (drive letters, UNC shares, backslashes)
// and POSIX rules, run on any machine through path.win32 / path.posix.
import assert from 'node:assert/strict';
import { join, posix, win32 } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { installRoot } from '../../src/cli/defaults';
import { resolveModelFolder, type ResolveContext } from '../../src/extension/models/modelRefs';
import { root } from '../helpers/paths';

const winExtension = 'C:\\Users\\ana\\.vscode\\extensions\\biom.biom-annotator-0.1.0-win32-x64';
function win(workspaceFolders: string[], existing: string[] = []): ResolveContext {
  const present = new Set(existing.map((p) => p.toLowerCase()));
  return {
    extensionPath: winExtension,
    workspaceFolders,
    workspaceTrusted: true,
    path: win32,
    home: 'C:\\Users\\ana',
    exists: (p) => present.has(p.toLowerCase()),
  };
}
function nix(workspaceFolders: string[], existing: string[] = []): ResolveContext {
  return {
    extensionPath: '/home/ana/.vscode-server/extensions/biom.biom-annotator-0.1.0-linux-x64',
    workspaceFolders,
    workspaceTrusted: true,
    path: posix,
    home: '/home/ana',
    exists: (p) => existing.includes(p),
  };
}

describe('model folder settings on Windows', () => {
  it('takes drive-letter paths with either separator', () => {
    assert.equal(resolveModelFolder('C:\\Users\\ana\\models\\ner', 'ner', win([])), 'C:\\Users\\ana\\models\\ner');
    assert.equal(resolveModelFolder('  C:/Users/ana/models/ner/  ', 'ner', win([])), 'C:\\Users\\ana\\models\\ner');
    assert.equal(resolveModelFolder('d:\\Models\\..\\models\\qa', 'qa', win(['C:\\papers'])), 'd:\\models\\qa');
  });

  it('takes UNC shares, written with backslashes or slashes', () => {
    assert.equal(resolveModelFolder('\\\\lab-nas\\share\\biom\\ner\\', 'ner', win(['C:\\papers'])), '\\\\lab-nas\\share\\biom\\ner');
    assert.equal(resolveModelFolder('//lab-nas/share/biom/ner', 'ner', win(['C:\\papers'])), '\\\\lab-nas\\share\\biom\\ner');
  });

  it('expands ~, ${extensionPath} and ${workspaceFolder} with Windows separators', () => {
    assert.equal(resolveModelFolder('~\\models\\ner', 'ner', win([])), 'C:\\Users\\ana\\models\\ner');
    assert.equal(resolveModelFolder('~/models/ner', 'ner', win([])), 'C:\\Users\\ana\\models\\ner');
    assert.equal(resolveModelFolder('${extensionPath}\\models\\qa-albert', 'qa', win([])), `${winExtension}\\models\\qa-albert`);
    assert.equal(
      resolveModelFolder('${workspaceFolder}/models/ner', 'ner', win(['\\\\nas\\share\\papers'])),
      '\\\\nas\\share\\papers\\models\\ner',
    );
  });

  it('looks a relative folder up in the workspace, then the extension; the bundled model by default', () => {
    const inWorkspace = 'D:\\papers\\models\\ner-albert';
    const inExtension = `${winExtension}\\models\\ner-albert`;
    assert.equal(resolveModelFolder('models\\ner-albert', 'ner', win(['D:\\papers'], [inWorkspace, inExtension])), inWorkspace);
    assert.equal(resolveModelFolder('models/ner-albert', 'ner', win(['D:\\papers'], [inExtension])), inExtension);
    assert.equal(resolveModelFolder('', 'ner', win(['D:\\papers'], [inExtension])), inExtension);
    assert.equal(
      resolveModelFolder('models\\mine', 'ner', win(['\\\\nas\\share\\papers'], ['\\\\nas\\share\\papers\\models\\mine'])),
      '\\\\nas\\share\\papers\\models\\mine',
    );
  });

  it('puts a root-relative folder on the workspace drive or share and a drive-relative one at that drive root', () => {
    // Not on the extension host's current drive, which nothing in the editor defines.
    assert.equal(resolveModelFolder('\\models\\ner', 'ner', win(['D:\\papers'])), 'D:\\models\\ner');
    assert.equal(resolveModelFolder('/models/ner', 'ner', win(['\\\\nas\\share\\papers'])), '\\\\nas\\share\\models\\ner');
    assert.equal(resolveModelFolder('E:models\\ner', 'ner', win(['D:\\papers'])), 'E:\\models\\ner');
  });
});

describe('model folder settings on Linux and macOS', () => {
  it('reads backslashes in a relative setting as separators (settings.json shared with Windows machines)', () => {
    assert.equal(
      resolveModelFolder('models\\ner-albert', 'ner', nix(['/srv/papers'], ['/srv/papers/models/ner-albert'])),
      '/srv/papers/models/ner-albert',
    );
    assert.equal(resolveModelFolder('~\\models\\ner', 'ner', nix([])), '/home/ana/models/ner');
  });

  it('keeps absolute paths as written, a backslash there being part of a name', () => {
    assert.equal(resolveModelFolder('/opt/models/ner/', 'ner', nix([])), '/opt/models/ner');
    assert.equal(resolveModelFolder('/opt/odd\\name', 'ner', nix([])), '/opt/odd\\name');
  });

  it('finds the bundled models in this checkout with the host path rules', () => {
    assert.equal(
      resolveModelFolder('', 'qa', { extensionPath: root, workspaceFolders: [], workspaceTrusted: true }),
      join(root, 'models', 'qa-albert'),
    );
  });
});

describe('the CLI install root', () => {
  it('is the npm package folder of a global install on Windows', () => {
    const pkg = 'C:\\Users\\ana\\AppData\\Roaming\\npm\\node_modules\\biom-annotator';
    const marker = `${pkg}\\models\\ner-albert\\config.json`;
    assert.equal(
      installRoot(`${pkg}\\dist`, win32, (f) => f === marker),
      pkg,
    );
  });

  it('stops at the root of a UNC share or a drive when no models are found', () => {
    const looked: string[] = [];
    const start = '\\\\nas\\tools\\biom\\dist';
    assert.equal(
      installRoot(start, win32, (f) => (looked.push(f), false)),
      start,
    );
    assert.equal(looked.at(-1), '\\\\nas\\tools\\models\\ner-albert\\config.json');
    looked.length = 0;
    installRoot('C:\\biom\\dist', win32, (f) => (looked.push(f), false));
    assert.deepEqual(looked, [
      'C:\\biom\\dist\\models\\ner-albert\\config.json',
      'C:\\biom\\models\\ner-albert\\config.json',
      'C:\\models\\ner-albert\\config.json',
    ]);
  });

  it('is this checkout from the CLI sources', () => {
    assert.equal(installRoot(join(root, 'src', 'cli')), root);
  });
});

describe('remote workspaces (Remote-SSH, WSL, Dev Containers)', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    extensionKind?: string[];
    contributes: { configuration: { properties: Record<string, { scope?: string }> } };
  };

  it('runs in the workspace extension host, next to the files and the models', () => {
    assert.deepEqual(manifest.extensionKind, ['workspace']);
  });

  it('keeps model folder settings per machine, so a Windows path set locally does not follow into a Linux remote', () => {
    for (const key of ['biom.models.ner', 'biom.models.relations', 'biom.models.qa']) {
      assert.equal(manifest.contributes.configuration.properties[key].scope, 'machine-overridable', key);
    }
  });
});
