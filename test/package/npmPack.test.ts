// The CLI as an npm package: `npm pack`, then `npm install -g` of the tarball into an empty prefix (dependencies come
// from the npm registry, as on a user's machine), then the installed `biom demo` gives the same results as the repo's.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const windows = process.platform === 'win32';
const npm = windows ? 'npm.cmd' : 'npm';

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', shell: windows, timeout: 600_000, ...options });
  assert.equal(result.status, 0, `${cmd} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return String(result.stdout);
}

/** The demo's report without its timing line. */
function results(demo: string): string {
  return demo.replace(/^Done in .*$/m, '').trim();
}

describe('npm pack → npm install -g → biom demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'biom-npm-'));
  const prefix = join(dir, 'prefix');
  after(() => rmSync(dir, { recursive: true, force: true }));
  // As README tells users: onnxruntime-node's install step would fetch CUDA libraries from NuGet on linux-x64.
  // The working directory is the temp folder, so the project's .npmrc plays no part.
  const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_update_notifier: 'false' };
  let tarball = '';

  it('packs only what the CLI needs, with the bundled models', () => {
    // prepack builds dist/cli.js, so a fresh clone packs without a separate build.
    const packed = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root, env })) as {
      filename: string;
      size: number;
      files: { path: string }[];
    }[];
    tarball = join(dir, packed[0].filename);
    const files = packed[0].files.map((f) => f.path).sort();
    console.log(`npm tarball: ${packed[0].filename} ${(packed[0].size / 1e6).toFixed(1)} MB, ${files.length} files`);
    // resources/normalization: the MeSH and HGNC indexes that `biom normalize` and `annotate --normalize` link with.
    for (const f of [
      'dist/cli.js',
      'package.json',
      'LICENSE',
      'README.md',
      'media/samples/chemprot-10064839.txt',
      'resources/normalization/mesh.tsv.br',
      'resources/normalization/hgnc.tsv.br',
    ]) {
      assert.ok(files.includes(f), `${f} is not in the tarball`);
    }
    for (const m of ['ner-albert', 're-electra', 'qa-albert']) {
      assert.ok(files.includes(`models/${m}/onnx/model.onnx`), `models/${m} is not in the tarball`);
      assert.ok(files.includes(`models/${m}/tokenizer.json`));
    }
    const unexpected = files.filter(
      (f) => !/^(dist\/cli\.js|models\/.+|media\/samples\/.+|resources\/normalization\/.+\.br|package\.json|LICENSE|README\.md)$/.test(f),
    );
    assert.deepEqual(unexpected, [], 'files the CLI does not need');
  });

  it('installs from the tarball into an empty prefix and `biom demo` annotates as the repository build does', () => {
    assert.ok(tarball, 'the pack step failed');
    mkdirSync(prefix);
    run(npm, ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { cwd: dir, env });
    const installed = join(prefix, windows ? '' : 'lib', 'node_modules');
    // Runtime dependencies only: the native packages esbuild leaves outside dist/cli.js, and theirs.
    const deps = readdirSync(join(installed, 'biom-annotator', 'node_modules')).filter((d) => !d.startsWith('.'));
    for (const d of ['onnxruntime-node', 'tokenizers']) assert.ok(deps.includes(d), `${d} was not installed`);
    for (const d of ['@huggingface', 'undici', 'esbuild', 'typescript', '@vscode'])
      assert.ok(!deps.includes(d), `${d} is bundled or dev-only, yet installed`);

    const biom = join(prefix, windows ? 'biom.cmd' : join('bin', 'biom'));
    assert.ok(existsSync(biom), `${biom} was not created`);
    const demo = run(biom, ['demo'], { cwd: dir, env });
    assert.match(demo, /Entities: \d+ \(\d+ chemical, \d+ gene\/protein\)/);
    assert.match(demo, /Relations \(\d+\):/);
    assert.match(demo, /^Q: .+\?$/m);
    // The bundled models inside the installed package give exactly what the repository's own build gives.
    const fromRepo = run(process.execPath, [join(root, 'dist', 'cli.js'), 'demo'], { cwd: dir, env });
    assert.equal(results(demo), results(fromRepo));
    // The installed package links mentions with its own bundled indexes.
    const linked = run(biom, ['normalize'], { cwd: dir, env, input: '{"mention": "dextromethorphan", "type": "chemical"}\n' });
    assert.match(linked, /"MESH:D003915"/);
  });
});
