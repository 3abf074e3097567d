// Owns `biom annotate`: files and whole folders in, annotated documents out in a standard format.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import type { LoadedModel } from '../core/engine';
import { annotateText, localPipeline } from '../core/pipeline';
import { InputError } from '../core/errors';
import type { Aggregation } from '../core/types';
import type { AnnotatedDocument } from '../core/formats/document';
import { readPubtator, writePubtator } from '../core/formats/pubtator';
import { writeBratAnnotations } from '../core/formats/brat';
import { writeBiocJson } from '../core/formats/bioc';
import { writeConll } from '../core/formats/conll';
import type { NormalizeOptions } from '../core/normalize/normalizer';
import type { CommandIo as Io } from './io';

export const FORMATS = ['json', 'pubtator', 'bioc', 'brat', 'conll'] as const;
export type Format = (typeof FORMATS)[number];

const TEXT_EXTENSIONS = new Set(['.txt', '.text', '.md']);
const PUBTATOR_EXTENSIONS = new Set(['.pubtator', '.PubTator']);

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

/** Input files under the given paths: text files one document each, PubTator files many. Sorted, for stable output. */
export function inputFiles(paths: readonly string[]): { file: string; root: string }[] {
  const found: { file: string; root: string }[] = [];
  const walk = (path: string, root: string): void => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new InputError(`${path} does not exist`);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (!name.startsWith('.')) walk(join(path, name), root);
    } else if (stat.isFile() && (TEXT_EXTENSIONS.has(extname(path)) || PUBTATOR_EXTENSIONS.has(extname(path)) || path === root)) {
      found.push({ file: path, root });
    }
  };
  for (const p of paths) walk(p, statSync(p, { throwIfNoEntry: false })?.isDirectory() ? p : dirname(p));
  return found;
}

function readDocuments(file: string, root: string): AnnotatedDocument[] {
  const text = readFileSync(file, 'utf8');
  if (PUBTATOR_EXTENSIONS.has(extname(file))) return readPubtator(text);
  const id = relative(root, file).replace(/\.[^.]+$/, '') || basename(file);
  return [{ id, text, entities: [] }];
}

/** Annotates every document; a file that fails is reported on stderr and the rest go on. Exit status 1 if any failed. */
export async function annotateFiles(paths: readonly string[], options: AnnotateOptions, io: Io): Promise<number> {
  if (options.format === 'brat' && !options.out) throw new InputError('--format brat writes .txt/.ann pairs: give --out DIR');
  const files = inputFiles(paths);
  if (files.length === 0) throw new InputError(`no .txt, .md or .pubtator files under ${paths.join(', ')}`);
  const done: AnnotatedDocument[] = [];
  let failed = 0;
  for (const [i, { file, root }] of files.entries()) {
    try {
      for (const doc of readDocuments(file, root)) {
        const { entities, relations } = await annotateText(doc.text, localPipeline(options.ner, options.re, options));
        const annotated: AnnotatedDocument = { ...doc, entities, relations };
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
  return failed > 0 ? 1 : 0;
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
      return docs.map((d) => JSON.stringify({ id: d.id, entities: d.entities, relations: d.relations ?? [] })).join('\n') + (docs.length ? '\n' : '');
    case 'brat':
      throw new InputError('--format brat needs --out DIR');
  }
}
