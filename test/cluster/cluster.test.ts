// The corpus workflow on a real one-node Slurm (slurmctld + slurmd + munge, started here, stopped at the end):
// the merged output equals a one-process `biom annotate`, a killed job is redone by the next submission, and a
// submission after that finds nothing to do. Run by `npm run test:cluster` (which installs what it needs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fixture, root } from '../helpers/paths';

const required = process.env.BIOM_CLUSTER_REQUIRED === '1';
const have = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['slurmctld', 'slurmd', 'munged', 'sbatch', 'snakemake'].filter((c) => !have(c));
const isRoot = process.getuid?.() === 0 || have('sudo');
const skip =
  !required && (missing.length > 0 || !isRoot) ? `needs ${missing.join(', ') || 'root'} (npm run test:cluster installs them)` : false;

const work = mkdtempSync(join(tmpdir(), 'biom-cluster-'));
const slurmDir = join(work, 'slurm');
const inputs = join(work, 'inputs');
const out = join(work, 'out');
const env = { ...process.env, SLURM_CONF: join(slurmDir, 'slurm.conf'), USER: process.env.USER ?? 'root' };
const script = join(root, 'scripts', 'slurm-cluster.sh');
// The shard that gets killed: 16 ChemProt development abstracts as PubTator, so it runs long enough to be caught.
const LONG = 'f-long.pubtator';

function sh(cmd: string, args: string[]): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', cwd: root, maxBuffer: 64 << 20 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function snakemakeArgs(): string[] {
  return [
    '-s',
    join(root, 'workflows', 'pubmed', 'Snakefile'),
    '--profile',
    join(root, 'workflows', 'pubmed', 'profiles', 'slurm'),
    '--directory',
    work,
    '--config',
    `inputs=${inputs}`,
    `out=${out}`,
    `biom=${process.execPath} ${join(root, 'dist', 'cli.js')}`,
    'progress_every=1',
  ];
}

function snakemake(): Promise<{ code: number | null; log: string }> {
  return new Promise((resolve) => {
    const child = spawn('snakemake', snakemakeArgs(), { env, cwd: root });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    child.on('close', (code) => resolve({ code, log }));
  });
}

const manifests = (): string[] =>
  existsSync(join(out, 'shards'))
    ? readdirSync(join(out, 'shards'))
        .filter((n) => n.endsWith('.manifest.json'))
        .sort()
    : [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(() => {
  if (skip) return;
  cpSync(fixture('corpus', 'shards'), inputs, { recursive: true });
  const dev = readFileSync(fixture('chemprot', 'development_abstracts.tsv'), 'utf8').trim().split('\n').slice(0, 16);
  writeFileSync(
    join(inputs, LONG),
    dev
      .map((l) => l.split('\t'))
      .map(([id, t, a]) => `${id}|t|${t}\n${id}|a|${a}\n`)
      .join('\n'),
  );
  const started = sh('bash', [script, 'start', slurmDir]);
  assert.equal(started.code, 0, `slurm did not start: ${started.out}`);
});

after(() => {
  if (skip) return;
  // Cancel anything still queued, then stop the daemons this test started.
  sh('scancel', ['--user', env.USER]);
  const stopped = sh('bash', [script, 'stop', slurmDir]);
  rmSync(work, { recursive: true, force: true });
  assert.equal(stopped.code, 0, stopped.out);
});

test('Snakemake on Slurm: killed job redone, merged output identical to one process, resubmission does nothing', {
  skip,
  timeout: 15 * 60_000,
}, async () => {
  const one = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'annotate', inputs], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(one.status, 0, one.stderr);
  const reference = one.stdout;
  assert.equal(reference.trim().split('\n').length, 36, 'the one-process run annotated all 36 documents');

  // First submission: kill the long shard's job while it is annotating.
  const first = snakemake();
  let killed: string | undefined;
  const status = join(out, 'shards', `${LONG}.status.json`);
  for (let i = 0; i < 3000 && !killed; i++) {
    await sleep(100);
    if (!existsSync(status)) continue;
    const s = JSON.parse(readFileSync(status, 'utf8')) as { state: string; documents: number; slurmJobId?: string };
    if (s.state === 'running' && s.documents >= 1 && s.slurmJobId) {
      assert.equal(sh('scancel', [s.slurmJobId]).code, 0);
      killed = s.slurmJobId;
    }
  }
  assert.ok(killed, 'the long shard was seen running under Slurm');
  const r1 = await first;
  assert.notEqual(r1.code, 0, 'the first submission reports the killed job');
  assert.ok(!manifests().includes(`${LONG}.manifest.json`), 'the killed shard has no manifest');
  assert.ok(!existsSync(join(out, 'shards', `${LONG}.jsonl`)), 'and no output: outputs appear only complete');
  assert.equal(JSON.parse(readFileSync(status, 'utf8')).state, 'running', 'it was killed mid-run');
  assert.equal(manifests().length, 5, `the other shards completed (keep-going):\n${r1.log.slice(-3000)}`);

  // Second submission: only the killed shard and the merge run.
  const r2 = await snakemake();
  assert.equal(r2.code, 0, r2.log.slice(-4000));
  assert.equal((r2.log.match(/Submitted job/g) ?? []).length, 2, 'one shard job and the merge were submitted');
  assert.equal(manifests().length, 6);
  const redone = JSON.parse(readFileSync(join(out, 'shards', `${LONG}.manifest.json`), 'utf8')) as {
    host: { slurmJobId?: string };
    counts: { documents: number };
  };
  assert.ok(redone.host.slurmJobId && redone.host.slurmJobId !== killed, 'redone by a new Slurm job');
  assert.equal(redone.counts.documents, 16);
  assert.equal(readFileSync(join(out, 'merged.jsonl'), 'utf8'), reference, 'merged output identical to one process');
  const summary = readFileSync(join(out, 'summary.md'), 'utf8');
  assert.match(summary, /6 shards, 36 documents/);

  // Third submission: nothing to do, nothing submitted.
  const r3 = await snakemake();
  assert.equal(r3.code, 0, r3.log.slice(-2000));
  assert.match(r3.log, /Nothing to be done/);
  assert.doesNotMatch(r3.log, /Submitted job/);
});
