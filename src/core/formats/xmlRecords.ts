// Owns turning a token stream into records for XML corpora: the element path, which element is a record, and which
// errors belong to which record (a record with any error is skipped whole; an error between records is its own entry).
import type { XmlPosition, XmlProblem, XmlToken } from './xmlTokenizer';
import type { CorpusRecord, SkipReason } from './corpusRecord';

export interface RecordErrors {
  reason: SkipReason;
  message: string;
  count: number;
}

/** Per-format part: what a record element is and how its content is gathered. */
export interface XmlRecordFormat<Draft> {
  /** Record elements (PubmedArticle, DeleteCitation, document). */
  readonly recordElements: readonly string[];
  begin(name: string, attributes: Record<string, string>): Draft;
  /** `rel` is the element path inside the record (the record element itself excluded). */
  open(draft: Draft, rel: readonly string[], attributes: Record<string, string>): void;
  text(draft: Draft, rel: readonly string[], text: string): void;
  close(draft: Draft, rel: readonly string[]): void;
  /** The record's id so far (for error locations). */
  idOf(draft: Draft): string | undefined;
  finish(draft: Draft, location: { line: number; offset: number; id?: string }): CorpusRecord;
}

export function reasonFor(problem: XmlProblem): SkipReason {
  return problem === 'encoding' ? 'invalid-utf8' : problem === 'eof' ? 'truncated' : 'malformed';
}

/** Feeds tokens to a format and collects the finished records. */
export class XmlRecordReader<Draft> {
  private readonly path: string[] = [];
  private current: { draft: Draft; depth: number; start: XmlPosition; errors?: RecordErrors } | undefined;

  constructor(
    private readonly format: XmlRecordFormat<Draft>,
    private readonly file: string,
  ) {}

  push(tokens: readonly XmlToken[], out: CorpusRecord[]): void {
    for (const token of tokens) {
      const current = this.current;
      switch (token.kind) {
        case 'open':
          this.path.push(token.name);
          if (current) this.format.open(current.draft, this.path.slice(current.depth + 1), token.attributes);
          else if (this.format.recordElements.includes(token.name)) {
            this.current = { draft: this.format.begin(token.name, token.attributes), depth: this.path.length - 1, start: token };
          }
          break;
        case 'close':
          if (current) {
            if (this.path.length - 1 === current.depth) {
              out.push(this.finish(current));
              this.current = undefined;
            } else this.format.close(current.draft, this.path.slice(current.depth + 1));
          }
          this.path.pop();
          break;
        case 'text':
          if (current) this.format.text(current.draft, this.path.slice(current.depth + 1), token.text);
          break;
        case 'error': {
          const reason = reasonFor(token.problem);
          if (current) {
            current.errors ??= { reason, message: `${token.message} (line ${token.line})`, count: 0 };
            current.errors.count++;
          } else {
            out.push({
              kind: 'skipped',
              reason,
              message: token.message,
              location: { file: this.file, line: token.line, offset: token.offset },
            });
          }
          break;
        }
      }
    }
  }

  private finish(current: { draft: Draft; start: XmlPosition; errors?: RecordErrors }): CorpusRecord {
    const id = this.format.idOf(current.draft);
    const location = { file: this.file, line: current.start.line, offset: current.start.offset, ...(id ? { id } : {}) };
    const errors = current.errors;
    if (errors) {
      const more = errors.count > 1 ? ` (and ${errors.count - 1} more)` : '';
      return { kind: 'skipped', reason: errors.reason, message: errors.message + more, location };
    }
    const record = this.format.finish(current.draft, location);
    return record;
  }
}

export function startsWith(rel: readonly string[], prefix: readonly string[]): boolean {
  if (rel.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (rel[i] !== prefix[i]) return false;
  return true;
}

export function equals(rel: readonly string[], path: readonly string[]): boolean {
  return rel.length === path.length && startsWith(rel, path);
}
