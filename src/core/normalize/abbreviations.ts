// Owns abbreviation definitions inside one document (Schwartz & Hearst 2003): "dextromethorphan (DM)" -> DM = dextromethorphan.

export interface Abbreviation {
  short: string;
  long: string;
  /** UTF-16 offsets of the long form in the text. */
  longStart: number;
  longEnd: number;
}

const MAX_SHORT_CHARS = 12;
/** Parentheses longer than this are never an abbreviation; bounds the work per "(" on hostile text. */
const MAX_PAREN_CHARS = 60;

const ALNUM = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;
const STARTS_ALNUM = /^[\p{L}\p{N}]/u;
const ONE_CAPITAL = /^\p{Lu}$/u;

/** A plausible short form: up to two words, starts with a letter or digit, holds a letter, not longer than 12. */
function isShortForm(s: string): boolean {
  // One capital letter ("progesterone (P)") is a short form too; two characters and more by the original rules.
  if (ONE_CAPITAL.test(s)) return true;
  if (s.length < 2 || s.length > MAX_SHORT_CHARS) return false;
  if (!STARTS_ALNUM.test(s) || !LETTER.test(s)) return false;
  if (s.split(/\s+/).length > 2) return false;
  return true;
}

/**
 * The shortest tail of `candidate` that spells `short`: each letter/digit of the short form, right to left, is found
 * in the long form right to left, and the first one must start a word (Schwartz & Hearst's findBestLongForm).
 * Returns the index in `candidate` where the long form starts, or -1.
 */
export function bestLongFormStart(short: string, candidate: string): number {
  const s = short.toLowerCase();
  const l = candidate.toLowerCase();
  let si = s.length - 1;
  let li = l.length - 1;
  for (; si >= 0; si--) {
    const c = s[si];
    if (!ALNUM.test(c)) continue;
    while (li >= 0 && (l[li] !== c || (si === 0 && li > 0 && ALNUM.test(l[li - 1])))) li--;
    if (li < 0) return -1;
    li--;
  }
  return li + 1;
}

/**
 * Where the long form starts when the short form's letters are the initials of the words before it ("combined oral
 * contraceptives (COCs)", "N-methyl-D-aspartate (NMDA)" counts hyphen parts as words); this beats the shortest
 * spelling match, which would take "contraceptives" alone. undefined when the initials do not line up.
 */
export function initialsLongFormStart(short: string, candidate: string): number | undefined {
  const letters = short
    .replace(/s$/, '')
    .replace(/[^\p{L}]/gu, '')
    .toLowerCase();
  if (letters.length < 2) return undefined;
  const parts = [...candidate.matchAll(/[\p{L}\p{N}]+/gu)];
  if (parts.length < letters.length) return undefined;
  const tail = parts.slice(-letters.length);
  if (tail.every((p, i) => p[0][0].toLowerCase() === letters[i])) return tail[0].index;
  return undefined;
}

/** Every "long form (SF)" and "SF (long form)" definition in `text`, in order; the first definition of a short form wins. */
export function findAbbreviations(text: string): Abbreviation[] {
  const found: Abbreviation[] = [];
  const seen = new Set<string>();
  let close = -1;
  for (let open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
    // The next ")" is searched once per ")" passed, not once per "(": linear on text full of parentheses.
    if (close <= open) close = text.indexOf(')', open + 1);
    if (close < 0) break;
    if (close - open - 1 > MAX_PAREN_CHARS) continue;
    // "(DM; 10 mg/kg)" and "(DM, ...)" define DM.
    const inner = text
      .slice(open + 1, close)
      .split(/[;,]\s/)[0]
      .trim();
    if (inner === '' || inner.includes('(')) continue;
    const shortInside = isShortForm(inner);
    // "SF (long form)" needs a long form of several characters inside; anything else is an ordinary parenthesis.
    if (!shortInside && inner.length < 4) continue;
    const before = text.slice(Math.max(0, open - 300), open);
    // The long form stays inside its sentence and clause.
    const clauseStart = Math.max(before.lastIndexOf('. '), before.lastIndexOf('; '), before.lastIndexOf(': ')) + 1;
    const clause = before.slice(clauseStart).replace(/\s+$/, '');
    const clauseOffset = open - before.length + clauseStart;
    let definition: Abbreviation | undefined;
    if (shortInside) {
      const wordsInClause = clause.split(/\s+/).filter(Boolean);
      const maxWords = Math.min(inner.length + 5, inner.length * 2);
      const candidate = wordsInClause.slice(-maxWords).join(' ');
      // Re-find the candidate in the clause to keep offsets exact (whitespace may differ).
      const candidateStart = clause.length - tailLength(clause, Math.min(maxWords, wordsInClause.length));
      const rel = initialsLongFormStart(inner, candidate) ?? bestLongFormStart(inner, candidate);
      if (rel >= 0) {
        const longStart = clauseOffset + candidateStart + offsetInClause(clause.slice(candidateStart), rel);
        const long = text.slice(longStart, clauseOffset + clause.length).trim();
        if (long.length > inner.length && !long.toLowerCase().split(/\W+/).includes(inner.toLowerCase())) {
          definition = { short: inner, long, longStart, longEnd: longStart + long.length };
        }
      }
    } else {
      // "SF (long form)": the word before the parenthesis is the short form.
      const m = /([\p{L}\p{N}][\p{L}\p{N}\-]{1,11})$/u.exec(clause);
      if (m && isShortForm(m[1]) && /\p{Lu}/u.test(m[1]) && inner.length > m[1].length && bestLongFormStart(m[1], inner) === 0) {
        const longStart = open + 1 + text.slice(open + 1, close).indexOf(inner);
        definition = { short: m[1], long: inner, longStart, longEnd: longStart + inner.length };
      }
    }
    if (definition && !seen.has(definition.short)) {
      seen.add(definition.short);
      found.push(definition);
    }
  }
  return found;
}

/** Characters taken by the last `n` whitespace-separated words of `s`. */
function tailLength(s: string, n: number): number {
  let i = s.length;
  for (let k = 0; k < n; k++) {
    while (i > 0 && /\s/.test(s[i - 1])) i--;
    while (i > 0 && !/\s/.test(s[i - 1])) i--;
  }
  return s.length - i;
}

/** Maps an index in the single-spaced candidate back to `segment`, which may have other whitespace runs. */
function offsetInClause(segment: string, index: number): number {
  let seg = 0;
  let cand = 0;
  const trimmed = segment.length - segment.trimStart().length;
  seg = trimmed;
  while (cand < index && seg < segment.length) {
    if (/\s/.test(segment[seg])) {
      while (seg < segment.length && /\s/.test(segment[seg])) seg++;
      cand++;
    } else {
      seg++;
      cand++;
    }
  }
  return seg;
}
