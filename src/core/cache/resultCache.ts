// Owns the persistent result cache: one small JSON file per key, versioned, bounded by bytes with LRU eviction.
// Any unreadable, corrupt or foreign entry is a miss (and is removed), never an error: the folder is safe to delete.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite';

/** Bumped whenever the entry layout or the meaning of cached results changes; older folders are ignored and pruned. */
export const RESULT_CACHE_FORMAT = 1;

export interface ResultCacheOptions {
  /** The cache folder (the extension's global storage, or `biom annotate --cache DIR`). */
  dir: string;
  /** Bound on the bytes of all entries; 0 turns the cache off (nothing read or written). */
  maxBytes: number;
}

interface EntryFile<T> {
  format: number;
  key: string;
  value: T;
}

export interface ResultCacheStats {
  hits: number;
  misses: number;
  writes: number;
  evictions: number;
}

/** SHA-256 hex of a string: the file name of a key, and the "paragraph text hash" part of keys. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A disk cache from string keys to JSON values. Reads are synchronous and small (one entry, a few KB), so the
 * in-memory paragraph cache can fall through to it without changing its interface. Writes are atomic (temp file
 * and rename), so two processes writing the same key leave one whole entry, and a reader never sees half of one.
 */
export class ResultCache<T> {
  private readonly folder: string;
  private maxBytes: number;
  /** Bytes written since the last size check; the folder is measured (and trimmed) when this passes a slice of the bound. */
  private writtenSinceCheck = 0;
  private readonly counts: ResultCacheStats = { hits: 0, misses: 0, writes: 0, evictions: 0 };
  /**
   * Entries not yet on disk. Each write is fsync'd, a few ms: they go one per event-loop turn so the extension host
   * never stalls on a burst of results. Reads see them already; flush() writes the rest at once (dispose).
   */
  private readonly pending = new Map<string, { value: T; data: string }>();
  private draining = false;

  constructor(options: ResultCacheOptions) {
    this.folder = join(options.dir, `v${RESULT_CACHE_FORMAT}`);
    this.maxBytes = options.maxBytes;
  }

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** A new bound (the setting changed); a smaller one trims at once, 0 turns the cache off and keeps the files. */
  setMaxBytes(maxBytes: number): void {
    this.maxBytes = maxBytes;
    if (this.enabled) this.trim();
  }

  get(key: string): T | undefined {
    if (!this.enabled) return undefined;
    const queued = this.pending.get(key);
    if (queued) {
      this.counts.hits++;
      return queued.value;
    }
    const file = this.fileOf(key);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      this.counts.misses++;
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as EntryFile<T>;
      if (entry?.format !== RESULT_CACHE_FORMAT || entry.key !== key || entry.value === undefined) throw new Error('foreign entry');
      this.counts.hits++;
      // The modification time is the LRU clock: a hit makes the entry the most recently used.
      touchQuietly(file);
      return entry.value;
    } catch {
      // Corrupt (truncated by a full disk, edited by hand) or written by another format: a miss, and gone.
      unlinkQuietly(file);
      this.counts.misses++;
      return undefined;
    }
  }

  set(key: string, value: T): void {
    if (!this.enabled) return;
    const data = JSON.stringify({ format: RESULT_CACHE_FORMAT, key, value } satisfies EntryFile<T>);
    this.pending.delete(key);
    this.pending.set(key, { value, data });
    if (this.draining) return;
    this.draining = true;
    setImmediate(this.drainOne);
  }

  /** Writes every queued entry now (the backend's dispose, tests); afterwards another process can read them. */
  flush(): void {
    for (const [key, { data }] of this.pending) this.write(key, data);
    this.pending.clear();
  }

  private readonly drainOne = (): void => {
    const next = this.pending.entries().next();
    if (next.done) {
      this.draining = false;
      return;
    }
    const [key, { data }] = next.value;
    this.pending.delete(key);
    this.write(key, data);
    setImmediate(this.drainOne);
  };

  private write(key: string, data: string): void {
    if (!this.enabled) return;
    try {
      mkdirSync(this.folder, { recursive: true });
      writeFileAtomic(this.fileOf(key), data, { overwrite: true });
    } catch {
      // A cache that cannot write (read-only or full disk) only costs speed; the results are still shown.
      return;
    }
    this.counts.writes++;
    this.writtenSinceCheck += data.length;
    if (this.writtenSinceCheck >= Math.max(64 * 1024, this.maxBytes / 20)) this.trim();
  }

  /** Deletes every entry (BioM: Clear Result Cache), of this format and older ones. */
  clear(): void {
    this.pending.clear();
    for (const name of listQuietly(join(this.folder, '..'))) {
      if (/^v\d+$/.test(name)) rmSync(join(this.folder, '..', name), { recursive: true, force: true });
    }
    this.writtenSinceCheck = 0;
  }

  /** Total bytes of the entries on disk now. */
  sizeBytes(): number {
    return this.entries().reduce((sum, e) => sum + e.size, 0);
  }

  stats(): ResultCacheStats {
    return { ...this.counts };
  }

  /**
   * Removes least recently used entries until the folder is at 90% of the bound (headroom, so the next writes do not
   * trim again at once). Stale temp files of crashed writers go too. Another process trimming at the same time only
   * makes an unlink fail, which is ignored.
   */
  trim(): void {
    this.writtenSinceCheck = 0;
    const entries = this.entries();
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    if (total <= this.maxBytes) return;
    entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
    const goal = this.maxBytes * 0.9;
    for (const e of entries) {
      if (total <= goal) break;
      if (unlinkQuietly(e.path)) this.counts.evictions++;
      total -= e.size;
    }
  }

  private entries(): { path: string; size: number; mtimeMs: number }[] {
    const out: { path: string; size: number; mtimeMs: number }[] = [];
    for (const name of listQuietly(this.folder)) {
      const path = join(this.folder, name);
      try {
        const s = statSync(path);
        if (!s.isFile()) continue;
        // A temp file older than a minute belongs to a writer that died before its rename.
        if (name.endsWith('.tmp')) {
          if (Date.now() - s.mtimeMs > 60_000) unlinkQuietly(path);
          continue;
        }
        out.push({ path, size: s.size, mtimeMs: s.mtimeMs });
      } catch {
        // Removed by another process meanwhile.
      }
    }
    return out;
  }

  private fileOf(key: string): string {
    return join(this.folder, `${sha256(key)}.json`);
  }
}

function listQuietly(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function unlinkQuietly(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

function touchQuietly(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Evicted by another process between the read and now: the value read is still right.
  }
}
