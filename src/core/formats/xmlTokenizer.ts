// Owns streaming XML tokenization for the corpus readers: bytes in, tags and decoded text out, with byte offsets and
// line numbers, bounded memory, and recovery (an error token, then on to the next tag) instead of giving up on a file.
import { isUtf8 } from 'node:buffer';

export interface XmlPosition {
  /** Byte offset in the (decompressed) stream. */
  offset: number;
  /** 1-based line number. */
  line: number;
}

export type XmlToken =
  | ({ kind: 'open'; name: string; attributes: Record<string, string>; selfClosing: boolean } & XmlPosition)
  | ({ kind: 'close'; name: string } & XmlPosition)
  | ({ kind: 'text'; text: string } & XmlPosition)
  | ({ kind: 'error'; problem: XmlProblem; message: string } & XmlPosition);

/** syntax: not well-formed; encoding: bytes that are not UTF-8; eof: the input ends inside an element or markup. */
export type XmlProblem = 'syntax' | 'encoding' | 'eof';

export interface XmlTokenizerOptions {
  /**
   * Elements that never nest (corpus records such as PubmedArticle): opening one while another is open means the
   * earlier one was never closed, so it is closed there with an error instead of swallowing every later record.
   */
  nonNesting?: readonly string[];
  /** A tag, comment or CDATA section longer than this is an error (it would otherwise be buffered whole). */
  maxMarkupBytes?: number;
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SEMI = 0x3b;
const NEWLINE = 0x0a;
const NAME = /^[\p{L}_:][\p{L}\p{N}_:.\-]*$/u;
const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/gy;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decodes the five predefined entities and numeric character references (`&#945;`, `&#x3B1;`). A reference that is
 * not one of those is reported through `onError` and left as written, so no text is lost.
 */
export function decodeEntities(text: string, onError?: (message: string) => void): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&\s<]{0,32})(;?)/g, (whole, body: string, semi: string) => {
    if (semi === ';') {
      if (body.startsWith('#')) {
        const hex = body[1] === 'x' || body[1] === 'X';
        const digits = body.slice(hex ? 2 : 1);
        const code = digits !== '' && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits) ? parseInt(digits, hex ? 16 : 10) : NaN;
        if (code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) return String.fromCodePoint(code);
      } else if (Object.hasOwn(PREDEFINED, body)) return PREDEFINED[body];
    }
    onError?.(`bad character reference ${JSON.stringify(whole)}`);
    return whole;
  });
}

/**
 * Push-style tokenizer: `write` a chunk of bytes, get the tokens completed so far; `end` flushes and reports what was
 * left open. Text arrives in pieces (a long text node is never held whole here). Close tokens are balanced: a
 * mismatched or missing end tag is reported as an error and the open elements are closed, so consumers can keep a
 * simple element stack.
 */
export class XmlTokenizer {
  private buf: Buffer = Buffer.alloc(0);
  /** Absolute byte offset of buf[0]. */
  private base = 0;
  private line = 1;
  private readonly stack: string[] = [];
  private readonly nonNesting: Set<string>;
  private readonly maxMarkup: number;

  constructor(options: XmlTokenizerOptions = {}) {
    this.nonNesting = new Set(options.nonNesting ?? []);
    this.maxMarkup = options.maxMarkupBytes ?? 1 << 20;
  }

  get position(): XmlPosition {
    return { offset: this.base, line: this.line };
  }

  /** Names of the open elements, outermost first. */
  get openElements(): readonly string[] {
    return this.stack;
  }

  write(chunk: Uint8Array): XmlToken[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.buf, chunk]);
    return this.scan(false);
  }

  end(): XmlToken[] {
    const tokens = this.scan(true);
    if (this.stack.length > 0) {
      tokens.push({
        kind: 'error',
        problem: 'eof',
        message: `input ends inside <${this.stack[this.stack.length - 1]}> (truncated file?)`,
        ...this.position,
      });
      while (this.stack.length > 0) tokens.push({ kind: 'close', name: this.stack.pop()!, ...this.position });
    }
    return tokens;
  }

  private consume(to: number): void {
    // Search only the consumed bytes: searching on to the next newline would rescan a long line once per token.
    const consumed = this.buf.subarray(0, to);
    for (let i = consumed.indexOf(NEWLINE); i >= 0; i = consumed.indexOf(NEWLINE, i + 1)) this.line++;
    this.base += to;
    this.buf = this.buf.subarray(to);
  }

  private decode(from: number, to: number, at: XmlPosition, tokens: XmlToken[]): string {
    const bytes = this.buf.subarray(from, to);
    if (!isUtf8(bytes))
      tokens.push({
        kind: 'error',
        problem: 'encoding',
        message: `invalid UTF-8 at byte ${at.offset + from + firstInvalidUtf8(bytes)}`,
        ...at,
      });
    return bytes.toString('utf8');
  }

  private scan(ending: boolean): XmlToken[] {
    const tokens: XmlToken[] = [];
    for (;;) {
      const buf = this.buf;
      if (buf.length === 0) return tokens;
      const at = this.position;
      if (buf[0] !== LT) {
        let end = buf.indexOf(LT);
        if (end < 0) {
          if (!ending) end = safeTextEnd(buf);
          else end = buf.length;
          if (end === 0) return tokens;
        }
        this.text(this.decode(0, end, at, tokens), at, tokens);
        this.consume(end);
        continue;
      }
      const markupEnd = this.markupEnd(buf);
      if (markupEnd < 0) {
        if (!ending && buf.length < this.maxMarkup) return tokens;
        tokens.push(
          ending
            ? { kind: 'error', problem: 'eof', message: 'input ends inside markup (truncated file?)', ...at }
            : { kind: 'error', problem: 'syntax', message: 'markup too long or never closed', ...at },
        );
        this.consume(1);
        continue;
      }
      this.markup(markupEnd, at, tokens);
      this.consume(markupEnd);
    }
  }

  /** End (exclusive) of the markup starting at buf[0] === '<', or -1 when not all of it is here yet. */
  private markupEnd(buf: Buffer): number {
    const starts = (s: string): boolean => buf.length >= s.length && buf.toString('latin1', 0, s.length) === s;
    const after = (s: string, from: number): number => {
      const i = buf.indexOf(s, from, 'latin1');
      return i < 0 ? -1 : i + s.length;
    };
    if (buf.length < 9 && !buf.includes(GT)) return -1;
    if (starts('<!--')) return after('-->', 4);
    if (starts('<![CDATA[')) return after(']]>', 9);
    if (starts('<?')) return after('?>', 2);
    if (starts('<!')) {
      // DOCTYPE, possibly with an internal subset in brackets.
      const gt = buf.indexOf(GT);
      const bracket = buf.indexOf(0x5b);
      if (bracket >= 0 && (gt < 0 || bracket < gt)) {
        const close = buf.indexOf(0x5d, bracket);
        return close < 0 ? -1 : after('>', close);
      }
      return gt < 0 ? -1 : gt + 1;
    }
    // A tag: '>' inside a quoted attribute value does not end it.
    let quote = 0;
    for (let i = 1; i < buf.length; i++) {
      const c = buf[i];
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === GT) return i + 1;
      else if (c === LT) return i; // a stray '<': the tag is malformed; markup() reports it
    }
    return -1;
  }

  private markup(end: number, at: XmlPosition, tokens: XmlToken[]): void {
    const buf = this.buf;
    const head = buf.toString('latin1', 0, Math.min(end, 9));
    if (head.startsWith('<!--') || head.startsWith('<?') || (head.startsWith('<!') && !head.startsWith('<![CDATA['))) return;
    if (head.startsWith('<![CDATA[')) {
      this.text(this.decode(9, end - 3, at, tokens), at, tokens, false);
      return;
    }
    if (buf[end - 1] !== GT) {
      tokens.push({
        kind: 'error',
        problem: 'syntax',
        message: `malformed tag ${JSON.stringify(buf.toString('utf8', 0, Math.min(end, 40)))}`,
        ...at,
      });
      return;
    }
    const raw = this.decode(1, end - 1, at, tokens);
    if (raw.startsWith('/')) {
      this.close(raw.slice(1).trim(), at, tokens);
      return;
    }
    const selfClosing = raw.endsWith('/');
    const body = selfClosing ? raw.slice(0, -1) : raw;
    const nameEnd = body.search(/\s|$/);
    const name = body.slice(0, nameEnd);
    if (!NAME.test(name)) {
      tokens.push({ kind: 'error', problem: 'syntax', message: `malformed tag <${raw.slice(0, 40)}>`, ...at });
      return;
    }
    const attributes: Record<string, string> = {};
    const rest = body.slice(nameEnd).trim();
    ATTRIBUTE.lastIndex = 0;
    let consumed = 0;
    for (let m = ATTRIBUTE.exec(rest); m; m = ATTRIBUTE.exec(rest)) {
      attributes[m[1]] = decodeEntities(m[2] ?? m[3], (message) => tokens.push({ kind: 'error', problem: 'syntax', message, ...at }));
      consumed = ATTRIBUTE.lastIndex;
      while (consumed < rest.length && /\s/.test(rest[consumed])) consumed++;
      ATTRIBUTE.lastIndex = consumed;
    }
    if (consumed < rest.length) tokens.push({ kind: 'error', problem: 'syntax', message: `malformed attributes in <${name}>`, ...at });
    if (this.nonNesting.has(name) && this.stack.includes(name)) {
      tokens.push({ kind: 'error', problem: 'syntax', message: `<${name}> opened before the previous one was closed`, ...at });
      this.close(name, at, tokens, true);
    }
    tokens.push({ kind: 'open', name, attributes, selfClosing, ...at });
    if (selfClosing) tokens.push({ kind: 'close', name, ...at });
    else this.stack.push(name);
  }

  private close(name: string, at: XmlPosition, tokens: XmlToken[], quiet = false): void {
    const i = this.stack.lastIndexOf(name);
    if (i < 0) {
      tokens.push({ kind: 'error', problem: 'syntax', message: `</${name}> without a matching start tag`, ...at });
      return;
    }
    if (i !== this.stack.length - 1 && !quiet) {
      tokens.push({
        kind: 'error',
        problem: 'syntax',
        message: `</${name}> closes <${this.stack[this.stack.length - 1]}>, which is still open`,
        ...at,
      });
    }
    while (this.stack.length > i) tokens.push({ kind: 'close', name: this.stack.pop()!, ...at });
  }

  private text(text: string, at: XmlPosition, tokens: XmlToken[], decode = true): void {
    if (this.stack.length === 0) {
      if (text.trim() !== '') tokens.push({ kind: 'error', problem: 'syntax', message: 'text outside the root element', ...at });
      return;
    }
    const decoded = decode ? decodeEntities(text, (message) => tokens.push({ kind: 'error', problem: 'syntax', message, ...at })) : text;
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'text') last.text += decoded;
    else tokens.push({ kind: 'text', text: decoded, ...at });
  }
}

/**
 * Where a text piece without a following '<' may be cut: not inside a character reference and not inside a UTF-8
 * sequence (both are completed by the next chunk).
 */
function safeTextEnd(buf: Buffer): number {
  let end = buf.length;
  const amp = buf.lastIndexOf(AMP);
  if (amp >= 0 && amp > end - 40 && buf.indexOf(SEMI, amp) < 0) end = amp;
  // Back up over an incomplete multi-byte sequence at the end.
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const c = buf[i];
    if (c < 0x80) break;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      if (end - i < need) end = i;
      break;
    }
  }
  return end;
}

/** Index of the first byte that does not start a valid UTF-8 sequence (for the error message). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i];
    const need = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (need === 0 || i + need > bytes.length) return i;
    for (let k = 1; k < need; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    if (!isUtf8(bytes.subarray(i, i + need))) return i;
    i += need;
  }
  return bytes.length;
}
