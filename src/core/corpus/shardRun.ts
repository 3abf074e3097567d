// Owns one shard run: an input file in, its annotated output and manifest out, resumable (a shard whose manifest
// still matches is skipped; a partial one is redone) and idempotent (same input, models and settings: same bytes).
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { hostname } from 'node:os';
import type { AnnotatedDocument } from '../formats/document';
import { readCorpusFile } from '../formats/corpusReader';
import { DEFAULT_LIMITS, type CorpusRecord, type ReaderLimits } from '../formats/corpusRecord';
import { writeFileAtomic } from '../io/atomicWrite';
import { StreamedFile, collectionLayout, SHARD_EXTENSION, type ShardFormat } from './shardOutput';
import { fingerprintOf, matchingManifest, sha256File, type ModelFingerprint, type ShardCounts, type ShardManifest } from './manifest';
import { ProgressMeter, type ProgressSnapshot } from './progress';

/** Skipped records kept in full in a manifest; the rest are counted only. */
const MAX_LISTED_SKIPS = 1000;

export interface ShardJob {
  input: string;
  outDir: string;
  format: ShardFormat;
  toolVersion: string;
  models: readonly ModelFingerprint[];
  /** Everything else that changes the output (aggregation, minScore, stride, …). */
  settings: Record<string, string | number | boolean>;
  annotate: (doc: AnnotatedDocument) => Promise<AnnotatedDocument>;
  limits?: ReaderLimits;
  /** Redo even when the manifest matches. */
  force?: boolean;
  /** Date written in BioC collection headers (default: today). */
  date?: string;
  threads?: number;
  /** Every this many documents: onProgress and the status file. */
  progressEvery?: number;
  onProgress?: (p: ProgressSnapshot) => void;
  onSkip?: (record: Extract<CorpusRecord, { kind: 'skipped' }>) => void;
}

export interface ShardPaths {
  output: string;
  manifest: string;
  status: string;
}

/** Where a shard's files go: named after the input file, so one folder holds a whole corpus run. */
export function shardPaths(input: string, outDir: string, format: ShardFormat): ShardPaths {
  const name = basename(input);
  return {
    output: join(outDir, `${name}.${SHARD_EXTENSION[format]}`),
    manifest: join(outDir, `${name}.manifest.json`),
    status: join(outDir, `${name}.status.json`),
  };
}

export type ShardResult = { status: 'up-to-date' | 'done'; manifest: ShardManifest; paths: ShardPaths };

export async function runShard(job: ShardJob): Promise<ShardResult> {
  const paths = shardPaths(job.input, job.outDir, job.format);
  const startedAt = new Date();
  const inputSha256 = await sha256File(job.input);
  const limits = job.limits ?? DEFAULT_LIMITS;
  const settings = { ...job.settings, format: job.format, maxDocumentChars: limits.maxDocumentChars };
  const fingerprint = fingerprintOf({ tool: job.toolVersion, inputSha256, models: job.models, settings });
  if (!job.force) {
    const manifest = await matchingManifest(paths.manifest, fingerprint, paths.output);
    if (manifest) return { status: 'up-to-date', manifest, paths };
  }
  removeStaleTemps(
    job.outDir,
    [paths.output, paths.manifest, paths.status].map((p) => basename(p)),
  );

  const totalBytes = statSync(job.input).size;
  const meter = new ProgressMeter(totalBytes);
  const every = job.progressEvery ?? 500;
  const counts: ShardCounts = {
    documents: 0,
    entities: 0,
    relations: 0,
    entityLabels: {},
    relationLabels: {},
    deletedCitations: 0,
    skipped: {},
  };
  const skippedRecords: ShardManifest['skippedRecords'] = [];
  const deletedIds: string[] = [];
  const layout = collectionLayout(job.format, job.date ?? startedAt.toISOString().slice(0, 10));
  const out = new StreamedFile(paths.output);
  // The status file says which scheduler job is working on the shard, so a stuck or killed job can be found.
  const schedulerJob = process.env.SLURM_JOB_ID ? { slurmJobId: process.env.SLURM_JOB_ID } : {};
  const report = (): void => {
    const snapshot = meter.snapshot();
    job.onProgress?.(snapshot);
    writeFileAtomic(
      paths.status,
      JSON.stringify({ input: job.input, state: 'running', pid: process.pid, ...schedulerJob, ...snapshot }) + '\n',
      { overwrite: true },
    );
  };
  try {
    await out.write(layout.header);
    for await (const record of readCorpusFile(job.input, { limits, onInputBytes: (b) => (meter.bytesRead = b) })) {
      if (record.kind === 'skipped') {
        counts.skipped[record.reason] = (counts.skipped[record.reason] ?? 0) + 1;
        meter.skipped++;
        if (skippedRecords.length < MAX_LISTED_SKIPS)
          skippedRecords.push({ reason: record.reason, message: record.message, location: record.location });
        job.onSkip?.(record);
        continue;
      }
      if (record.kind === 'deleted') {
        counts.deletedCitations += record.ids.length;
        deletedIds.push(...record.ids);
        continue;
      }
      const annotated = await job.annotate(record.document);
      await out.write(layout.document(annotated, counts.documents === 0));
      counts.documents++;
      counts.entities += annotated.entities.length;
      for (const e of annotated.entities) counts.entityLabels[e.label] = (counts.entityLabels[e.label] ?? 0) + 1;
      for (const r of annotated.relations ?? []) {
        counts.relations++;
        counts.relationLabels[r.label] = (counts.relationLabels[r.label] ?? 0) + 1;
      }
      meter.documents = counts.documents;
      if (counts.documents % every === 0) report();
    }
    await out.write(layout.footer);
  } catch (e) {
    out.abort();
    throw e;
  }
  const written = await out.commit();
  const finished = new Date();
  const seconds = (finished.getTime() - startedAt.getTime()) / 1000;
  const manifest: ShardManifest = {
    manifestVersion: 1,
    fingerprint,
    tool: { name: 'biom-annotator', version: job.toolVersion },
    input: { path: resolve(job.input), name: basename(job.input), bytes: totalBytes, sha256: inputSha256 },
    models: [...job.models],
    settings,
    output: { file: basename(paths.output), format: job.format, ...written },
    counts: { ...counts, entityLabels: sorted(counts.entityLabels), relationLabels: sorted(counts.relationLabels) },
    skippedRecords,
    deletedIds,
    timings: {
      startedAt: startedAt.toISOString(),
      finishedAt: finished.toISOString(),
      seconds,
      documentsPerSecond: seconds > 0 ? Math.round((counts.documents / seconds) * 100) / 100 : 0,
    },
    host: {
      hostname: hostname(),
      ...(process.env.SLURM_JOB_ID ? { slurmJobId: process.env.SLURM_JOB_ID } : {}),
      ...(job.threads ? { threads: job.threads } : {}),
    },
  };
  // The manifest goes last: its presence (and matching output checksum) is what marks a shard complete.
  writeFileAtomic(paths.manifest, JSON.stringify(manifest, null, 1) + '\n', { overwrite: true });
  writeFileAtomic(paths.status, JSON.stringify({ input: job.input, state: 'done', ...schedulerJob, ...meter.snapshot() }) + '\n', {
    overwrite: true,
  });
  return { status: 'done', manifest, paths };
}

function sorted(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Temp files a killed run of this shard left behind (".name.pid.rand.tmp"); other shards' files are not touched. */
function removeStaleTemps(dir: string, names: readonly string[]): void {
  for (const entry of readdirSync(dir)) {
    if (!entry.endsWith('.tmp')) continue;
    if (!names.some((n) => entry.startsWith(`.${n}.`))) continue;
    try {
      unlinkSync(join(dir, entry));
    } catch {
      // another process removed it
    }
  }
}
