// Owns reading corpus files as a stream of records, whatever their format (PubMed XML, BioC XML/JSON, PubTator, plain
// text) and whether gzipped: memory stays bounded by the largest record, never the file; bad records are reported.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { createGunzip } from 'node:zlib';
import { basename } from 'node:path';
import { XmlTokenizer, firstInvalidUtf8, type XmlToken } from './xmlTokenizer';
import { XmlRecordReader } from './xmlRecords';
import { PUBMED_RECORDS, PUBMED_ROOT, pubmedFormat } from './pubmedXml';
import { BIOC_ROOT, biocXmlFormat } from './biocXml';
import { biocJsonRecords } from './biocJson';
import { readPubtator } from './pubtator';
import { DEFAULT_LIMITS, type CorpusRecord, type ReaderLimits, type RecordLocation } from './corpusRecord';

export type CorpusFormat = 'xml' | 'bioc-json' | 'pubtator' | 'text';

const BY_EXTENSION: Record<string, CorpusFormat> = {
  '.xml': 'xml',
  '.json': 'bioc-json',
  '.pubtator': 'pubtator',
  '.txt': 'text',
  '.text': 'text',
  '.md': 'text',
};

/** The format a file name says (a trailing .gz is looked through), or undefined for files that are not corpora. */
export function corpusFormatOf(path: string): CorpusFormat | undefined {
  const name = basename(path).replace(/\.gz$/i, '');
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION[name.slice(dot).toLowerCase()];
}

export interface ReadCorpusOptions {
  /** The name records are reported under (default: the path). */
  displayName?: string;
  limits?: ReaderLimits;
  /** Id of a plain-text document (default: the file name without extension). */
  textId?: string;
  /** Called with the number of file bytes (compressed, for .gz) read so far: progress and ETA. */
  onInputBytes?: (bytes: number) => void;
  /** Format when the name does not tell (default: from the name, else plain text). */
  format?: CorpusFormat;
}

const CHUNK = 1 << 16;
// Whole-file formats (plain text, BioC JSON) read at most this much; larger is reported, not loaded.
const MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024;

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** The decompressed bytes of a file in chunks; a damaged gzip stream ends the iteration with its error. */
async function* fileBytes(path: string, onInputBytes?: (bytes: number) => void): AsyncGenerator<Buffer> {
  const raw = createReadStream(path, { highWaterMark: CHUNK });
  let read = 0;
  raw.on('data', (chunk) => {
    read += chunk.length;
    onInputBytes?.(read);
  });
  if (!isGzip(path)) {
    yield* raw as AsyncIterable<Buffer>;
    return;
  }
  const gunzip = createGunzip({ chunkSize: CHUNK });
  raw.on('error', (e) => gunzip.destroy(e));
  raw.pipe(gunzip);
  try {
    yield* gunzip as AsyncIterable<Buffer>;
  } finally {
    raw.destroy();
  }
}

/** Reads one corpus file as records. Documents with an id already seen in this file are reported as duplicates. */
export async function* readCorpusFile(path: string, options: ReadCorpusOptions = {}): AsyncGenerator<CorpusRecord> {
  const file = options.displayName ?? path;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const format = options.format ?? corpusFormatOf(path) ?? 'text';
  const seen = new Set<string>();
  const records =
    format === 'xml'
      ? xmlRecords(path, file, limits, options)
      : format === 'pubtator'
        ? pubtatorRecords(path, file, limits, options)
        : wholeFileRecords(path, file, format, limits, options);
  for await (const record of records) {
    if (record.kind === 'document') {
      const { id } = record.document;
      if (seen.has(id)) {
        yield { kind: 'skipped', reason: 'duplicate-id', message: `id ${id} appeared earlier in this file`, location: record.location };
        continue;
      }
      if (record.document.text.length > limits.maxDocumentChars) {
        yield {
          kind: 'skipped',
          reason: 'too-large',
          message: `text exceeds ${limits.maxDocumentChars} characters`,
          location: record.location,
        };
        continue;
      }
      seen.add(id);
    }
    yield record;
  }
}

/** The stream's error as a record: a truncated or corrupt gzip file ends here, and says so. */
function streamFailure(e: unknown, file: string, at: { line: number; offset: number }): CorpusRecord {
  const message = (e as Error).message;
  const truncated = /unexpected end|incorrect header|invalid|Z_BUF_ERROR|Z_DATA_ERROR/i.test(
    message + String((e as NodeJS.ErrnoException).code),
  );
  return {
    kind: 'skipped',
    reason: truncated ? 'truncated' : 'malformed',
    message: `the rest of the file cannot be read: ${message}`,
    location: { file, ...at },
  };
}

async function* xmlRecords(path: string, file: string, limits: ReaderLimits, options: ReadCorpusOptions): AsyncGenerator<CorpusRecord> {
  const tokenizer = new XmlTokenizer({ nonNesting: [...PUBMED_RECORDS, 'document'] });
  let reader: XmlRecordReader<unknown> | undefined;
  let pending: XmlToken[] = [];
  const out: CorpusRecord[] = [];
  // The root element decides the format: tokens wait until it is known.
  const feed = (tokens: XmlToken[]): void => {
    if (!reader) {
      pending.push(...tokens);
      const root = pending.find((t) => t.kind === 'open');
      if (!root || root.kind !== 'open') return;
      if (root.name === PUBMED_ROOT) reader = new XmlRecordReader(pubmedFormat(limits.maxDocumentChars), file) as XmlRecordReader<unknown>;
      else if (root.name === BIOC_ROOT)
        reader = new XmlRecordReader(biocXmlFormat(limits.maxDocumentChars), file) as XmlRecordReader<unknown>;
      else {
        throw Object.assign(new Error(`root element <${root.name}> is neither <${PUBMED_ROOT}> (PubMed) nor <${BIOC_ROOT}> (BioC)`), {
          at: root,
        });
      }
      tokens = pending;
      pending = [];
    }
    reader.push(tokens, out);
  };
  try {
    try {
      for await (const chunk of fileBytes(path, options.onInputBytes)) {
        feed(tokenizer.write(chunk));
        yield* out.splice(0);
      }
    } catch (e) {
      if ((e as { at?: unknown }).at) throw e;
      feed([]);
      yield* out.splice(0);
      yield streamFailure(e, file, tokenizer.position);
    }
    feed(tokenizer.end());
    yield* out.splice(0);
    if (!reader) yield { kind: 'skipped', reason: 'malformed', message: 'no root element', location: { file, line: 1, offset: 0 } };
  } catch (e) {
    const at = (e as { at?: { line: number; offset: number } }).at;
    if (!at) throw e;
    yield { kind: 'skipped', reason: 'malformed', message: (e as Error).message, location: { file, line: at.line, offset: at.offset } };
  }
}

/** PubTator: documents are blocks of lines ("PMID|t|", "PMID|a|", mentions) separated by blank lines. */
async function* pubtatorRecords(
  path: string,
  file: string,
  limits: ReaderLimits,
  options: ReadCorpusOptions,
): AsyncGenerator<CorpusRecord> {
  let block: string[] = [];
  let blockAt: RecordLocation | undefined;
  let blockChars = 0;
  let blockProblem: { reason: 'invalid-utf8' | 'too-large'; message: string } | undefined;
  let line = 1;
  let offset = 0;
  let rest = Buffer.alloc(0);
  let restOversized = false;
  const maxLineBytes = limits.maxDocumentChars * 4 + 1024;

  const flush = (): CorpusRecord[] => {
    if (!blockAt) return [];
    const at = blockAt;
    const lines = block;
    const problem = blockProblem;
    block = [];
    blockAt = undefined;
    blockChars = 0;
    blockProblem = undefined;
    if (problem) return [{ kind: 'skipped', ...problem, location: at }];
    try {
      return readPubtator(lines.join('\n')).map((document) => ({ kind: 'document', document, location: { ...at, id: document.id } }));
    } catch (e) {
      return [{ kind: 'skipped', reason: 'malformed', message: (e as Error).message, location: at }];
    }
  };
  const take = (bytes: Buffer, oversized: boolean): CorpusRecord[] => {
    const at = { file, line, offset };
    line++;
    offset += bytes.length + 1;
    if (oversized) {
      blockAt ??= at;
      blockProblem ??= { reason: 'too-large', message: `a line exceeds ${maxLineBytes} bytes` };
      return [];
    }
    if (!isUtf8(bytes)) {
      blockAt ??= at;
      blockProblem ??= { reason: 'invalid-utf8', message: `invalid UTF-8 at byte ${at.offset + firstInvalidUtf8(bytes)}` };
      return [];
    }
    const text = bytes.toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') return flush();
    const id = /^([^|\t]+)[|\t]/.exec(text)?.[1];
    const out = blockAt && id && /^[^|\t]+\|t\|/.test(text) && block.length > 0 ? flush() : [];
    blockAt ??= { ...at, ...(id ? { id } : {}) };
    blockChars += text.length;
    if (blockChars > limits.maxDocumentChars)
      blockProblem ??= { reason: 'too-large', message: `text exceeds ${limits.maxDocumentChars} characters` };
    else block.push(text);
    return out;
  };
  try {
    for await (const chunk of fileBytes(path, options.onInputBytes)) {
      let data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      let nl = data.indexOf(0x0a);
      while (nl >= 0) {
        yield* take(data.subarray(0, nl), restOversized);
        restOversized = false;
        data = data.subarray(nl + 1);
        nl = data.indexOf(0x0a);
      }
      if (data.length > maxLineBytes) {
        // Keep counting the line but not its bytes.
        restOversized = true;
        offset += data.length;
        rest = Buffer.alloc(0);
      } else rest = Buffer.from(data);
    }
  } catch (e) {
    yield* flush();
    yield streamFailure(e, file, { line, offset });
    return;
  }
  if (rest.length > 0 || restOversized) yield* take(rest, restOversized);
  yield* flush();
}

/** Plain text (one document per file) and BioC JSON: read whole, up to a limit. */
async function* wholeFileRecords(
  path: string,
  file: string,
  format: 'text' | 'bioc-json',
  limits: ReaderLimits,
  options: ReadCorpusOptions,
): AsyncGenerator<CorpusRecord> {
  const at: RecordLocation = { file, line: 1, offset: 0 };
  const chunks: Buffer[] = [];
  let size = 0;
  const cap = format === 'text' ? limits.maxDocumentChars * 4 : MAX_WHOLE_FILE_BYTES;
  try {
    for await (const chunk of fileBytes(path, options.onInputBytes)) {
      size += chunk.length;
      if (size > cap) {
        yield { kind: 'skipped', reason: 'too-large', message: `the file exceeds ${cap} bytes`, location: at };
        return;
      }
      chunks.push(chunk);
    }
  } catch (e) {
    yield streamFailure(e, file, { line: 1, offset: size });
    return;
  }
  const bytes = Buffer.concat(chunks);
  if (!isUtf8(bytes)) {
    const bad = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, bad).toString('latin1').split('\n').length;
    yield { kind: 'skipped', reason: 'invalid-utf8', message: `invalid UTF-8 at byte ${bad}`, location: { file, line, offset: bad } };
    return;
  }
  const text = bytes.toString('utf8');
  if (format === 'bioc-json') {
    yield* biocJsonRecords(text, file, limits.maxDocumentChars);
    return;
  }
  const id =
    options.textId ??
    basename(path)
      .replace(/(\.gz)?$/i, '')
      .replace(/\.[^.]+$/, '');
  yield { kind: 'document', document: { id, text, entities: [] }, location: { ...at, id } };
}
