// Runs the built `biom` CLI (dist/cli.js, made by `npm run build`, which `npm test` runs first).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './paths';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function biom(args: string[], input?: string): CliResult {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], {
    input: input ?? '',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    cwd: root,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
