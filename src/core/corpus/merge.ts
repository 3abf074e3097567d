// Owns the merge of a corpus run: shard outputs concatenated in input-name order into one file (same shards, same
// bytes), each shard checked against its manifest on the way, and the run's summary (counts, labels, throughput).
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { InputError } from '../errors';
import { createHash } from 'node:crypto';
import type { ShardCounts, ShardManifest } from './manifest';
import { StreamedFile, collectionLayout, type ShardFormat } from './shardOutput';

export interface MergeSummary extends Omit<ShardCounts, 'skipped'> {
  shards: number;
  skipped: Record<string, number>;
  output: { file: string; bytes: number; sha256: string };
  jobs: {
    input: string;
    documents: number;
    skipped: number;
    seconds: number;
    documentsPerSecond: number;
    hostname: string;
    slurmJobId?: string;
    threads?: number;
  }[];
  /** Sum of the jobs' wall-clock seconds, and documents per job-second over the whole run. */
  jobSeconds: number;
  documentsPerJobSecond: number;
}

type Located = ShardManifest & { dir: string };

/**
 * Complete shards of `format`: every manifest in the given folders plus the manifest files named, in the order their
 * inputs sort by name (then path) — the order `biom annotate` walks a folder in.
 */
export function readManifests(sources: readonly string[], format: ShardFormat): Located[] {
  const files = sources.flatMap((source) =>
    statSync(source).isDirectory()
      ? readdirSync(source)
          .filter((n) => n.endsWith('.manifest.json') && !n.startsWith('.'))
          .map((n) => join(source, n))
      : [source],
  );
  const manifests = files
    .map((file): Located => {
      try {
        return { ...(JSON.parse(readFileSync(file, 'utf8')) as ShardManifest), dir: dirname(file) };
      } catch (e) {
        throw new InputError(`${file} is not a readable manifest (${(e as Error).message}): delete it and run that shard again`);
      }
    })
    .filter((m) => m.output?.format === format);
  const key = (m: ShardManifest): string => `${m.input.name}\u0000${m.input.path}`;
  return manifests.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export async function mergeShards(sources: readonly string[], format: ShardFormat, target: string): Promise<MergeSummary> {
  const manifests = readManifests(sources, format);
  if (manifests.length === 0)
    throw new InputError(
      `no complete ${format} shards (*.manifest.json) in ${sources.join(', ')}: run \`biom annotate --shard-out DIR\` first`,
    );
  const out = new StreamedFile(target);
  const layout = collectionLayout(format, '');
  let wroteDocument = false;
  try {
    for (const [i, m] of manifests.entries()) {
      const path = join(m.dir, m.output.file);
      const hash = createHash('sha256');
      let bytes = 0;
      const stream = createReadStream(path);
      stream.on('data', (chunk) => {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      });
      if (format === 'json') {
        for await (const chunk of stream) await out.write((chunk as Buffer).toString('utf8'));
      } else {
        const isDocument = layout.isDocumentLine;
        let inHeader = true;
        let documentStarted = false;
        for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
          if (!isDocument) {
            // PubTator: documents are blocks; a shard's first block follows the previous shard's after a blank line.
            if (!documentStarted && line !== '' && wroteDocument) await out.write('\n');
            documentStarted ||= line !== '';
            if (documentStarted) await out.write(line + '\n');
            continue;
          }
          if (isDocument(line)) {
            inHeader = false;
            const body = format === 'bioc' ? line.replace(/,$/, '') : line;
            await out.write((format === 'bioc' && wroteDocument ? ',\n' : '') + body + (format === 'bioc' ? '' : '\n'));
            wroteDocument = true;
          } else if (inHeader && i === 0) await out.write(line + '\n');
        }
        if (!isDocument && documentStarted) wroteDocument = true;
      }
      if (bytes !== m.output.bytes || hash.digest('hex') !== m.output.sha256) {
        throw new InputError(
          `${path} does not match its manifest (changed or partial): delete ${m.output.file} and its manifest and run that shard again`,
        );
      }
    }
    if (format === 'bioc' || format === 'bioc-xml') await out.write(layout.footer);
  } catch (e) {
    out.abort();
    throw e;
  }
  const written = await out.commit();
  return summarize(manifests, { file: target, ...written });
}

export function summarize(manifests: readonly ShardManifest[], output: MergeSummary['output']): MergeSummary {
  const add = (into: Record<string, number>, from: Record<string, number | undefined>): void => {
    for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + (v ?? 0);
  };
  const entityLabels: Record<string, number> = {};
  const relationLabels: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  let documents = 0;
  let entities = 0;
  let relations = 0;
  let deletedCitations = 0;
  let jobSeconds = 0;
  for (const m of manifests) {
    documents += m.counts.documents;
    entities += m.counts.entities;
    relations += m.counts.relations;
    deletedCitations += m.counts.deletedCitations;
    jobSeconds += m.timings.seconds;
    add(entityLabels, m.counts.entityLabels);
    add(relationLabels, m.counts.relationLabels);
    add(skipped, m.counts.skipped);
  }
  const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    shards: manifests.length,
    documents,
    entities,
    relations,
    entityLabels: sortKeys(entityLabels),
    relationLabels: sortKeys(relationLabels),
    deletedCitations,
    skipped: sortKeys(skipped),
    output,
    jobs: manifests.map((m) => ({
      input: m.input.name,
      documents: m.counts.documents,
      skipped: Object.values(m.counts.skipped).reduce((a: number, b) => a + (b ?? 0), 0),
      seconds: m.timings.seconds,
      documentsPerSecond: m.timings.documentsPerSecond,
      hostname: m.host.hostname,
      ...(m.host.slurmJobId ? { slurmJobId: m.host.slurmJobId } : {}),
      ...(m.host.threads ? { threads: m.host.threads } : {}),
    })),
    jobSeconds: Math.round(jobSeconds * 100) / 100,
    documentsPerJobSecond: jobSeconds > 0 ? Math.round((documents / jobSeconds) * 100) / 100 : 0,
  };
}
