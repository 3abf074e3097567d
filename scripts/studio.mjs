// `npm run studio`: code-server with the BioM extension and a workspace of ChemProt abstracts, for trying the
// extension in a browser. Prints the URL and runs until Ctrl+C.
//
// Environment: PORT (default 8080, or a free one when taken), BIOM_VSIX (default dist/biom-annotator.vsix),
// BIOM_STUDIO_ABSTRACTS (how many abstracts to write, default 50).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tools = process.env.BIOM_TOOLS_DIR ?? join(root, '.tools');
const codeServer = join(tools, 'code-server', 'node_modules', '.bin', 'code-server');
const studio = join(tools, 'studio');
const workspace = join(tools, 'studio-workspace');
const vsix = process.env.BIOM_VSIX ?? join(root, 'dist', 'biom-annotator.vsix');

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    console.error(`studio: ${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
}

async function portFree(port) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

async function pickPort() {
  const wanted = Number(process.env.PORT ?? 8080);
  if (await portFree(wanted)) return wanted;
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

// 1. The editor itself (quick when installed).
run('bash', [join(root, 'scripts', 'install-editor.sh')]);

// 2. The extension: package it when the project knows how and no VSIX is there yet.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (!existsSync(vsix) && pkg.scripts?.package) {
  console.log('studio: no VSIX yet, running `npm run package`');
  run('npm', ['run', 'package']);
}
const userData = join(studio, 'user-data');
const extensions = join(studio, 'extensions');
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(extensions, { recursive: true });
const dirArgs = ['--config', join(studio, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', extensions];
writeFileSync(join(studio, 'config.yaml'), 'auth: none\ncert: false\n');
if (existsSync(vsix)) {
  run(codeServer, [...dirArgs, '--install-extension', vsix, '--force']);
} else {
  console.warn(`studio: no VSIX at ${vsix}; starting without the BioM extension (build one, or set BIOM_VSIX)`);
}

// 3. Settings: quiet first run; kept once written, so a person's changes survive restarts.
const settingsFile = join(userData, 'User', 'settings.json');
if (!existsSync(settingsFile)) {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'git.enabled': false,
    'editor.wordWrap': 'on',
  };
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
}

// 4. A workspace of ChemProt development abstracts, one .txt per PMID (text = title + " " + abstract).
const limit = Number(process.env.BIOM_STUDIO_ABSTRACTS ?? 50);
mkdirSync(workspace, { recursive: true });
const rows = readFileSync(join(root, 'test', 'fixtures', 'chemprot', 'development_abstracts.tsv'), 'utf8')
  .split('\n')
  .filter((line) => line.trim());
let written = 0;
for (const row of rows.slice(0, limit)) {
  const [pmid, title, abstract] = row.split('\t');
  if (!pmid || title === undefined || abstract === undefined) continue;
  writeFileSync(join(workspace, `${pmid}.txt`), `${title} ${abstract}\n`);
  written++;
}

// 5. Serve until Ctrl+C.
const port = await pickPort();
const server = spawn(
  codeServer,
  [
    ...dirArgs,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    workspace,
  ],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
console.log(`\nBioM studio: ${written} abstracts in ${workspace}`);
console.log(`Open ${url}\n(Ctrl+C stops it)\n`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill('SIGTERM'));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
