// npm run test:mutation [-- text tasks formats eval]: runs Stryker on each src/core folder in turn (one at a time,
// concurrency 1), then prints the mutation score of each from reports/mutation/<folder>.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const folders = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['text', 'formats', 'tasks', 'eval'];
const hooks = join(root, 'test', 'mutation', 'registerTypescriptApi.mjs');

// The TypeScript compiler API for Stryker (TypeScript 7, the project's compiler, has none): installed once into .tools/,
// outside the project's dependencies, so it never competes with the project's own `tsc`.
const TYPESCRIPT_API_VERSION = '5.9.3';
const typescriptPrefix = join(root, '.tools', `typescript-${TYPESCRIPT_API_VERSION}`);
const typescriptApi = join(typescriptPrefix, 'node_modules', 'typescript', 'lib', 'typescript.js');
if (!existsSync(typescriptApi)) {
  const install = spawnSync(
    'npm',
    ['install', '--prefix', typescriptPrefix, '--no-save', '--no-audit', '--no-fund', `typescript@${TYPESCRIPT_API_VERSION}`],
    { stdio: 'inherit' },
  );
  if (install.status !== 0) {
    console.error(`test:mutation: could not install typescript@${TYPESCRIPT_API_VERSION} into ${typescriptPrefix}`);
    process.exit(1);
  }
}
const rows = [];
let failed = false;
for (const folder of folders) {
  const started = Date.now();
  const run = spawnSync(join(root, 'node_modules', '.bin', 'stryker'), ['run'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      BIOM_MUTATE: folder,
      BIOM_MUTATION: '1',
      BIOM_TYPESCRIPT_API: typescriptApi,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${hooks}`.trim(),
    },
  });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  if (run.status !== 0) failed = true;
  const report = join(root, 'reports', 'mutation', `${folder}.json`);
  if (run.status !== 0 || !existsSync(report)) {
    rows.push(`${folder}: Stryker failed (exit ${run.status}) after ${minutes} min`);
    continue;
  }
  const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0 };
  for (const file of Object.values(JSON.parse(readFileSync(report, 'utf8')).files)) {
    for (const mutant of file.mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
  }
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  const score = valid === 0 ? 100 : (100 * detected) / valid;
  rows.push(
    `${folder}: ${score.toFixed(1)}% (${detected} of ${valid} mutants detected: ${counts.Killed} killed, ${counts.Timeout} timeout; ` +
      `${counts.Survived} survived, ${counts.NoCoverage} no coverage; ${counts.CompileError} type errors) in ${minutes} min`,
  );
}
console.log(`\nMutation score by folder (src/core):\n${rows.map((r) => `  ${r}`).join('\n')}`);
process.exit(failed ? 1 : 0);
