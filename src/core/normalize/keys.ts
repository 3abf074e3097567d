// Owns how a name becomes a lookup key (case, accents, Greek, Roman numerals, punctuation) and the fallback variants.

/**
 * Bumped whenever `nameKey` changes: the bundled indexes store precomputed keys, and an index built with another key
 * version would silently miss. The loader refuses a mismatch; `npm run build:normalization` rebuilds.
 */
export const KEY_VERSION = 1;

/** Longest mention we try to link; longer text is no name (and would only cost time). */
export const MAX_MENTION_CHARS = 300;

const GREEK: Record<string, string> = {
  α: 'alpha',
  β: 'beta',
  γ: 'gamma',
  δ: 'delta',
  ε: 'epsilon',
  ϵ: 'epsilon',
  ζ: 'zeta',
  η: 'eta',
  θ: 'theta',
  ϑ: 'theta',
  ι: 'iota',
  κ: 'kappa',
  ϰ: 'kappa',
  λ: 'lambda',
  μ: 'mu',
  ν: 'nu',
  ξ: 'xi',
  ο: 'omicron',
  π: 'pi',
  ρ: 'rho',
  σ: 'sigma',
  ς: 'sigma',
  τ: 'tau',
  υ: 'upsilon',
  φ: 'phi',
  ϕ: 'phi',
  χ: 'chi',
  ψ: 'psi',
  ω: 'omega',
};
const GREEK_CHARS = new RegExp(`[${Object.keys(GREEK).join('')}]`, 'g');
const GREEK_WORDS = /(alpha|beta|gamma|delta|epsilon|kappa|lambda|sigma|omega|theta)/g;

const ROMAN: Record<string, string> = {
  i: '1',
  ii: '2',
  iii: '3',
  iv: '4',
  v: '5',
  vi: '6',
  vii: '7',
  viii: '8',
  ix: '9',
  x: '10',
  xi: '11',
  xii: '12',
  xiii: '13',
  xiv: '14',
  xv: '15',
  xvi: '16',
  xvii: '17',
  xviii: '18',
  xix: '19',
  xx: '20',
};
// A Roman numeral only as a whole token ("type II", "IL-II", "factor VIII"), never inside a word ("vitamin", "xi" in "xylose").
const ROMAN_TOKEN = /(?<![a-z0-9])(xx|x?(?:ix|iv|v?i{1,3}|v)|x)(?![a-z])/g;

const ASCII = /^[\x00-\x7f]*$/;

/** Lower case, accents off, Greek letters spelled out, Roman numerals as digits; punctuation and spaces kept. */
export function canonicalText(text: string): string {
  // Most names are plain ASCII: no accents or Greek to handle, only case and numerals.
  if (ASCII.test(text)) return text.toLowerCase().replace(ROMAN_TOKEN, (m) => ROMAN[m] ?? m);
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(GREEK_CHARS, (c) => GREEK[c])
    .replace(ROMAN_TOKEN, (m) => ROMAN[m] ?? m);
}

/**
 * The lookup key of a name: canonicalText without anything but a-z and 0-9, so "4-Aminopyridine", "4 aminopyridine"
 * and "4-amino-pyridine" meet. Text in other scripts has no key (empty): it cannot match an English vocabulary.
 */
export function nameKey(text: string): string {
  if (text.length > MAX_MENTION_CHARS) return '';
  return canonicalText(text).replace(/[^a-z0-9]+/g, '');
}

/** Words (a-z/0-9 runs) of canonicalText, for rules that work on words (salts, plurals, noise words). */
export function words(text: string): string[] {
  return canonicalText(text).match(/[a-z0-9]+/g) ?? [];
}

// Counter-ions and hydrates that MeSH files under the parent compound ("doxorubicin hydrochloride" -> Doxorubicin).
const SALT_WORDS = new Set([
  'hydrochloride',
  'dihydrochloride',
  'hcl',
  'hydrobromide',
  'sodium',
  'disodium',
  'potassium',
  'calcium',
  'magnesium',
  'sulfate',
  'sulphate',
  'bisulfate',
  'maleate',
  'fumarate',
  'citrate',
  'tartrate',
  'bitartrate',
  'mesylate',
  'mesilate',
  'besylate',
  'besilate',
  'tosylate',
  'succinate',
  'acetate',
  'phosphate',
  'nitrate',
  'bromide',
  'chloride',
  'iodide',
  'lactate',
  'gluconate',
  'hydrate',
  'monohydrate',
  'dihydrate',
  'trihydrate',
  'anhydrous',
  'salt',
  'salts',
  'dipropionate',
  'propionate',
  'valerate',
  'palmitate',
  'pamoate',
  'napsylate',
  'oxalate',
  'hyclate',
  'ester',
]);

// Words around a gene symbol that name the product or the kind of mention, not the gene.
const GENE_NOISE = new Set([
  'gene',
  'genes',
  'protein',
  'proteins',
  'mrna',
  'mrnas',
  'cdna',
  'transcript',
  'transcripts',
  'isoform',
  'isoforms',
  'human',
  'subunit',
  'polypeptide',
  'product',
  'expression',
  'promoter',
  'locus',
  'antigen',
  'molecule',
  'homolog',
  'homologue',
  'wildtype',
  'wt',
]);

// Element symbols as written alone or as ions ("Na", "K+", "Ca(2+)"): MeSH names the element.
const ELEMENTS: Record<string, string> = {
  H: 'hydrogen',
  Li: 'lithium',
  B: 'boron',
  C: 'carbon',
  N: 'nitrogen',
  O: 'oxygen',
  F: 'fluorine',
  Na: 'sodium',
  Mg: 'magnesium',
  Al: 'aluminum',
  Si: 'silicon',
  P: 'phosphorus',
  S: 'sulfur',
  Cl: 'chlorine',
  K: 'potassium',
  Ca: 'calcium',
  Cr: 'chromium',
  Mn: 'manganese',
  Fe: 'iron',
  Co: 'cobalt',
  Ni: 'nickel',
  Cu: 'copper',
  Zn: 'zinc',
  As: 'arsenic',
  Se: 'selenium',
  Br: 'bromine',
  Sr: 'strontium',
  Cd: 'cadmium',
  Sn: 'tin',
  I: 'iodine',
  Ba: 'barium',
  Pt: 'platinum',
  Au: 'gold',
  Hg: 'mercury',
  Pb: 'lead',
  Ag: 'silver',
  Gd: 'gadolinium',
  Tl: 'thallium',
  U: 'uranium',
};
const ELEMENT_OR_ION = /^([A-Z][a-z]?)\s*(?:\(?\d?[+-]{1,3}\)?|\(?[+-]?\d\)?)?$/;

/** Singular of the last word by the plural endings that occur in drug and gene names. */
function singular(word: string): string | undefined {
  if (word.length <= 3 || /\d/.test(word)) return undefined;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return undefined;
  if (word.endsWith('s')) return word.slice(0, -1);
  return undefined;
}

export interface KeyVariant {
  key: string;
  /** What was changed, for the matched-by explanation; lower `penalty` variants are tried first. */
  rule: string;
  penalty: number;
}

/**
 * Keys to try after the plain key missed, mildest change first. Each is a rule that matters in this field: text in
 * parentheses dropped, salt and hydrate words dropped, plural to singular, Greek letters as their initial (TNF-alpha ->
 * TNFA, IL-1beta -> IL1B), and for genes the words that name a product rather than the gene.
 */
export function keyVariants(text: string, kind: 'chemical' | 'gene'): KeyVariant[] {
  if (text.length > MAX_MENTION_CHARS) return [];
  const variants = rawVariants(text, kind);
  // British spellings (oestrogen, haem, sulphate) take every rule again in American spelling, which MeSH uses.
  const american = americanSpelling(text);
  if (american !== text) {
    const seen = new Set(variants.map((v) => v.key));
    const plain = nameKey(american);
    if (!seen.has(plain)) variants.push({ key: plain, rule: 'American spelling', penalty: 0.02 });
    seen.add(plain);
    for (const v of rawVariants(american, kind)) {
      if (!seen.has(v.key)) variants.push({ ...v, rule: `American spelling, ${v.rule}`, penalty: v.penalty + 0.02 });
      seen.add(v.key);
    }
  }
  return variants.sort((a, b) => a.penalty - b.penalty);
}

/** oestrogen -> estrogen, haemoglobin -> hemoglobin, sulphate -> sulfate, aluminium -> aluminum. */
export function americanSpelling(text: string): string {
  return text
    .replace(/\b([Oo])e(?=str)/g, (_, o: string) => (o === 'O' ? 'E' : 'e'))
    .replace(/([Hh])ae(?=m)/g, '$1e')
    .replace(/([Aa]n)ae(?=st)/g, '$1e')
    .replace(/([Ss]ul)ph/g, '$1f')
    .replace(/([Aa]lumin)ium/g, '$1um');
}

function rawVariants(text: string, kind: 'chemical' | 'gene'): KeyVariant[] {
  const out: KeyVariant[] = [];
  const seen = new Set<string>([nameKey(text)]);
  const add = (key: string, rule: string, penalty: number): void => {
    if (key.length < 2 || seen.has(key)) return;
    seen.add(key);
    out.push({ key, rule, penalty });
  };
  const canonical = canonicalText(text);
  const compact = (s: string): string => s.replace(/[^a-z0-9]+/g, '');
  const withoutParens = canonical.replace(/\([^()]*\)|\[[^[\]]*\]/g, ' ');
  if (withoutParens !== canonical) add(compact(withoutParens), 'parentheses', 0.04);
  const ws = words(withoutParens);
  const base = ws.length > 0 ? ws : words(text);
  if (kind === 'chemical') {
    const kept = base.filter((w) => !SALT_WORDS.has(w));
    if (kept.length > 0 && kept.length < base.length) add(kept.join(''), 'salt form', 0.05);
  } else {
    const kept = base.filter((w) => !GENE_NOISE.has(w));
    if (kept.length > 0 && kept.length < base.length) add(kept.join(''), 'gene/protein word', 0.04);
  }
  const last = base[base.length - 1];
  const one = last === undefined ? undefined : singular(last);
  if (one) add([...base.slice(0, -1), one].join(''), 'plural', 0.05);
  if (kind === 'chemical') {
    const kept = base.filter((w) => !SALT_WORDS.has(w));
    const k = kept[kept.length - 1];
    const s = k === undefined ? undefined : singular(k);
    if (s && kept.length < base.length) add([...kept.slice(0, -1), s].join(''), 'salt form, plural', 0.07);
  }
  if (kind === 'chemical') {
    const element = ELEMENT_OR_ION.exec(text.trim());
    if (element && ELEMENTS[element[1]]) add(ELEMENTS[element[1]], 'element symbol', 0.03);
    if (last !== undefined) {
      // MeSH files many classes and drugs under the plural ("Gentamicins", "Steroids") and acids under the acid.
      const prefix = base.slice(0, -1).join('');
      if (/[a-z]{3}$/.test(last)) add(`${prefix}${last.endsWith('y') ? `${last.slice(0, -1)}ies` : `${last}s`}`, 'plural', 0.05);
      if (/[a-z]{3}ate$/.test(last)) add(`${prefix}${last.slice(0, -3)}icacid`, '-ate as acid', 0.05);
      if (last === 'acid' && base.length >= 2 && /ic$/.test(base[base.length - 2]))
        add(`${base.slice(0, -2).join('')}${base[base.length - 2].slice(0, -2)}ate`, 'acid as -ate', 0.05);
    }
  }
  const initials = compact(canonical).replace(GREEK_WORDS, (w) => w[0]);
  add(initials, 'Greek letter initial', 0.05);
  if (kind === 'gene') {
    const kept = base.filter((w) => !GENE_NOISE.has(w));
    add(
      kept.join('').replace(GREEK_WORDS, (w) => w[0]),
      'gene/protein word, Greek initial',
      0.07,
    );
    // A one-letter species prefix on a symbol: hTERT, mTOR-like forms (the plain key is tried first, so MTOR stays).
    const joined = kept.join('');
    const prefix = /^[a-z0-9]+$/.test(text.replace(/[-\s]/g, '').slice(1)) && /^[hmr][A-Z0-9]/.test(text);
    if (prefix) add(joined.slice(1), 'species prefix', 0.08);
  }
  return out;
}
