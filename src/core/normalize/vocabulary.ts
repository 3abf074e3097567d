// Owns the bundled index file format (gzipped text: a JSON header, concept lines, name-key lines) and loading it.
import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { KEY_VERSION } from './keys';

export const INDEX_FORMAT = 'biom-normalization-index';
export const INDEX_FORMAT_VERSION = 1;

/** Where a name came from; decides which of several records sharing a name is preferred. */
export type NameSource =
  | 'preferred' // MeSH descriptor label / HGNC approved symbol
  | 'synonym' // MeSH entry term
  | 'supplementary' // MeSH supplementary concept name
  | 'chebi' // ChEBI name of a MeSH record
  | 'name' // HGNC approved name
  | 'previous-symbol'
  | 'alias-symbol'
  | 'previous-name'
  | 'alias-name'
  | 'corpus'; // a training-corpus mention annotated with this record

export const SOURCE_CODES: Record<NameSource, string> = {
  preferred: 'P',
  synonym: 'S',
  supplementary: 'C',
  chebi: 'E',
  name: 'N',
  'previous-symbol': 'V',
  'alias-symbol': 'A',
  'previous-name': 'W',
  'alias-name': 'B',
  corpus: 'T',
};
const SOURCE_OF: Record<string, NameSource> = Object.fromEntries(Object.entries(SOURCE_CODES).map(([k, v]) => [v, k as NameSource]));

export interface IndexHeader {
  format: typeof INDEX_FORMAT;
  formatVersion: number;
  keyVersion: number;
  /** MESH or HGNC: what the concept ids are. */
  namespace: 'MESH' | 'HGNC';
  /** Vocabulary and version in words, e.g. "MeSH 2020 (descriptors + supplementary concepts mapped to ChEBI)". */
  vocabulary: string;
  version: string;
  /** The credit the vocabulary's owner asks for; shown by `biom normalize --about` and in the README. */
  credit: string;
  sources: string[];
  species?: string;
  concepts: number;
  names: number;
}

/** One record: MeSH descriptor/supplementary concept, or HGNC gene. */
export interface Concept {
  /** MESH: D003915 / C000002; HGNC: HGNC:3236. */
  id: string;
  /** MeSH label / HGNC approved symbol. */
  preferred: string;
  /** HGNC approved name (genes). */
  fullName?: string;
  /** NCBI Gene id (genes with one). */
  entrez?: string;
  /** HGNC locus group, e.g. "protein-coding gene". */
  group?: string;
}

export interface NameRef {
  concept: number;
  source: NameSource;
}

export interface NameEntry {
  /** The vocabulary's spelling of the name that produced this key. */
  name: string;
  refs: NameRef[];
}

/**
 * A loaded index. The file's bytes stay one Buffer (off the JS heap) holding lines sorted by key; a lookup binary-searches
 * them in place and decodes only the record it finds, so loading costs a gunzip and one scan for line breaks.
 */
export class VocabularyIndex {
  private readonly decoded = new Map<number, { key: string; entry: NameEntry }>();
  private readonly conceptCache: (Concept | undefined)[];

  constructor(
    readonly header: IndexHeader,
    private readonly bytes: Buffer,
    /** Start of each record line, sorted by key, and one past the last line's newline. */
    private readonly recordOffsets: Uint32Array,
    private readonly conceptOffsets: Uint32Array,
  ) {
    this.conceptCache = new Array<Concept | undefined>(header.concepts);
  }

  /** Name keys in the index. */
  get size(): number {
    return this.recordOffsets.length - 1;
  }

  get conceptCount(): number {
    return this.conceptCache.length;
  }

  concept(i: number): Concept {
    let c = this.conceptCache[i];
    if (!c) {
      const [id, preferred, fullName, entrez, group] = this.bytes
        .toString('utf8', this.conceptOffsets[i], this.conceptOffsets[i + 1] - 1)
        .split('\t');
      c = { id, preferred, fullName: fullName || undefined, entrez: entrez || undefined, group: group || undefined };
      this.conceptCache[i] = c;
    }
    return c;
  }

  /** Every record (decodes them all: evaluation and tests, not the hot path). */
  concepts(): Concept[] {
    return Array.from({ length: this.conceptCount }, (_, i) => this.concept(i));
  }

  lookup(key: string): NameEntry | undefined {
    if (key === '') return undefined;
    let lo = 0;
    let hi = this.recordOffsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareAt(mid, key);
      if (c === 0) return this.record(mid).entry;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }

  /**
   * Keys that start with `prefix`, in key order, at most `limit` (fuzzy matching looks among them). Sorted storage makes
   * this a binary search and a short scan.
   */
  keysWithPrefix(prefix: string, limit: number, accept?: (length: number, lastCharCode: number) => boolean): string[] {
    let lo = 0;
    let hi = this.recordOffsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareAt(mid, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    const end = Math.min(this.recordOffsets.length - 1, lo + limit);
    for (let i = lo; i < end; i++) {
      if (this.compareAt(i, prefix) < 0 || !this.startsWith(i, prefix)) break;
      const start = this.recordOffsets[i];
      const tab = this.bytes.indexOf(9, start);
      // The filter sees length and last letter from the bytes, so most keys are never made into strings.
      if (accept && !accept(tab - start, this.bytes[tab - 1])) continue;
      out.push(this.bytes.toString('latin1', start, tab));
    }
    return out;
  }

  private startsWith(i: number, prefix: string): boolean {
    const at = this.recordOffsets[i];
    for (let j = 0; j < prefix.length; j++) if (this.bytes[at + j] !== prefix.charCodeAt(j)) return false;
    return true;
  }

  /** Record i's key against `key`, byte by byte in the buffer (keys are ASCII a-z0-9, sorted so): no string made. */
  private compareAt(i: number, key: string): number {
    const bytes = this.bytes;
    let at = this.recordOffsets[i];
    for (let j = 0; ; j++, at++) {
      const b = bytes[at] === 9 ? -1 : bytes[at];
      const k = j < key.length ? key.charCodeAt(j) : -1;
      if (b !== k) return b - k;
      if (b === -1) return 0;
    }
  }

  private record(i: number): { key: string; entry: NameEntry } {
    let found = this.decoded.get(i);
    if (!found) {
      const [key, name, refs] = this.bytes.toString('utf8', this.recordOffsets[i], this.recordOffsets[i + 1] - 1).split('\t');
      const entry = {
        name,
        refs: refs.split(',').map((r): NameRef => ({ concept: Number(r.slice(0, -1)), source: SOURCE_OF[r.slice(-1)] })),
      };
      found = { key, entry };
      // Bounded: a long-running worker links many documents; decoded records are only a shortcut.
      if (this.decoded.size > 100_000) this.decoded.clear();
      this.decoded.set(i, found);
    }
    return found;
  }
}

export interface IndexContent {
  header: Omit<IndexHeader, 'format' | 'formatVersion' | 'keyVersion' | 'concepts' | 'names'>;
  concepts: Concept[];
  /** key -> entry; several names with one key keep the first spelling and all refs. */
  names: Map<string, NameEntry>;
}

const clean = (s: string | undefined): string => (s ?? '').replace(/[\t\r\n]/g, ' ');

/**
 * The index as text (gzip it for the bundle): a JSON header line, one line per record ("id, preferred, full name, NCBI
 * Gene id, locus group"), then one line per name key sorted by key ("key, vocabulary spelling, refs"). Deterministic.
 */
export function serializeIndex(content: IndexContent): Buffer {
  const header: IndexHeader = {
    format: INDEX_FORMAT,
    formatVersion: INDEX_FORMAT_VERSION,
    keyVersion: KEY_VERSION,
    ...content.header,
    concepts: content.concepts.length,
    names: content.names.size,
  };
  const lines = [JSON.stringify(header)];
  for (const c of content.concepts) lines.push([c.id, c.preferred, c.fullName, c.entrez, c.group].map(clean).join('\t'));
  for (const key of [...content.names.keys()].sort()) {
    if (!/^[a-z0-9]+$/.test(key)) throw new Error(`name key ${JSON.stringify(key)} is not a-z0-9`);
    const e = content.names.get(key)!;
    lines.push(`${key}\t${clean(e.name)}\t${e.refs.map((r) => `${r.concept}${SOURCE_CODES[r.source]}`).join(',')}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

export class IndexFormatError extends Error {
  override readonly name = 'IndexFormatError';
}

/** Line starts of `count` lines from `from`, plus the end of the last one; native memchr scans, no strings. */
function lineStarts(bytes: Buffer, from: number, count: number, where: string): { offsets: Uint32Array; end: number } {
  const offsets = new Uint32Array(count + 1);
  let at = from;
  for (let i = 0; i < count; i++) {
    offsets[i] = at;
    const nl = bytes.indexOf(10, at);
    if (nl < 0) throw new IndexFormatError(`${where}: truncated index (${i} of ${count} lines)`);
    at = nl + 1;
  }
  offsets[count] = at;
  return { offsets, end: at };
}

/**
 * Parses an index: Brotli (the bundled `.br` files, a third smaller than gzip, which keeps every VSIX in its size
 * budget), gzip or plain bytes. Throws IndexFormatError naming the file on a format or key mismatch.
 */
export function parseIndex(data: Buffer, where: string): VocabularyIndex {
  const bytes = decompress(data, where);
  const firstBreak = bytes.indexOf(10);
  let header: IndexHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', 0, firstBreak)) as IndexHeader;
  } catch {
    throw new IndexFormatError(`${where}: not a normalization index (no JSON header); rebuild it with npm run build:normalization`);
  }
  if (header.format !== INDEX_FORMAT || header.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new IndexFormatError(
      `${where}: index format ${header.format}/${header.formatVersion}, expected ${INDEX_FORMAT}/${INDEX_FORMAT_VERSION}`,
    );
  }
  if (header.keyVersion !== KEY_VERSION) {
    throw new IndexFormatError(
      `${where}: built with name keys v${header.keyVersion}, this code uses v${KEY_VERSION}; run npm run build:normalization`,
    );
  }
  const concepts = lineStarts(bytes, firstBreak + 1, header.concepts, where);
  const records = lineStarts(bytes, concepts.end, header.names, where);
  return new VocabularyIndex(header, bytes, records.offsets, concepts.offsets);
}

export function loadIndexFile(path: string): VocabularyIndex {
  return parseIndex(readFileSync(path), path);
}

function decompress(data: Buffer, where: string): Buffer {
  if (data[0] === 0x1f && data[1] === 0x8b) return gunzipSync(data);
  if (data[0] === 0x7b) return data; // plain text starts with its JSON header
  try {
    return brotliDecompressSync(data);
  } catch {
    throw new IndexFormatError(
      `${where}: not a normalization index (neither Brotli, gzip nor text); rebuild it with npm run build:normalization`,
    );
  }
}
