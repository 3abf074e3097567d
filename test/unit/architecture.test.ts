import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from '../helpers/paths';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

const importsOf = (file: string, module: string): boolean =>
  new RegExp(`(from\\s+|require\\(|import\\()\\s*['"]${module}['"]`).test(readFileSync(file, 'utf8'));

test('the pure layers (src/core, src/shared, src/worker, src/cli, webview) never import vscode', () => {
  const offenders = ['src/core', 'src/shared', 'src/worker', 'src/cli', 'webview']
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
      const ok = m[1].startsWith('.') ? !m[1].includes('/core/') && !m[1].includes('/extension/') : m[1].startsWith('@vscode/webview-ui-toolkit');
      assert.ok(ok, `${relative(root, file)} imports ${m[1]}`);
    }
  }
});
