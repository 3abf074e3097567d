import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { americanSpelling, canonicalText, keyVariants, nameKey } from '../../src/core/normalize/keys';
import { bestLongFormStart, findAbbreviations } from '../../src/core/normalize/abbreviations';
import { splitComposite } from '../../src/core/normalize/composite';

const variantKeys = (text: string, kind: 'chemical' | 'gene'): string[] => keyVariants(text, kind).map((v) => v.key);

describe('name keys', () => {
  it('ignore case, hyphens, spaces, commas and parentheses', () => {
    assert.equal(nameKey('4-Aminopyridine'), nameKey('4 aminopyridine'));
    assert.equal(nameKey('4-amino-pyridine'), '4aminopyridine');
    assert.equal(nameKey('1,2-Dichloroethane'), nameKey('1 2 dichloroethane'));
    assert.equal(nameKey('IL(6)'), nameKey('il-6'));
    assert.notEqual(nameKey('IL-6'), nameKey('IL-8'));
  });

  it('spell Greek letters out, so α and alpha meet', () => {
    assert.equal(nameKey('TNF-α'), nameKey('TNF alpha'));
    assert.equal(nameKey('IL-1β'), 'il1beta');
    assert.equal(nameKey('NF-κB'), nameKey('NF-kappaB'));
    assert.equal(nameKey('Α-Tocopherol'), nameKey('alpha-tocopherol'), 'capital Greek too');
  });

  it('read Roman numerals as digits only when they stand alone', () => {
    assert.equal(nameKey('type II collagen'), nameKey('type 2 collagen'));
    assert.equal(nameKey('Factor VIII'), nameKey('factor 8'));
    assert.equal(nameKey('factor X'), 'factor10');
    assert.equal(nameKey('IL-II'), nameKey('IL-2'));
    assert.equal(nameKey('vitamin'), 'vitamin', 'letters inside a word stay letters');
    assert.equal(nameKey('Xylitol'), 'xylitol');
  });

  it('drop accents and give text without Latin letters or digits no key', () => {
    assert.equal(nameKey('Café'), 'cafe');
    assert.equal(nameKey('阿司匹林'), '');
    assert.equal(nameKey('…!?-()'), '');
    assert.equal(nameKey(''), '');
    assert.equal(nameKey('a'.repeat(10_000)), '', 'a 10,000-character mention is no name');
  });

  it('keep what canonicalText shows readable (spaces and punctuation stay)', () => {
    assert.equal(canonicalText('NF-κB p65'), 'nf-kappab p65');
  });
});

describe('key variants (tried after the plain key misses)', () => {
  it('drop salt and hydrate words of a chemical', () => {
    assert.ok(variantKeys('doxorubicin hydrochloride', 'chemical').includes('doxorubicin'));
    assert.ok(variantKeys('Sodium valproate', 'chemical').includes('valproate'));
    assert.ok(variantKeys('morphine sulphate', 'chemical').includes('morphine'));
    assert.ok(!variantKeys('doxorubicin hydrochloride', 'gene').includes('doxorubicin'), 'salts are a chemical rule');
  });

  it('turn plurals into singulars and singulars into the plurals MeSH uses', () => {
    assert.ok(variantKeys('statins', 'chemical').includes('statin'));
    assert.ok(variantKeys('anthracycline', 'chemical').includes('anthracyclines'));
    assert.ok(variantKeys('gentamicin', 'chemical').includes('gentamicins'));
    assert.ok(variantKeys('catecholamines', 'chemical').includes('catecholamine'));
    assert.ok(!variantKeys('glass', 'chemical').includes('glas'));
  });

  it('read an -ate as its acid and the acid as the -ate', () => {
    assert.ok(variantKeys('glutamate', 'chemical').includes('glutamicacid'));
    assert.ok(variantKeys('valproic acid', 'chemical').includes('valproate'));
  });

  it('read element symbols and ions as the element', () => {
    assert.ok(variantKeys('Na+', 'chemical').includes('sodium'));
    assert.ok(variantKeys('Ca(2+)', 'chemical').includes('calcium'));
    assert.ok(variantKeys('K', 'chemical').includes('potassium'));
    assert.ok(!variantKeys('NO', 'chemical').includes('nitrogen'), 'NO is not N');
  });

  it('drop text in parentheses', () => {
    assert.ok(variantKeys('hepatocyte nuclear factor (HNF)-6', 'gene').includes('hepatocytenuclearfactor6'));
  });

  it('shorten Greek words to their initial (TNF-alpha -> TNFA) and drop gene/protein words', () => {
    assert.ok(variantKeys('TNF-alpha', 'gene').includes('tnfa'));
    assert.ok(variantKeys('IL-1β', 'gene').includes('il1b'));
    assert.ok(variantKeys('p53 protein', 'gene').includes('p53'));
    assert.ok(variantKeys('human EGFR gene', 'gene').includes('egfr'));
  });

  it('try American spelling for British names', () => {
    assert.equal(americanSpelling('oestrogen'), 'estrogen');
    assert.equal(americanSpelling('haemoglobin'), 'hemoglobin');
    assert.equal(americanSpelling('sulphate'), 'sulfate');
    assert.ok(variantKeys('oestrogens', 'chemical').includes('estrogens'));
  });

  it('give nothing for a huge mention (linear cost, no work)', () => {
    assert.deepEqual(keyVariants('x-'.repeat(5_000), 'chemical'), []);
  });
});

describe('abbreviations (Schwartz & Hearst)', () => {
  it('define "DM" from "dextromethorphan (DM)" with exact offsets', () => {
    const text = 'Effects of dextromethorphan (DM) on seizures. DM was given.';
    const [a] = findAbbreviations(text);
    assert.equal(a.short, 'DM');
    assert.equal(a.long, 'dextromethorphan');
    assert.equal(text.slice(a.longStart, a.longEnd), 'dextromethorphan');
  });

  it('take the shortest long form that spells the short form, its first letter starting a word', () => {
    const text = 'in the presence of 5-fluorouracil (5-FU) and';
    assert.equal(findAbbreviations(text)[0]?.long, '5-fluorouracil');
    assert.equal(bestLongFormStart('ABC', 'xyz alpha beta cat'), 4);
    assert.equal(bestLongFormStart('QQ', 'alpha beta'), -1);
  });

  it('prefer word initials over a shorter spelling match ("combined oral contraceptives (COCs)")', () => {
    assert.equal(findAbbreviations('Use of combined oral contraceptives (COCs) rose.')[0]?.long, 'combined oral contraceptives');
    assert.equal(findAbbreviations('blocked by N-methyl-D-aspartate (NMDA) antagonists')[0]?.long, 'N-methyl-D-aspartate');
  });

  it('read "SF (long form)" and a parenthesis with more after a semicolon', () => {
    assert.equal(findAbbreviations('treated with 5-FU (5-fluorouracil) daily')[0]?.long, '5-fluorouracil');
    assert.equal(findAbbreviations('haloperidol (HAL; 1 mg/kg) was given')[0]?.short, 'HAL');
  });

  it('define nothing from ordinary parentheses and stay inside the sentence', () => {
    assert.deepEqual(findAbbreviations('The dose (10 mg) was low. Patients (n = 12) improved.'), []);
    assert.deepEqual(findAbbreviations('It was given. (DM) followed.'), []);
  });

  it('handles text full of parentheses without quadratic work', () => {
    const hostile = '('.repeat(100_000) + ')';
    assert.deepEqual(findAbbreviations(hostile), []);
    assert.deepEqual(findAbbreviations('(a) '.repeat(20_000)), []);
  });
});

describe('composite mentions', () => {
  it('share a stem across endings', () => {
    assert.deepEqual(splitComposite('ERK1/2'), ['ERK1', 'ERK2']);
    assert.deepEqual(splitComposite('IL-4/-13'), ['IL-4', 'IL-13']);
    assert.deepEqual(splitComposite('Smad2/3'), ['Smad2', 'Smad3']);
    assert.deepEqual(splitComposite('MMP-2 and -9'), ['MMP-2', 'MMP-9']);
    assert.deepEqual(splitComposite('PKC alpha/beta'), ['PKC alpha', 'PKC beta']);
  });

  it('split slash-joined names and give a bare later part the head words', () => {
    assert.deepEqual(splitComposite('NF-kappaB p50/p65'), ['NF-kappaB p50', 'NF-kappaB p65']);
    assert.deepEqual(splitComposite('lopinavir/ritonavir'), ['lopinavir', 'ritonavir']);
  });

  it('leave ordinary names and long lists alone', () => {
    assert.deepEqual(splitComposite('EGFR'), []);
    assert.deepEqual(splitComposite('a/b '.repeat(40)), []);
  });
});
