// Owns `biom annotate`: files and whole folders in, annotated documents out in a standard format.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { LoadedModel } from '../core/engine';
import { defaultStride, recognizeEntities } from '../core/tasks/ner';
import { extractRelations } from '../core/tasks/relations';
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
import { normalizeDocument } from '../core/normalize/bundled';
import type { NormalizeOptions } from '../core/normalize/normalizer';

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
}

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Input files under the given paths: text files one document each; PubMed XML, BioC XML/JSON and PubTator files
 * (gzipped or not) many. Sorted, for stable output.
 */
export function inputFiles(paths: readonly string[]): { file: string; root: string }[] {
  const found: { file: string; root: string }[] = [];
  const walk = (path: string, root: string): void => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new InputError(`${path} does not exist`);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (!name.startsWith('.')) walk(join(path, name), root);
    } else if (stat.isFile() && (corpusFormatOf(path) !== undefined || path === root)) {
      found.push({ file: path, root });
    }
  };
  for (const p of paths) walk(p, statSync(p, { throwIfNoEntry: false })?.isDirectory() ? p : dirname(p));
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
  const entities = (await recognizeEntities(options.ner, doc.text, { aggregation: options.aggregation, stride: defaultStride(options.aggregation) })).filter(
    (e) => e.score >= options.minScore,
  );
  const relations = options.re ? await extractRelations(options.re, doc.text, entities) : undefined;
  return { ...doc, entities: normalizeDocument(doc.text, entities, options.normalize), relations };
}

/**
 * Annotates every document; a file or record that fails is reported on stderr and the rest go on. Exit status 1 if
 * any failed or was skipped.
 */
export async function annotateFiles(paths: readonly string[], options: AnnotateOptions, io: Io): Promise<number> {
  if (options.format === 'brat' && !options.out) throw new InputError('--format brat writes .txt/.ann pairs: give --out DIR');
  const files = inputFiles(paths);
  if (files.length === 0) throw new InputError(`no .txt, .md, .pubtator, .xml or .json files (or .gz of them) under ${paths.join(', ')}`);
  const done: AnnotatedDocument[] = [];
  let failed = 0;
  const skipped = { count: 0 };
  for (const [i, { file, root }] of files.entries()) {
    try {
      for await (const doc of readDocuments(file, root, io, skipped)) {
        const annotated = await annotateDocument(doc, options);
        if (options.out && (options.format === 'json' || options.format === 'brat')) writePerDocument(annotated, options);
        else done.push(annotated);
      }
      io.stderr.write(`[${i + 1}/${files.length}] ${file}\n`);
    } catch (e) {
      failed++;
      io.stderr.write(`[${i + 1}/${files.length}] ${file}: ${(e as Error).message}\n`);
    }
  }
  if (done.length > 0 || !options.out) {
    const combined = render(done, options.format);
    if (options.out) {
      mkdirSync(options.out, { recursive: true });
      writeFileSync(join(options.out, `annotations.${options.format === 'bioc' ? 'bioc.json' : options.format}`), combined);
    } else io.stdout.write(combined);
  }
  return failed > 0 || skipped.count > 0 ? 1 : 0;
}

function writePerDocument(doc: AnnotatedDocument, options: AnnotateOptions): void {
  const base = join(options.out!, doc.id);
  mkdirSync(dirname(base), { recursive: true });
  if (options.format === 'json') {
    writeFileSync(`${base}.json`, JSON.stringify({ id: doc.id, entities: doc.entities, relations: doc.relations ?? [] }, null, 1) + '\n');
  } else {
    writeFileSync(`${base}.txt`, doc.text);
    writeFileSync(`${base}.ann`, writeBratAnnotations(doc));
  }
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
