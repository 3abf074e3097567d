// Builds one VSIX per platform (dist/biom-annotator-<target>.vsix), each with only its own native binaries.
// Usage: node --import tsx scripts/package.ts [TARGET...]   (no targets: all of scripts/packageTargets.ts)
// A warning from vsce fails the run: the manifest must be publishable as is for every target.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_VSIX, ortFilesFor, PACKAGE_TARGETS, vsixPath, type PackageTarget } from './packageTargets';

const root = join(import.meta.dirname, '..');
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

/**
 * The base .vscodeignore plus one line per native file this target keeps. Files are named one by one because vsce
 * applies every `!` line after every ignore line (order does not matter), so a folder could not be kept minus a file.
 */
function ignoreFileFor(base: string, t: PackageTarget): string {
  const ort = `node_modules/onnxruntime-node/${t.ortDir}`;
  // Both packages ship every platform's binaries in their npm tarball (onnxruntime-node 1.30, tokenizers 0.23), so
  // one `npm ci` on any machine has them all. A missing one means an upgrade changed that: say which.
  if (!existsSync(join(root, ort))) throw new Error(`${ort} is missing: this onnxruntime-node has no ${t.target} binary`);
  if (!existsSync(join(root, 'node_modules', 'tokenizers', t.tokenizersFile))) {
    throw new Error(`node_modules/tokenizers/${t.tokenizersFile} is missing: this tokenizers package does not ship it`);
  }
  const ortFiles = ortFilesFor(t, readdirSync(join(root, ort)));
  return [
    base.trimEnd(),
    '',
    `# ${t.target} (added by scripts/package.ts)`,
    ...ortFiles.map((name) => `!${ort}/${name}`),
    `!node_modules/tokenizers/${t.tokenizersFile}`,
    '',
  ].join('\n');
}

function packageTarget(t: PackageTarget, staging: string, base: string): void {
  const ignoreFile = join(staging, `vscodeignore-${t.target}`);
  writeFileSync(ignoreFile, ignoreFileFor(base, t));
  const out = vsixPath(t);
  const started = Date.now();
  const result = spawnSync(process.execPath, [vsce, 'package', '--target', t.target, '--ignoreFile', ignoreFile, '-o', out], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const log = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`vsce package --target ${t.target} failed (exit ${result.status}):\n${log}`);
  if (/WARNING/i.test(log)) throw new Error(`vsce package --target ${t.target} warned; fix the manifest:\n${log}`);
  const mb = statSync(join(root, out)).size / 1e6;
  console.log(`package: ${out}  ${mb.toFixed(1)} MB  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function main(): void {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !PACKAGE_TARGETS.some((t) => t.target === w));
  if (unknown.length > 0) {
    console.error(`package: unknown target ${unknown.join(', ')}; known: ${PACKAGE_TARGETS.map((t) => t.target).join(', ')}`);
    process.exit(2);
  }
  const targets = wanted.length > 0 ? PACKAGE_TARGETS.filter((t) => wanted.includes(t.target)) : PACKAGE_TARGETS;
  const base = readFileSync(join(root, '.vscodeignore'), 'utf8');
  const staging = mkdtempSync(join(tmpdir(), 'biom-package-'));
  try {
    for (const t of targets) packageTarget(t, staging, base);
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
    return;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  // The real-editor tests and `npm run studio` install this machine's VSIX from one fixed path.
  const host = targets.find((t) => t.os === process.platform && t.arch === process.arch);
  if (host) {
    copyFileSync(join(root, vsixPath(host)), join(root, HOST_VSIX));
    console.log(`package: ${HOST_VSIX} = ${host.target}`);
  }
}

main();
