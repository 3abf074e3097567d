// Hangs end with one clear line, once: the editor's worker does not retry the request it hung on, and the CLI has a
// watchdog of its own (issue 9, item 5).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { WorkerClient, WorkerRequestError } from '../../src/worker/client';
import { root } from '../helpers/paths';

const HANG_MS = 1000;
const client = new WorkerClient({
  workerPath: join(root, 'src', 'worker', 'main.ts'),
  execArgv: ['--import', 'tsx'],
  settings: { testHooks: true, threads: 1 },
  hangTimeoutMs: HANG_MS,
  backoffInitialMs: 50,
});
after(() => client.dispose());

test('a request the worker hangs on costs one hang timeout, not two', async () => {
  await client.ping();
  const before = client.restarts;
  const error = await client.request({ kind: 'debug-hang' }).catch((e: unknown) => e);
  assert.ok(error instanceof WorkerRequestError, String(error));
  assert.match(error.message, /hung/);
  assert.match(error.message, /not retried/);
  assert.equal(client.restarts, before + 1, 'one worker killed, not a second one for a retry');
  await client.ping();
});

test('the CLI watchdog ends a process whose main thread stopped responding, with one line', () => {
  const script = [
    `const { startWatchdog } = require(${JSON.stringify(join(root, 'src', 'cli', 'watchdog.ts'))});`,
    'startWatchdog(1);',
    'const until = Date.now() + 20000;',
    'while (Date.now() < until);',
    'process.stdout.write("not stopped");',
  ].join('\n');
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', cwd: root, timeout: 30_000 });
  assert.equal(r.signal, 'SIGKILL');
  assert.ok(Date.now() - started < 15_000, 'stopped long before the loop ended');
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^biom: stopped: the process did not respond for 1 s .*BIOM_WATCHDOG_SECONDS/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
