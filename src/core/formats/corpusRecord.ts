// Owns what every corpus reader yields: documents, skipped records with their reason and location, and deletions.
import type { AnnotatedDocument } from './document';

/** Why a record was not annotated; the manifest counts them by these names. */
export type SkipReason =
  | 'malformed' // malformed XML, JSON or PubTator
  | 'invalid-utf8'
  | 'truncated' // the file (or its gzip stream) ends inside the record
  | 'no-id'
  | 'no-abstract'
  | 'duplicate-id'
  | 'too-large';

export const SKIP_REASONS: readonly SkipReason[] = [
  'malformed',
  'invalid-utf8',
  'truncated',
  'no-id',
  'no-abstract',
  'duplicate-id',
  'too-large',
];

/** Where a record starts: file, 1-based line and byte offset in the decompressed stream, and its id when known. */
export interface RecordLocation {
  file: string;
  line: number;
  offset: number;
  id?: string;
}

export type CorpusRecord =
  | { kind: 'document'; document: AnnotatedDocument; location: RecordLocation }
  | { kind: 'skipped'; reason: SkipReason; message: string; location: RecordLocation }
  /** PubMed update files list citations to delete (`DeleteCitation`). */
  | { kind: 'deleted'; ids: string[]; location: RecordLocation };

export interface ReaderLimits {
  /** A document whose text is longer than this (UTF-16 units) is skipped as too large. */
  maxDocumentChars: number;
}

/** Real PubMed abstracts stay under ~20,000 characters; 1,000,000 leaves room for full texts in BioC. */
export const DEFAULT_LIMITS: ReaderLimits = { maxDocumentChars: 1_000_000 };

/** One-line description of a skipped record, as the CLI reports it. */
export function describeSkip(record: Extract<CorpusRecord, { kind: 'skipped' }>): string {
  const { file, line, offset, id } = record.location;
  return `${file}:${line} (byte ${offset}${id ? `, id ${id}` : ''}): skipped, ${record.reason}: ${record.message}`;
}
