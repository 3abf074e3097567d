// Owns shard manifests: what a shard's output was made from (input checksum, models and their file hashes, settings,
// tool version), what it holds (counts, skipped records and why) and how long it took; and when one still matches.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { RecordLocation, SkipReason } from '../formats/corpusRecord';

export interface ModelFingerprint {
  role: string;
  /** Folder name (the model id a user chose). */
  id: string;
  folder: string;
  quantized: boolean;
  /** sha256 of each file the model is made of, by name inside the folder. */
  files: Record<string, string>;
}

export interface ShardCounts {
  /** Documents annotated and written. */
  documents: number;
  entities: number;
  relations: number;
  entityLabels: Record<string, number>;
  relationLabels: Record<string, number>;
  /** PMIDs listed in DeleteCitation elements. */
  deletedCitations: number;
  skipped: Partial<Record<SkipReason, number>>;
}

export interface ShardManifest {
  manifestVersion: 1;
  /** sha256 over tool version, input checksum, models and settings: a shard is redone when this changes. */
  fingerprint: string;
  tool: { name: string; version: string };
  input: { path: string; name: string; bytes: number; sha256: string };
  models: ModelFingerprint[];
  settings: Record<string, string | number | boolean>;
  output: { file: string; format: string; bytes: number; sha256: string };
  counts: ShardCounts;
  /** The first skipped records with their location (all of them are counted in `counts.skipped`). */
  skippedRecords: { reason: SkipReason; message: string; location: RecordLocation }[];
  deletedIds: string[];
  timings: { startedAt: string; finishedAt: string; seconds: number; documentsPerSecond: number };
  host: { hostname: string; slurmJobId?: string; threads?: number };
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function fingerprintOf(parts: {
  tool: string;
  inputSha256: string;
  models: readonly ModelFingerprint[];
  settings: Record<string, unknown>;
}): string {
  const models = parts.models.map((m) => ({ role: m.role, quantized: m.quantized, files: m.files }));
  return createHash('sha256')
    .update(JSON.stringify([parts.tool, parts.inputSha256, models, parts.settings]))
    .digest('hex');
}

/** The manifest at `path` if it describes a complete output that still matches `fingerprint`, else undefined. */
export async function matchingManifest(path: string, fingerprint: string, outputPath: string): Promise<ShardManifest | undefined> {
  if (!existsSync(path) || !existsSync(outputPath)) return undefined;
  let manifest: ShardManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as ShardManifest;
  } catch {
    return undefined;
  }
  if (manifest.manifestVersion !== 1 || manifest.fingerprint !== fingerprint) return undefined;
  if (statSync(outputPath).size !== manifest.output.bytes) return undefined;
  return (await sha256File(outputPath)) === manifest.output.sha256 ? manifest : undefined;
}
