// Owns what every `biom` command shares: where it writes, the usage error, and reading text from a file or stdin.
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors';

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Wrong arguments: printed as one line (exit 2), with the command's usage where that helps. */
export class UsageError extends Error {}

/** Refuses to wait on a terminal: a command that would read stdin says so in one line instead of hanging. */
export function assertPipedStdin(what: string, stdin: { isTTY?: boolean } = process.stdin): void {
  if (stdin.isTTY) throw new UsageError(`${what} reads stdin, which is a terminal here: give a FILE or pipe input in (see --help)`);
}

/** The text of FILE, or of stdin for "-" or no FILE. */
export async function readInput(positionals: readonly string[]): Promise<string> {
  const file = positionals[0];
  if (positionals.length > 1) throw new UsageError(`one input file at most, got ${positionals.length}`);
  if (file !== undefined && file !== '-') {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError(`cannot read ${file}: ${(e as Error).message}`);
    }
  }
  assertPipedStdin('this command');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
