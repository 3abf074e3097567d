// Runs the built `biom` CLI (dist/cli.js, made by `npm run build`, which `npm test` runs first).
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
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

/** Runs a CLI command function in this process, capturing what it writes. */
export async function captureCommand(
  command: (argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }) => Promise<number>,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void): Writable =>
    new Writable({ write: (chunk: Buffer, _encoding, done) => (append(chunk.toString()), done()) });
  const code = await command(args, { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) });
  return { code, out, err };
}
