import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { root } from '../helpers/paths';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

const importsOf = (file: string, module: string): boolean =>
  new RegExp(`(from\\s+|require\\(|import\\()\\s*['"]${module}['"]`).test(readFileSync(file, 'utf8'));

test('the pure layers (src/core, src/shared, src/worker, src/host, src/cli, webview) never import vscode', () => {
  const offenders = ['src/core', 'src/shared', 'src/worker', 'src/host', 'src/cli', 'webview']
    .flatMap((d) => sources(join(root, d)))
    .filter((f) => importsOf(f, 'vscode'))
    .map((f) => relative(root, f));
  assert.deepEqual(offenders, []);
});

test('onnxruntime-node is imported by src/core/runtime/onnxSession.ts only', () => {
  const importers = sources(join(root, 'src'))
    .filter((f) => importsOf(f, 'onnxruntime-node'))
    .map((f) => relative(root, f));
  assert.deepEqual(importers, [join('src', 'core', 'runtime', 'onnxSession.ts')]);
});

test('the webviews import only shared protocol types and their own modules', () => {
  for (const file of sources(join(root, 'webview'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
      const ok = m[1].startsWith('.')
        ? !m[1].includes('/core/') && !m[1].includes('/extension/')
        : m[1].startsWith('@vscode/webview-ui-toolkit');
      assert.ok(ok, `${relative(root, file)} imports ${m[1]}`);
    }
  }
});

test('the lint rule (biome.json noRestrictedImports, run by npm test) fails vscode and upward imports in each layer', () => {
  // The project's biome.json on probe files laid out like the project, in a scratch folder.
  const dir = mkdtempSync(join(tmpdir(), 'biom-layers-'));
  try {
    const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8')) as Record<string, unknown>;
    delete config.$schema;
    config.vcs = { enabled: false };
    writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
    const probes: Record<string, string> = {
      'src/core/a.ts': "import * as vscode from 'vscode';",
      'src/core/b.ts': "import { x } from '../extension/services';",
      'src/core/c.ts': "import { x } from '../host/annotationStore';",
      'src/shared/d.ts': "import * as vscode from 'vscode';",
      'src/worker/e.ts': "import { x } from '../host/workerBackend';",
      'src/host/f.ts': "import { x } from '../extension/annotator';",
      'src/cli/g.ts': "import { x } from '../extension/config';",
      'webview/qa/h.ts': "import { x } from '../../src/core/pipeline';",
      'webview/qa/i.ts': "import * as vscode from 'vscode';",
      // Allowed: these must not be reported.
      'src/extension/ok1.ts': "import * as vscode from 'vscode';\nimport { x } from '../host/annotationStore';",
      'src/host/ok2.ts': "import { x } from '../core/pipeline';\nimport { y } from '../worker/client';",
      'webview/qa/ok3.ts': "import type { x } from '../../src/shared/webviewProtocol';",
    };
    for (const [file, source] of Object.entries(probes)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), `${source}\nexport const used = [typeof x];\n`);
    }
    const biome = join(root, 'node_modules', '.bin', 'biome');
    const r = spawnSync(biome, ['lint', '--max-diagnostics=100', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, 'lint fails');
    const output = `${r.stdout}${r.stderr}`;
    const reported = new Set([...output.matchAll(/^(\S+\.ts):\d+:\d+ lint\/style\/noRestrictedImports/gm)].map((m) => m[1]));
    assert.deepEqual(
      [...reported].sort(),
      Object.keys(probes)
        .filter((f) => !f.includes('/ok'))
        .sort(),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
