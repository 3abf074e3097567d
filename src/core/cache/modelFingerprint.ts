// Owns the content fingerprint of a model folder: SHA-256 of its files, computed once per file version (path, size,
// modification time) and remembered in memory and in the result cache, so a restart does not re-read 800 MB.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultCache } from './resultCache';

/** Hashes of file versions this process has computed or read back: `path|size|mtime` → SHA-256 hex. */
const known = new Map<string, string>();

/** Test and benchmark hook: forget the in-memory hashes (a fresh process), keeping what the disk cache remembers. */
export function forgetFingerprints(): void {
  known.clear();
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * One hash for everything in the folder a model is loaded from (weights, tokenizer, config, labels): replacing any of
 * them changes the fingerprint, so results cached for the old files are never shown for the new ones.
 */
export async function modelFingerprint(folder: string, memo?: ResultCache<string>): Promise<string> {
  const parts: string[] = [];
  await hashTree(folder, '', memo, parts, 0);
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** Files below `folder` (weights live in onnx/), in name order, as `relative path:hash` lines. */
async function hashTree(
  folder: string,
  prefix: string,
  memo: ResultCache<string> | undefined,
  parts: string[],
  depth: number,
): Promise<void> {
  for (const name of (await readdir(folder)).sort()) {
    const path = join(folder, name);
    const s = await stat(path);
    if (s.isDirectory()) {
      // Model folders are shallow (config, tokenizer, onnx/); the bound only guards against a link loop.
      if (depth < 3) await hashTree(path, `${prefix}${name}/`, memo, parts, depth + 1);
      continue;
    }
    if (!s.isFile()) continue;
    const version = `${path}|${s.size}|${s.mtimeMs}`;
    let digest = known.get(version) ?? memo?.get(`file-hash\u0000${version}`);
    if (digest === undefined) {
      digest = await hashFile(path);
      memo?.set(`file-hash\u0000${version}`, digest);
    }
    known.set(version, digest);
    parts.push(`${prefix}${name}:${digest}`);
  }
}
