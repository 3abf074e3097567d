// Owns `biom annotate`: files and whole folders in, annotated documents out in a standard format.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { LoadedModel } from '../core/engine';
import { annotateText, localPipeline } from '../core/pipeline';
import { InputError } from '../core/errors';
import type { Aggregation } from '../core/types';
import type { AnnotatedDocument } from '../core/formats/document';
import { writePubtator } from '../core/formats/pubtator';
import { corpusFormatOf, readCorpusFile } from '../core/formats/corpusReader';
import { describeSkip } from '../core/formats/corpusRecord';
import { jsonLine } from '../core/corpus/shardOutput';
import { writeBratAnnotations } from '../core/formats/brat';
import { writeBiocJson } from '../core/formats/bioc';
import { writeConll } from '../core/formats/conll';
import type { NormalizeOptions } from '../core/normalize/normalizer';
import { isInside } from '../core/io/safeNames';
import type { CommandIo as Io } from './io';
import { OutputPlan } from './outputPlan';

export const FORMATS = ['json', 'pubtator', 'bioc', 'brat', 'conll'] as const;
export type Format = (typeof FORMATS)[number];

export interface AnnotateOptions {
  ner: LoadedModel;
  re?: LoadedModel;
  aggregation: Aggregation;
  minScore: number;
  format: Format;
  out?: string;
  /** Link entities to MeSH / NCBI Gene / HGNC (`--normalize`); undefined leaves them without ids. */
  normalize?: NormalizeOptions;
  /** Replace existing output files; input files are never written. */
  force?: boolean;
}

/**
 * Input files under the given paths: text files one document each; PubMed XML, BioC XML/JSON and PubTator files
 * (gzipped or not) many. Sorted, for stable output.
 * Paths named on the command line are taken as given; inside a folder a symbolic link is followed only when it leads
 * to somewhere inside that folder, each real folder is read once (so a link loop ends), and skipped links are noted.
 */
export function inputFiles(paths: readonly string[], notice: (line: string) => void = () => undefined): { file: string; root: string }[] {
  const found: { file: string; root: string }[] = [];
  const walk = (path: string, root: string, realRoot: string, visited: Set<string>, top: boolean): void => {
    const link = lstatSync(path, { throwIfNoEntry: false });
    if (!link) throw new InputError(`${path} does not exist`);
    if (link.isSymbolicLink() && !top) {
      let real: string;
      try {
        real = realpathSync(path);
      } catch (e) {
        notice(`${path}: skipped, a symbolic link that cannot be followed (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
        return;
      }
      if (!isInside(realRoot, real)) {
        notice(`${path}: skipped, a symbolic link to ${real}, outside ${root}`);
        return;
      }
    }
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      const real = realpathSync(path);
      if (visited.has(real)) return;
      visited.add(real);
      for (const name of readdirSync(path).sort()) if (!name.startsWith('.')) walk(join(path, name), root, realRoot, visited, false);
    } else if (stat.isFile() && (corpusFormatOf(path) !== undefined || path === root)) {
      found.push({ file: path, root });
    }
  };
  for (const p of paths) {
    const stat = statSync(p, { throwIfNoEntry: false });
    if (!stat) throw new InputError(`${p} does not exist`);
    const root = stat.isDirectory() ? p : dirname(p);
    walk(p, root, realpathSync(stat.isDirectory() ? p : root), new Set(), true);
  }
  return found;
}

/**
 * The file's documents, streamed (core/formats/corpusReader); a bad record is reported on stderr, counted in
 * `skipped` and passed over.
 */
async function* readDocuments(file: string, root: string, io: Io, skipped: { count: number }): AsyncGenerator<AnnotatedDocument> {
  const textId = relative(root, file).replace(/\.[^.]+$/, '') || basename(file);
  for await (const record of readCorpusFile(file, { textId })) {
    if (record.kind === 'document') yield record.document;
    else if (record.kind === 'skipped') {
      skipped.count++;
      io.stderr.write(`${describeSkip(record)}\n`);
    }
  }
}

/**
 * One document through NER (and relations when a model is given), entities below minScore dropped, linked to
 * database ids with `normalize`. `biom annotate` and its shards (cli/corpus) both use it, so they cannot disagree.
 */
export async function annotateDocument(
  doc: AnnotatedDocument,
  options: Pick<AnnotateOptions, 'ner' | 're' | 'aggregation' | 'minScore' | 'normalize'>,
): Promise<AnnotatedDocument> {
  const { entities, relations } = await annotateText(doc.text, localPipeline(options.ner, options.re, options));
  return { ...doc, entities, relations };
}

/**
 * Annotates every document; a file or record that fails is reported on stderr and the rest go on. Exit status 1 if
 * any failed or was skipped.
 */
export async function annotateFiles(paths: readonly string[], options: AnnotateOptions, io: Io): Promise<number> {
  if (options.format === 'brat' && !options.out) throw new InputError('--format brat writes .txt/.ann pairs: give --out DIR');
  const notice = (line: string): void => void io.stderr.write(`${printable(line)}\n`);
  // Outputs of an earlier run inside the input tree (--out corpus/out) are not inputs of this one.
  const out = options.out ? realOrResolved(options.out) : undefined;
  const files = inputFiles(paths, notice).filter(
    (f) => !(out && isInside(out, realOrResolved(f.file)) && !isInside(out, realOrResolved(f.root))),
  );
  if (files.length === 0) throw new InputError(`no .txt, .md, .pubtator, .xml or .json files (or .gz of them) under ${paths.join(', ')}`);
  const plan = options.out
    ? new OutputPlan(options.out, { force: options.force === true, inputs: files.map((f) => f.file), notice })
    : undefined;
  const perDocument = plan !== undefined && (options.format === 'json' || options.format === 'brat');
  const combinedPath =
    plan && !perDocument ? join(options.out!, `annotations.${options.format === 'bioc' ? 'bioc.json' : options.format}`) : undefined;
  // Refused before any model runs: an hour of annotation must not end in "file exists".
  if (plan && combinedPath) plan.check([combinedPath]);
  const done: AnnotatedDocument[] = [];
  let failed = 0;
  const skipped = { count: 0 };
  for (const [i, { file, root }] of files.entries()) {
    try {
      for await (const doc of readDocuments(file, root, io, skipped)) {
        const annotated = await annotateDocument(doc, options);
        if (plan && perDocument) writePerDocument(annotated, options.format, plan, file);
        else done.push(annotated);
      }
      io.stderr.write(`[${i + 1}/${files.length}] ${printable(file)}\n`);
    } catch (e) {
      failed++;
      io.stderr.write(`[${i + 1}/${files.length}] ${printable(file)}: ${printable((e as Error).message)}\n`);
    }
  }
  if (done.length > 0 || !options.out) {
    const combined = render(done, options.format);
    if (plan && combinedPath) plan.write([{ path: combinedPath, data: combined }]);
    else io.stdout.write(combined);
  }
  return failed > 0 || skipped.count > 0 ? 1 : 0;
}

/** One document's files: a JSON file, or a brat .txt/.ann pair (both refused if either would overwrite). */
function writePerDocument(doc: AnnotatedDocument, format: Format, plan: OutputPlan, source: string): void {
  if (format === 'json') {
    const base = plan.reserve(doc.id, source, ['.json']);
    plan.write([
      {
        path: `${base}.json`,
        data: JSON.stringify({ id: doc.id, entities: doc.entities, relations: doc.relations ?? [] }, null, 1) + '\n',
      },
    ]);
  } else {
    const base = plan.reserve(doc.id, source, ['.txt', '.ann']);
    plan.write([
      { path: `${base}.txt`, data: doc.text },
      { path: `${base}.ann`, data: writeBratAnnotations(doc) },
    ]);
  }
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** A file name or message as one inert terminal line: control characters (escape sequences, newlines) shown as \\uXXXX. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function render(docs: readonly AnnotatedDocument[], format: Format): string {
  switch (format) {
    case 'pubtator':
      return writePubtator(docs);
    case 'bioc':
      return writeBiocJson(docs);
    case 'conll':
      return writeConll(docs);
    case 'json':
      return docs.map(jsonLine).join('');
    case 'brat':
      throw new InputError('--format brat needs --out DIR');
  }
}
