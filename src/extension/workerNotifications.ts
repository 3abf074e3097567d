// Owns telling the user about the inference worker: its state in the status bar, a notification when it crashes.
import * as vscode from 'vscode';
import type { WorkerStatus } from '../worker/client';
import type { StatusBar } from './statusBar';

/** A worker that crashes again and again (with backoff) is shown in the status bar, but notified at most this often. */
const NOTICE_EVERY_MS = 60_000;

export function workerStatusReporter(status: StatusBar, output: vscode.LogOutputChannel): (worker: WorkerStatus) => void {
  let lastNotice = Number.NEGATIVE_INFINITY;
  return (worker) => {
    status.worker(worker);
    if (worker.state === 'ready') output.info(`inference worker ready (pid ${worker.pid})`);
    // A failed start needs no notification of its own: the request that started it fails with the same message.
    if (worker.state === 'error') output.error(`inference worker: ${worker.message}`);
    if (worker.state !== 'restarting') return;
    output.warn(`inference worker stopped: ${worker.reason}; restarting in ${worker.inMs} ms`);
    const now = Date.now();
    if (now - lastNotice < NOTICE_EVERY_MS) return;
    lastNotice = now;
    void vscode.window
      .showWarningMessage(
        `BioM: the inference worker stopped (${worker.reason}) and is restarting. Your annotations are kept; running work is retried once.`,
        'Show Log',
      )
      .then((choice) => {
        if (choice === 'Show Log') output.show();
      });
  };
}
