// Owns the bytes of shard outputs: one document per line (or block) in each format, a streamed file that appears
// only complete (temp file in the same folder, then rename), and the layout the merge step relies on.
import { createWriteStream, fsyncSync, openSync, closeSync, renameSync, unlinkSync, type WriteStream } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import type { AnnotatedDocument } from '../formats/document';
import { writePubtator } from '../formats/pubtator';
import { writeBiocJson } from '../formats/bioc';
import { documentXml } from '../formats/biocXml';
import { tempPathFor } from '../io/atomicWrite';

export const SHARD_FORMATS = ['json', 'pubtator', 'bioc', 'bioc-xml'] as const;
export type ShardFormat = (typeof SHARD_FORMATS)[number];

export const SHARD_EXTENSION: Record<ShardFormat, string> = {
  json: 'jsonl',
  pubtator: 'pubtator',
  bioc: 'bioc.json',
  'bioc-xml': 'bioc.xml',
};

/** The JSON-lines record of `biom annotate --format json` (one home, so shards and one-process runs agree). */
export function jsonLine(doc: AnnotatedDocument): string {
  return JSON.stringify({ id: doc.id, entities: doc.entities, relations: doc.relations ?? [] }) + '\n';
}

/**
 * Header, per-document and footer text of a collection in `format`. Every BioC document is one line, so a merge can
 * stream shards line by line; PubTator documents are separated by a blank line, as writePubtator writes them.
 */
export interface CollectionLayout {
  header: string;
  document(doc: AnnotatedDocument, first: boolean): string;
  footer: string;
  /** Whether a line of a shard output is a document (BioC) — the rest is header/footer. */
  isDocumentLine?: (line: string) => boolean;
}

export function collectionLayout(format: ShardFormat, date: string): CollectionLayout {
  switch (format) {
    case 'json':
      return { header: '', document: (doc) => jsonLine(doc), footer: '' };
    case 'pubtator':
      return { header: '', document: (doc, first) => (first ? '' : '\n') + writePubtator([doc]), footer: '' };
    case 'bioc':
      return {
        header: `{"source":"BioM Annotator","date":${JSON.stringify(date)},"key":"biom-annotator.key","infons":{},"documents":[\n`,
        document: (doc, first) =>
          (first ? '' : ',\n') + JSON.stringify((JSON.parse(writeBiocJson([doc])) as { documents: unknown[] }).documents[0]),
        footer: '\n]}\n',
        isDocumentLine: (line) => line.startsWith('{"id"'),
      };
    case 'bioc-xml':
      return {
        header:
          '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE collection SYSTEM "BioC.dtd">\n' +
          `<collection><source>BioM Annotator</source><date>${date}</date><key>biom-annotator.key</key>\n`,
        document: (doc) => documentXml(doc) + '\n',
        footer: '</collection>\n',
        isDocumentLine: (line) => line.startsWith('<document>'),
      };
  }
}

/** A file written as a stream that appears at `target` only on commit; abort (or a crash) leaves only a temp file. */
export class StreamedFile {
  private readonly temp: string;
  private readonly stream: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private failure: Error | undefined;

  constructor(readonly target: string) {
    this.temp = tempPathFor(target);
    this.stream = createWriteStream(this.temp, { flags: 'wx' });
    this.stream.on('error', (e) => (this.failure = e));
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (text === '') return;
    const data = Buffer.from(text, 'utf8');
    this.hash.update(data);
    this.bytes += data.length;
    if (!this.stream.write(data))
      await new Promise<void>((resolve, reject) => {
        this.stream.once('drain', resolve);
        this.stream.once('error', reject);
      });
  }

  /** Flushes, syncs and renames into place (replacing an older output of the same shard). */
  async commit(): Promise<{ bytes: number; sha256: string }> {
    await new Promise<void>((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (this.failure) throw this.failure;
    const fd = openSync(this.temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(this.temp, this.target);
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  abort(): void {
    this.stream.destroy();
    try {
      unlinkSync(this.temp);
    } catch {
      // never created or already gone
    }
  }
}
