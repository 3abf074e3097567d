// Owns the curation commands of `biom`: agreement between two annotated sets and the model scored against a curated
// folder. One line on stderr for bad input; JSON on stdout.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InputError } from '../../core/errors';
import { readAnnotatedPath, readCuratedFolder, type FileProblem } from '../../core/curation/importers';
import { agreement, compareModelWithCurated } from '../../core/eval/agreement';
import { CURATION_FORMATS, type CurationFormat } from '../../core/curation/codec';
import { UsageError, type CommandIo } from '../io';

export const AGREEMENT_USAGE =
  'biom eval agreement A B                          entity (exact, overlap, per type) and relation P/R/F1 of A against B\n' +
  '              A, B: files or folders of brat (.txt + .ann), BioC JSON/XML or PubTator; documents matched by id\n' +
  "biom eval curated DIR [--format brat|bioc-json]   the model's reviewed suggestions against the curated decisions";

function parse(
  argv: string[],
  options: Record<string, { type: 'string' | 'boolean' }> = {},
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function warn(io: CommandIo, problems: readonly FileProblem[]): void {
  // The valid lines were used; each unusable one is named so it can be fixed.
  for (const p of problems.slice(0, 20)) io.stderr.write(`biom: warning: ${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.message}\n`);
  if (problems.length > 20) io.stderr.write(`biom: warning: … and ${problems.length - 20} more problems\n`);
}

function readSide(path: string): ReturnType<typeof readAnnotatedPath> {
  if (!existsSync(path)) throw new InputError(`${path} not found: give a file or folder of brat, BioC or PubTator annotations`);
  return readAnnotatedPath(path);
}

/** `biom eval agreement A B` and `biom eval curated DIR`; `argv` starts after "eval". */
export async function runCurationEval(argv: string[], io: CommandIo): Promise<number> {
  const [what, ...rest] = argv;
  try {
    if (what === 'agreement') {
      const { values, positionals } = parse(rest);
      if (values.help) {
        io.stdout.write(`Usage:\n  ${AGREEMENT_USAGE.replace(/\n/g, '\n  ')}\n`);
        return 0;
      }
      if (positionals.length !== 2) throw new UsageError('give two files or folders: biom eval agreement A B (B is the reference)');
      const a = readSide(positionals[0]);
      const b = readSide(positionals[1]);
      warn(io, [...a.problems, ...b.problems]);
      if (a.documents.length === 0 && b.documents.length === 0)
        throw new InputError(`no annotated documents in ${positionals[0]} or ${positionals[1]}`);
      const { documents, ...report } = agreement(a.documents, b.documents);
      if (documents.onlyA.length > 0 || documents.onlyB.length > 0)
        io.stderr.write(
          `biom: warning: ${documents.onlyA.length} document(s) only in A, ${documents.onlyB.length} only in B (counted as disagreement)\n`,
        );
      io.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    if (what === 'curated') {
      const { values, positionals } = parse(rest, { format: { type: 'string' } });
      if (values.help) {
        io.stdout.write(`Usage:\n  ${AGREEMENT_USAGE.replace(/\n/g, '\n  ')}\n`);
        return 0;
      }
      if (positionals.length !== 1) throw new UsageError('give one folder: biom eval curated DIR');
      const format = (typeof values.format === 'string' ? values.format : 'brat') as CurationFormat;
      if (!CURATION_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${CURATION_FORMATS.join(', ')}`);
      if (!existsSync(positionals[0])) throw new InputError(`${positionals[0]} not found: give the folder of curated documents`);
      const { documents, problems } = readCuratedFolder(positionals[0], format);
      warn(io, problems);
      if (documents.length === 0) throw new InputError(`${positionals[0]}: no curated documents (.txt with a .ann beside it)`);
      io.stdout.write(`${JSON.stringify(compareModelWithCurated(documents), null, 2)}\n`);
      return 0;
    }
    throw new UsageError(`unknown eval ${JSON.stringify(what)}`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`biom eval ${what}: ${e.message} (see biom eval --help)\n`);
      return 2;
    }
    if (e instanceof InputError) {
      io.stderr.write(`biom eval ${what}: ${e.message}\n`);
      return 1;
    }
    // A file that cannot be read (permissions, a folder where a file was expected): its message, one line.
    io.stderr.write(`biom eval ${what}: ${String((e as Error)?.message ?? e).split('\n')[0]}\n`);
    return 1;
  }
}
