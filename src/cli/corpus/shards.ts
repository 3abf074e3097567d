// Owns `biom annotate --shard-out DIR` and `biom merge`: one shard per input file with manifests, terminal and
// scheduler progress, and the deterministic merge with its summary. The work itself is in core/corpus.
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { LoadedModel } from '../../core/engine';
import { InputError } from '../../core/errors';
import { describeSkip, DEFAULT_LIMITS } from '../../core/formats/corpusRecord';
import { runShard } from '../../core/corpus/shardRun';
import { sha256File, type ModelFingerprint } from '../../core/corpus/manifest';
import { formatProgress, type ProgressSnapshot } from '../../core/corpus/progress';
import { mergeShards } from '../../core/corpus/merge';
import type { ShardFormat } from '../../core/corpus/shardOutput';
import { FileExistsError, writeFileAtomic } from '../../core/io/atomicWrite';
import type { Aggregation } from '../../core/types';
import { DEFAULT_GENE_SPECIES, type NormalizeOptions } from '../../core/normalize/normalizer';
import { annotateDocument, inputFiles } from '../annotateFiles';
import { version } from '../../../package.json';
import type { CommandIo as Io } from '../io';

export interface ShardOptions {
  ner: LoadedModel;
  re?: LoadedModel;
  aggregation: Aggregation;
  minScore: number;
  format: ShardFormat;
  outDir: string;
  force: boolean;
  progressEvery: number;
  maxChars?: number;
  threads?: number;
  normalize?: NormalizeOptions;
}

async function fingerprintModel(role: string, model: LoadedModel): Promise<ModelFingerprint> {
  const { folder, onnxPath, tokenizerPath, quantized } = model.info;
  const files: Record<string, string> = {};
  for (const path of [join(folder, 'config.json'), tokenizerPath, join(folder, 'tokenizer_config.json'), onnxPath]) {
    if (existsSync(path)) files[relative(folder, path)] = await sha256File(path);
  }
  return { role, id: basename(folder), folder, quantized, files };
}

/** Runs one shard per input file; shards already complete are skipped. Exit status 1 if any shard failed. */
export async function annotateShards(paths: readonly string[], options: ShardOptions, io: Io): Promise<number> {
  const files = inputFiles(paths);
  if (files.length === 0) throw new InputError(`no .xml, .json, .pubtator, .txt or .md files (or .gz of them) under ${paths.join(', ')}`);
  const byName = new Map<string, string>();
  for (const { file } of files) {
    const other = byName.get(basename(file));
    if (other) throw new InputError(`${other} and ${file} have the same name, and shards are named after their input: rename one`);
    byName.set(basename(file), file);
  }
  mkdirSync(options.outDir, { recursive: true });
  const models = [await fingerprintModel('ner', options.ner), ...(options.re ? [await fingerprintModel('relations', options.re)] : [])];
  const settings = {
    aggregation: options.aggregation,
    minScore: options.minScore,
    relations: options.re !== undefined,
    normalize: options.normalize ? (options.normalize.species ?? DEFAULT_GENE_SPECIES) : false,
  };
  const tty = (io.stderr as NodeJS.WriteStream).isTTY === true;
  let failed = 0;
  for (const [i, { file }] of files.entries()) {
    const name = basename(file);
    let lastDraw = 0;
    const progress = (p: ProgressSnapshot, force = false): void => {
      if (tty) {
        const now = Date.now();
        if (force || now - lastDraw > 250) io.stderr.write(`\r[${i + 1}/${files.length}] ${formatProgress(name, p)}\x1b[K`);
        lastDraw = now;
      } else io.stderr.write(JSON.stringify({ event: 'progress', shard: name, ...p }) + '\n');
    };
    try {
      const result = await runShard({
        input: file,
        outDir: options.outDir,
        format: options.format,
        toolVersion: version,
        models,
        settings,
        annotate: (doc) => annotateDocument(doc, options),
        limits: options.maxChars ? { maxDocumentChars: options.maxChars } : DEFAULT_LIMITS,
        force: options.force,
        threads: options.threads,
        progressEvery: tty ? 1 : options.progressEvery,
        onProgress: (p) => progress(p),
        onSkip: (record) => io.stderr.write(`${tty ? '\r\x1b[K' : ''}${describeSkip(record)}\n`),
      });
      const { counts, timings } = result.manifest;
      const skipped = Object.values(counts.skipped).reduce((a: number, b) => a + (b ?? 0), 0);
      const line =
        result.status === 'up-to-date'
          ? `[${i + 1}/${files.length}] ${name}: up to date (${counts.documents} documents), skipped`
          : `[${i + 1}/${files.length}] ${name}: ${counts.documents} documents, ${counts.entities} entities, ${counts.relations} relations` +
            `${skipped ? `, ${skipped} records skipped` : ''} in ${timings.seconds.toFixed(1)} s (${timings.documentsPerSecond} docs/s)`;
      io.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`);
      if (!tty)
        io.stderr.write(
          JSON.stringify({
            event: 'shard',
            shard: name,
            status: result.status,
            documents: counts.documents,
            skipped,
            seconds: timings.seconds,
          }) + '\n',
        );
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      failed++;
      io.stderr.write(`${tty ? '\r\x1b[K' : ''}[${i + 1}/${files.length}] ${file}: ${e.message}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

/** `biom merge`: one output from shard folders or manifests, plus a summary (JSON) when asked. */
export async function mergeCommand(
  sources: readonly string[],
  format: ShardFormat,
  out: string,
  summaryPath: string | undefined,
  force: boolean,
  io: Io,
): Promise<number> {
  for (const s of sources)
    if (!existsSync(s)) throw new InputError(`${s} does not exist: give the folder \`biom annotate --shard-out\` wrote, or its manifests`);
  if (!force && existsSync(out)) throw new FileExistsError(out);
  const summary = await mergeShards(sources, format, out);
  if (summaryPath) writeFileAtomic(summaryPath, JSON.stringify(summary, null, 1) + '\n', { overwrite: true });
  io.stderr.write(
    `merged ${summary.shards} shards: ${summary.documents} documents, ${summary.entities} entities, ${summary.relations} relations` +
      `${Object.keys(summary.skipped).length ? `, skipped ${JSON.stringify(summary.skipped)}` : ''} -> ${out}\n`,
  );
  return 0;
}
