// Owns the conversion between Unicode code-point offsets (tokenizers, Python) and UTF-16 offsets (JS, VS Code).

/**
 * Maps code-point offsets of one string to UTF-16 offsets. Built once per text in O(n); lookups are O(1).
 * Lone surrogates count as one code point, as they do in the Rust tokenizers (which see U+FFFD).
 */
export class OffsetMap {
  private readonly utf16ByCodePoint: Uint32Array | undefined;
  readonly codePointLength: number;

  constructor(readonly text: string) {
    let astral = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          astral++;
          i++;
        }
      }
    }
    this.codePointLength = text.length - astral;
    if (astral === 0) {
      this.utf16ByCodePoint = undefined;
      return;
    }
    const map = new Uint32Array(this.codePointLength + 1);
    let cp = 0;
    for (let i = 0; i < text.length; i++) {
      map[cp++] = i;
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
    }
    map[cp] = text.length;
    this.utf16ByCodePoint = map;
  }

  /** UTF-16 index of a code-point index (0..codePointLength). */
  toUtf16(codePoint: number): number {
    if (codePoint < 0 || codePoint > this.codePointLength) {
      throw new RangeError(`code-point offset ${codePoint} outside 0..${this.codePointLength}`);
    }
    return this.utf16ByCodePoint ? this.utf16ByCodePoint[codePoint] : codePoint;
  }

  /** Code-point index of a UTF-16 index; an index inside a surrogate pair maps to the pair's code point. */
  toCodePoint(utf16: number): number {
    const map = this.utf16ByCodePoint;
    if (!map) return utf16;
    let lo = 0;
    let hi = this.codePointLength;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (map[mid] <= utf16) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
