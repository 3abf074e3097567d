// Every platform VSIX from `npm run package`: each native file is for its target (read from the headers), everything it
// loads is inside or is part of the OS, nothing of another platform is inside, models and webview assets are there,
// and it fits the 60 MB budget. The VSIX of this machine's platform is unpacked and its native modules run a model.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { after, describe, it } from 'node:test';
import { ortFilesFor, PACKAGE_TARGETS, vsixPath, type PackageTarget, type TargetOs } from '../../scripts/packageTargets';
import { readNativeBinary, type NativeBinary } from './nativeBinary';
import { readZip, type ZipEntry } from './zip';

const root = join(import.meta.dirname, '..', '..');
const BUDGET_BYTES = 60 * 1024 * 1024;
const ORT = 'extension/node_modules/onnxruntime-node';

/** Libraries every machine of that OS has; anything else a native file loads must be shipped beside it. */
const SYSTEM_LIBRARIES: Record<TargetOs, RegExp[]> = {
  linux: [/^(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s)\.so\.\d+$/, /^ld-linux-(x86-64|aarch64)\.so\.\d+$/],
  darwin: [/^\/usr\/lib\/[^/]+\.dylib$/, /^\/System\/Library\/Frameworks\//],
  // The Universal CRT (api-ms-win-crt-*) and the Visual C++ runtime (msvcp140, vcruntime140) come with Windows 10+
  // and with VS Code; README names the VC++ redistributable for machines that lack it. NODE.EXE is the host process.
  win32: [
    /^api-ms-win-/i,
    /^(kernel32|ntdll|user32|shell32|advapi32|ole32|oleaut32|setupapi|dbghelp|d3d12|dxgi|bcryptprimitives)\.dll$/i,
    /^(msvcp140(_1|_atomic_wait)?|vcruntime140(_1)?)\.dll$/i,
    /^node\.exe$/i,
  ],
};

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listFiles(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}

/** Where a need resolves inside the VSIX, or undefined when the loader would look elsewhere. */
function shippedPath(need: string, from: string, natives: Map<string, NativeBinary>, os: TargetOs): string | undefined {
  const dir = posix.dirname(from);
  const name = need.replace(/^@(rpath|loader_path)\//, '');
  if (name.includes('/')) return undefined;
  const candidates = [...natives.keys()].filter((p) => posix.dirname(p) === dir);
  return candidates.find((p) => (os === 'win32' ? posix.basename(p).toLowerCase() === name.toLowerCase() : posix.basename(p) === name));
}

interface Unpacked {
  entries: Map<string, ZipEntry>;
  natives: Map<string, NativeBinary>;
  size: number;
}

const unpackedCache = new Map<string, Unpacked>();
function unpack(t: PackageTarget): Unpacked {
  const cached = unpackedCache.get(t.target);
  if (cached) return cached;
  const file = join(root, vsixPath(t));
  assert.ok(existsSync(file), `${vsixPath(t)} is missing: run \`npm run package\` first`);
  const entries = new Map(readZip(readFileSync(file)).map((e) => [e.name, e]));
  const natives = new Map<string, NativeBinary>();
  for (const [name, entry] of entries) {
    const native = readNativeBinary(entry.read());
    if (native) natives.set(name, native);
  }
  const result = { entries, natives, size: statSync(file).size };
  unpackedCache.set(t.target, result);
  return result;
}

for (const t of PACKAGE_TARGETS) {
  describe(`VSIX ${t.target}`, () => {
    it(`fits the 60 MB budget`, (ctx) => {
      const { size } = unpack(t);
      ctx.diagnostic(`${vsixPath(t)}: ${(size / 1e6).toFixed(1)} MB`);
      console.log(`vsix size ${t.target}: ${(size / 1e6).toFixed(1)} MB (${size} bytes)`);
      assert.ok(size <= BUDGET_BYTES, `${vsixPath(t)} is ${(size / 1e6).toFixed(1)} MB, over the 60 MB budget`);
    });

    it(`ships ${t.os} ${t.arch} native files only, read from their headers`, () => {
      const { natives } = unpack(t);
      assert.ok(natives.size >= 3, `expected onnxruntime and tokenizers binaries, found ${[...natives.keys()].join(', ')}`);
      for (const [name, native] of natives) {
        assert.equal(native.os, t.os, `${name} is a ${native.os} binary`);
        assert.deepEqual(native.archs, [t.arch], `${name} is built for ${native.archs.join('+')}`);
      }
    });

    it('carries the binaries its loaders ask for, and everything they load', () => {
      const { entries, natives } = unpack(t);
      const ortDir = `${ORT}/${t.ortDir}`;
      const binding = `${ortDir}/onnxruntime_binding.node`;
      const tokenizers = `extension/node_modules/tokenizers/${t.tokenizersFile}`;
      assert.ok(natives.has(binding), `${binding} is missing`);
      assert.ok(natives.has(tokenizers), `${tokenizers} is missing`);
      // The same files as node_modules has for this platform, minus only the ones packageTargets.ts leaves out.
      const installed = readdirSync(join(root, 'node_modules', 'onnxruntime-node', t.ortDir));
      const shipped = [...entries.keys()].filter((n) => n.startsWith(`${ortDir}/`)).map((n) => n.slice(ortDir.length + 1));
      assert.deepEqual(shipped.sort(), ortFilesFor(t, installed));
      // Walk what the loader loads from the two entry points: each need is shipped beside it or is an OS library,
      // and every shipped library is reached (nothing carried for nothing).
      const reached = new Set<string>();
      const queue = [binding, tokenizers];
      while (queue.length > 0) {
        const file = queue.pop()!;
        if (reached.has(file)) continue;
        reached.add(file);
        for (const need of natives.get(file)!.needs) {
          const inside = shippedPath(need, file, natives, t.os);
          if (inside) queue.push(inside);
          else
            assert.ok(
              SYSTEM_LIBRARIES[t.os].some((re) => re.test(need)),
              `${file} loads ${need}, which is neither in the VSIX nor an OS library`,
            );
        }
      }
      assert.deepEqual(
        [...natives.keys()].filter((n) => !reached.has(n)),
        [],
        'native files nothing loads',
      );
    });

    it('holds nothing of another platform and no sources, tests or maps', () => {
      const { entries } = unpack(t);
      for (const name of entries.keys()) {
        if (name.startsWith(`${ORT}/bin/`)) assert.ok(name.startsWith(`${ORT}/${t.ortDir}/`), `${name} belongs to another platform`);
        if (/\/tokenizers\.[^/]+\.node$/.test(name))
          assert.ok(name.endsWith(`/${t.tokenizersFile}`), `${name} belongs to another platform`);
        assert.doesNotMatch(
          name,
          /\.(ts|map)$|^extension\/(src|test|webview|scripts|tools|bench)\/|^extension\/dist\/cli\.js$/,
          `${name} should not ship`,
        );
      }
    });

    it('has the extension, the bundled models byte for byte, and the webview assets', () => {
      const { entries } = unpack(t);
      const manifest = JSON.parse(entries.get('extension/package.json')!.read().toString('utf8')) as { extensionKind?: string[] };
      assert.deepEqual(manifest.extensionKind, ['workspace']);
      for (const f of [
        'dist/extension.js',
        'dist/worker.js',
        'dist/webview/relations.js',
        'dist/webview/qa.js',
        'media/webview.css',
        'media/biom.svg',
        'media/icon.png',
      ]) {
        assert.ok(entries.has(`extension/${f}`), `extension/${f} is missing`);
      }
      for (const f of ['dist/binding.js', 'dist/index.js', 'package.json']) assert.ok(entries.has(`${ORT}/${f}`), `${ORT}/${f} is missing`);
      assert.ok(entries.has('extension/node_modules/onnxruntime-common/dist/cjs/index.js'));
      assert.ok(entries.has('extension/node_modules/tokenizers/index.js'));
      const models = listFiles(join(root, 'models'));
      assert.ok(models.some((m) => m.endsWith('onnx/model.onnx')));
      for (const m of models) {
        const entry = entries.get(`extension/models/${m}`);
        assert.ok(entry, `extension/models/${m} is missing`);
        assert.ok(entry.read().equals(readFileSync(join(root, 'models', m))), `extension/models/${m} differs from models/${m}`);
      }
    });
  });
}

// The host's own VSIX, unpacked: its onnxruntime and tokenizers load from inside it and run a bundled model.
const host = PACKAGE_TARGETS.find((t) => t.os === process.platform && t.arch === process.arch);
describe('the VSIX of this machine, unpacked', { skip: host ? false : `no VSIX target for ${process.platform}-${process.arch}` }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'biom-vsix-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads onnxruntime and tokenizers from the VSIX and annotates with the bundled NER model', () => {
    for (const entry of unpack(host!).entries.values()) {
      const out = join(dir, entry.name);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, entry.read());
    }
    const ext = join(dir, 'extension');
    const script = `
      const ort = require(${JSON.stringify(join(ext, 'node_modules', 'onnxruntime-node'))});
      const { Tokenizer } = require(${JSON.stringify(join(ext, 'node_modules', 'tokenizers'))});
      const model = ${JSON.stringify(join(ext, 'models', 'ner-albert'))};
      (async () => {
        const tok = await Tokenizer.fromFile(model + '/tokenizer.json');
        const enc = await tok.encode('Aspirin inhibits COX-2.');
        const ids = enc.getIds();
        const t = (a) => new ort.Tensor('int64', BigInt64Array.from(a.map(BigInt)), [1, a.length]);
        const s = await ort.InferenceSession.create(model + '/onnx/model.onnx');
        const out = await s.run({ input_ids: t(ids), attention_mask: t(ids.map(() => 1)), token_type_ids: t(ids.map(() => 0)) });
        console.log(JSON.stringify({ tokens: ids.length, dims: out.logits.dims, binding: require.resolve(${JSON.stringify(join(ext, 'node_modules', 'onnxruntime-node'))}) }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    // Outside the repository, so nothing can come from the project's own node_modules.
    const run = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { tokens: number; dims: number[]; binding: string };
    assert.ok(result.tokens > 3);
    assert.deepEqual(result.dims, [1, result.tokens, 5], 'logits over 5 labels for every token');
    assert.ok(result.binding.startsWith(ext));
  });
});
