// `npm run studio`: code-server with the BioM extension and a workspace of ChemProt abstracts, for trying the
// extension in a browser. Prints the URL and runs until Ctrl+C. Shares its launch code with the real-editor tests.
//
// Environment: PORT (default 8080, or a free one when taken), BIOM_VSIX (default dist/biom-annotator.vsix),
// BIOM_STUDIO_ABSTRACTS (how many abstracts to write, default 50).
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  codeServerBin,
  defaultVsixPath,
  quietSettings,
  repoRoot,
  serverArgs,
  toolsDir,
  writeChemProtWorkspace,
} from '../test/integration/codeServer';

const studio = join(toolsDir, 'studio');
const workspace = join(toolsDir, 'studio-workspace');

function run(command: string, args: string[], options: SpawnSyncOptions = {}): void {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: repoRoot, ...options });
  if (result.status !== 0) {
    console.error(`studio: ${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
}

function listen(port: number): Promise<number | undefined> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(undefined));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      server.close(() => done(bound));
    });
  });
}

async function main(): Promise<void> {
  // 1. The editor itself (quick when installed).
  run('bash', [join(repoRoot, 'scripts', 'install-editor.sh')]);

  // 2. The extension: packaged when there is no VSIX yet.
  if (!existsSync(defaultVsixPath)) {
    console.log('studio: no VSIX yet, running `npm run package`');
    run('npm', ['run', 'package']);
  }
  const userData = join(studio, 'user-data');
  const extensions = join(studio, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  const dirArgs = ['--config', join(studio, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', extensions];
  writeFileSync(join(studio, 'config.yaml'), 'auth: none\ncert: false\n');
  run(codeServerBin, [...dirArgs, '--install-extension', defaultVsixPath, '--force']);

  // 3. Settings: the tests' quiet first run, without what only the screenshots need; kept once written, so a
  // person's changes survive restarts.
  const settingsFile = join(userData, 'User', 'settings.json');
  if (!existsSync(settingsFile)) {
    const forTestsOnly = new Set(['editor.minimap.enabled', 'editor.hover.delay', 'editor.fontSize', 'workbench.colorTheme']);
    const settings = Object.fromEntries(Object.entries(quietSettings).filter(([key]) => !forTestsOnly.has(key)));
    writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  }

  // 4. A workspace of ChemProt development abstracts, one .txt per PMID.
  const limit = Number(process.env.BIOM_STUDIO_ABSTRACTS ?? 50);
  const written = writeChemProtWorkspace(workspace, join(repoRoot, 'test', 'fixtures', 'chemprot', 'development_abstracts.tsv'), limit);

  // 5. Serve until Ctrl+C.
  const port = (await listen(Number(process.env.PORT ?? 8080))) ?? (await listen(0))!;
  const server = spawn(codeServerBin, [...serverArgs(dirArgs, port), workspace], { stdio: ['ignore', 'inherit', 'inherit'] });
  console.log(`\nBioM studio: ${written.length} abstracts in ${workspace}`);
  console.log(`Open http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}\n(Ctrl+C stops it)\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill('SIGTERM'));
  server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

void main();
