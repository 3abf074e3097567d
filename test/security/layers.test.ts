// The hub code is split along its seams and the model contract lives in one module: listing models and verifying a
// folder never load the HTTP/download stack, and the tasks, the loader and `models verify` all read the contract.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { root } from '../helpers/paths';

/** Every module a source file loads at run time (relative imports followed; `import type` ignored), and packages. */
function runtimeImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.startsWith('/')) return;
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
      const spec = m[1];
      if (!spec.startsWith('.')) {
        seen.add(spec);
        continue;
      }
      const base = resolve(dirname(file), spec);
      const path = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
      if (path) visit(path);
    }
  };
  visit(join(root, entry));
  return new Set([...seen].map((p) => (p.startsWith('/') ? relative(root, p) : p)));
}

describe('model code layers', () => {
  for (const entry of ['src/core/models/registry.ts', 'src/core/models/verify.ts']) {
    it(`${entry} does not load the download stack`, () => {
      const loaded = runtimeImports(entry);
      for (const banned of [
        'undici',
        'src/core/models/hubHttp.ts',
        'src/core/models/hubDownload.ts',
        'src/core/models/hubPlan.ts',
        'src/core/models/hub.ts',
      ]) {
        assert.ok(!loaded.has(banned), `${entry} loads ${banned}`);
      }
    });
  }

  it('no hub module is over 400 lines', () => {
    for (const name of ['hub', 'hubHttp', 'hubPlan', 'hubDownload', 'modelCache', 'contract']) {
      const lines = readFileSync(join(root, 'src', 'core', 'models', `${name}.ts`), 'utf8').split('\n').length;
      assert.ok(lines <= 400, `${name}.ts has ${lines} lines`);
    }
  });

  it('the tasks, the session loader, the engine and models verify all take the contract from contract.ts', () => {
    for (const file of [
      'src/core/tasks/ner.ts',
      'src/core/tasks/relations.ts',
      'src/core/tasks/qa.ts',
      'src/core/runtime/onnxSession.ts',
      'src/core/engine.ts',
      'src/core/models/verify.ts',
      'src/core/models/modelFolder.ts',
      'src/core/models/hubDownload.ts',
    ]) {
      assert.ok(runtimeImports(file).has('src/core/models/contract.ts'), `${file} does not use contract.ts`);
    }
    // The rules that drifted before are written nowhere else.
    for (const file of ['src/core/tasks/ner.ts', 'src/core/tasks/relations.ts', 'src/core/tasks/qa.ts', 'src/core/models/verify.ts']) {
      const source = readFileSync(join(root, file), 'utf8');
      assert.doesNotMatch(source, /outputNames\[0\]|includes\('start'\)|start_logits: \[/, `${file} has its own output rule`);
    }
    for (const file of ['src/core/engine.ts', 'src/core/models/verify.ts']) {
      assert.doesNotMatch(readFileSync(join(root, file), 'utf8'), /modelType === 'albert'/, `${file} has its own session options`);
    }
  });
});
