// Owns the CLI's watchdog: a thread that ends the process with one clear line when the main thread stops responding
// (a runaway loop, a stuck synchronous native call), so a batch job on a shared server fails instead of hanging forever.
import { Worker } from 'node:worker_threads';

/** Seconds the main thread may be unresponsive before the CLI gives up; BIOM_WATCHDOG_SECONDS=0 turns it off. */
export const DEFAULT_WATCHDOG_SECONDS = 300;

export function watchdogSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BIOM_WATCHDOG_SECONDS;
  const value = raw === undefined || raw.trim() === '' ? DEFAULT_WATCHDOG_SECONDS : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : DEFAULT_WATCHDOG_SECONDS;
}

// The thread reads the main thread's last heartbeat from shared memory; it needs no event loop on the main thread.
const THREAD = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const beat = new Float64Array(workerData.buffer);
const wait = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  Atomics.wait(wait, 0, 0, Math.min(1000, workerData.limitMs / 4));
  if (Date.now() - beat[0] > workerData.limitMs) {
    writeSync(2, workerData.message);
    process.kill(process.pid, 'SIGKILL');
  }
}
`;

/**
 * Starts the watchdog: the main thread writes a heartbeat every quarter of the limit; if none arrives for `seconds`,
 * the thread prints the message and kills the process (exit status 137). Returns a stop function.
 */
export function startWatchdog(seconds: number, what = 'biom'): () => void {
  if (!(seconds > 0)) return () => undefined;
  const limitMs = seconds * 1000;
  const buffer = new SharedArrayBuffer(8);
  const beat = new Float64Array(buffer);
  beat[0] = Date.now();
  const message = `${what}: stopped: the process did not respond for ${seconds} s (a hang in a model or the tokenizer?); set BIOM_WATCHDOG_SECONDS to allow longer, 0 to turn this off\n`;
  const thread = new Worker(THREAD, { eval: true, workerData: { buffer, limitMs, message } });
  thread.unref();
  const timer = setInterval(() => (beat[0] = Date.now()), Math.max(50, limitMs / 4));
  timer.unref();
  return () => {
    clearInterval(timer);
    void thread.terminate();
  };
}
