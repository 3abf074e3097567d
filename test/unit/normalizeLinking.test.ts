import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bundledNormalizer, loadIndex, normalizeDocument } from '../../src/core/normalize/bundled';
import { documentContext, editDistance, type LinkKind } from '../../src/core/normalize/normalizer';
import { evaluateLinking } from '../../src/core/normalize/evaluate';
import { IndexFormatError, parseIndex, serializeIndex } from '../../src/core/normalize/vocabulary';
import { readPubtator } from '../../src/core/formats/pubtator';
import type { Entity } from '../../src/core/types';
import { fixture } from '../helpers/paths';

const normalizer = bundledNormalizer();
const first = (text: string, kind: LinkKind, context?: string): string | undefined =>
  normalizer.link(text, kind, context === undefined ? undefined : documentContext(context))[0]?.id;

const entity = (text: string, doc: string, label: string, from = 0): Entity => {
  const start = doc.indexOf(text, from);
  assert.ok(start >= 0, `${text} in ${doc}`);
  return { label, score: 0.9, start, end: start + text.length, text };
};

describe('bundled indexes', () => {
  it('record the vocabulary versions and the credit NLM asks for', () => {
    const mesh = loadIndex('chemical').header;
    assert.equal(mesh.version, 'MeSH 2020');
    assert.match(mesh.credit, /Courtesy of the U\.S\. National Library of Medicine/);
    const hgnc = loadIndex('gene').header;
    assert.match(hgnc.version, /HGNC October 2024/);
    assert.ok(loadIndex('gene').conceptCount > 40_000, 'the whole approved HGNC set');
  });

  it('refuse an index built with other name keys, naming the file', () => {
    const bytes = serializeIndex({
      header: { namespace: 'MESH', vocabulary: 'v', version: '1', credit: 'c', sources: [] },
      concepts: [],
      names: new Map(),
    });
    const stale = Buffer.from(bytes.toString('utf8').replace('"keyVersion":1', '"keyVersion":0'));
    assert.throws(
      () => parseIndex(stale, 'old.tsv.gz'),
      (e: Error) => e instanceof IndexFormatError && /old\.tsv\.gz.*build:normalization/.test(e.message),
    );
    assert.throws(() => parseIndex(Buffer.from('not an index'), 'x.gz'), IndexFormatError);
  });
});

describe('linking chemicals to MeSH', () => {
  it('finds descriptors by name and entry term, whatever the case', () => {
    assert.equal(first('Dextromethorphan', 'chemical'), 'MESH:D003915');
    assert.equal(first('ASPIRIN', 'chemical'), 'MESH:D001241');
    assert.equal(first('acetylsalicylic acid', 'chemical'), 'MESH:D001241');
  });

  it('applies the rules: salt forms, plurals, -ate/acid, element symbols, British spelling', () => {
    assert.equal(first('doxorubicin hydrochloride', 'chemical'), first('doxorubicin', 'chemical'));
    assert.equal(first('gentamicin', 'chemical'), 'MESH:D005839', 'Gentamicins');
    assert.equal(first('glutamate', 'chemical'), 'MESH:D018698', 'Glutamic Acid');
    assert.equal(first('Na+', 'chemical'), 'MESH:D012964', 'Sodium');
    assert.equal(first('oestrogens', 'chemical'), first('estrogens', 'chemical'));
  });

  it('resolves a short form through its definition in the document', () => {
    const doc = 'Effects of dextromethorphan (DM) on seizures in rats. DM reduced seizures.';
    const [ids] = [normalizer.link('DM', 'chemical', documentContext(doc))];
    assert.equal(ids[0].id, 'MESH:D003915');
    assert.match(ids[0].matched ?? '', /abbreviation of "dextromethorphan"/);
    assert.equal(ids[0].name, 'Dextromethorphan');
    // Without the definition "DM" is no drug.
    assert.notEqual(first('DM', 'chemical'), 'MESH:D003915');
  });

  it('corrects a typo in a long chemical name, but not a derivative, a code or a gene', () => {
    assert.equal(first('tobramicyn', 'chemical'), 'MESH:D014031', 'Tobramycin');
    assert.equal(first('amphothericin B', 'chemical'), 'MESH:D000666', 'Amphotericin B');
    assert.match(normalizer.link('apomophine', 'chemical')[0]?.matched ?? '', /1 edit away/);
    assert.notEqual(first('doxorubicinol', 'chemical'), 'MESH:D004317', 'a metabolite is not doxorubicin');
    assert.equal(editDistance('tobramicyn', 'tobramycin', 2), 2);
    assert.equal(editDistance('abcd', 'abdc', 1), 1, 'a swap is one edit');
    assert.equal(editDistance('aaaa', 'bbbbbbbb', 2), 3, 'gives up past the bound');
  });

  it('gives no id to empty, punctuation-only, non-Latin and huge mentions', () => {
    for (const text of ['', '   ', '--()--', '?!', '阿司匹林', 'аспирин', 'x'.repeat(10_000), 'aspirin '.repeat(1_250)]) {
      assert.deepEqual(normalizer.link(text, 'chemical'), [], JSON.stringify(text.slice(0, 20)));
      assert.deepEqual(normalizer.link(text, 'gene'), [], JSON.stringify(text.slice(0, 20)));
    }
  });

  it('gives no id when nothing reaches the threshold', () => {
    assert.deepEqual(normalizer.link('zzqxv unobtainium', 'chemical'), []);
    // A variant match (plural) scores below an exact one, so a strict threshold drops it.
    assert.equal(normalizer.link('gentamicin', 'chemical', undefined, { minScore: 0.99 }).length, 0);
    assert.equal(normalizer.link('Aspirin', 'chemical', undefined, { minScore: 0.99 }).length, 1);
  });
});

describe('linking genes to NCBI Gene and HGNC', () => {
  it('gives both ids of the record, NCBI Gene first', () => {
    const ids = normalizer.link('EGFR', 'gene');
    assert.deepEqual(
      ids.map((x) => x.id),
      ['NCBIGene:1956', 'HGNC:3236'],
    );
    assert.equal(ids[0].name, 'EGFR');
    assert.equal(first('epidermal growth factor receptor', 'gene'), 'NCBIGene:1956');
  });

  it('reads previous and alias symbols, Greek letters and protein words', () => {
    assert.equal(first('p53', 'gene'), 'NCBIGene:7157');
    assert.equal(first('TNF-α', 'gene'), 'NCBIGene:7124');
    assert.equal(first('TNF-alpha protein', 'gene'), 'NCBIGene:7124');
    assert.equal(first('IL-1β', 'gene'), 'NCBIGene:3553');
  });

  it('splits composite mentions into their records', () => {
    assert.deepEqual(
      normalizer
        .link('ERK1/2', 'gene')
        .filter((x) => x.id.startsWith('NCBIGene:'))
        .map((x) => x.id),
      ['NCBIGene:5595', 'NCBIGene:5594'],
    );
    const nfkb = normalizer
      .link('NF-kappaB p50/p65', 'gene')
      .filter((x) => x.id.startsWith('NCBIGene:'))
      .map((x) => x.id);
    assert.deepEqual(nfkb, ['NCBIGene:4790', 'NCBIGene:5970'], 'NFKB1 and RELA');
  });

  it('links genes of the human species only: another species gets no id', () => {
    assert.equal(normalizer.link('Egfr', 'gene', undefined, { species: 'mouse' }).length, 0);
    assert.equal(normalizer.link('Egfr', 'gene', undefined, { species: 'human' })[0]?.id, 'NCBIGene:1956');
    assert.equal(
      normalizer.link('aspirin', 'chemical', undefined, { species: 'mouse' })[0]?.id,
      'MESH:D001241',
      'chemicals have no species',
    );
  });

  it('expands a short form the document defined as the stem of a name ("TuNF-1A" after "… member (TuNF)")', () => {
    const doc = 'The tumor necrosis factor receptor superfamily member (TuNF) group. TuNF-1A was high.';
    const [id] = normalizer.link('TuNF-1A', 'gene', documentContext(doc));
    assert.equal(id?.id, 'NCBIGene:7132', 'TNFRSF1A');
    assert.match(id?.matched ?? '', /abbreviation of "tumor necrosis factor receptor superfamily member-1A"/);
    assert.deepEqual(normalizer.link('TuNF-1A', 'gene'), [], 'not without the definition');
  });
});

describe('normalizing a document', () => {
  it('sets ids on chemicals and genes, leaves other labels alone, and is consistent within the document', () => {
    const doc = 'Dextromethorphan (DM) and EGFR. DM again, dm too, and Tumor in EGFR.';
    const entities = [
      entity('Dextromethorphan', doc, 'CHEMICAL'),
      entity('DM', doc, 'CHEMICAL'),
      entity('EGFR', doc, 'GENE'),
      entity('DM', doc, 'CHEMICAL', 30),
      entity('Tumor', doc, 'Disease'),
      entity('EGFR', doc, 'GENE-Y', 50),
    ];
    const out = normalizeDocument(doc, entities, {});
    assert.equal(out[0].ids?.[0].id, 'MESH:D003915');
    assert.deepEqual(
      out[1].ids,
      out[0].ids?.map((x) => ({ ...x, score: out[1].ids![0].score, matched: out[1].ids![0].matched })),
    );
    assert.deepEqual(out[3].ids, out[1].ids, 'the same text gets the same id everywhere');
    assert.equal(out[2].ids?.[0].id, 'NCBIGene:1956');
    assert.deepEqual(out[5].ids, out[2].ids);
    assert.equal(out[4].ids, undefined, 'a disease is not linked');
    assert.equal(out[0].score, 0.9, 'everything else of the entity stays');
    assert.deepEqual(normalizeDocument(doc, entities, undefined), entities, 'normalization off: no ids');
  });
});

describe('accuracy on committed gold slices (fails when linking breaks)', () => {
  // Measured 0.8152 (BC5CDR dev, first 80 abstracts) and 0.8053 (BioRED, first 80, human genes) when written.
  it('BC5CDR dev chemicals, gold mentions: accuracy@1 >= 0.79', async () => {
    const docs = readPubtator(readFileSync(fixture('normalization', 'bc5cdr_dev_first80.pubtator'), 'utf8'));
    const s = await evaluateLinking(docs, normalizer, { type: 'chemical' });
    assert.equal(s.documents, 80);
    assert.ok(s.mentions > 800, `${s.mentions} mentions`);
    assert.ok(s.accuracy_at_1 >= 0.79, `accuracy@1 ${s.accuracy_at_1}`);
  });

  it('BioRED human genes, gold mentions: accuracy@1 >= 0.78, non-human genes skipped', async () => {
    const docs = readPubtator(readFileSync(fixture('normalization', 'biored_first80.pubtator'), 'utf8'));
    const s = await evaluateLinking(docs, normalizer, { type: 'gene', species: 'human' });
    assert.ok(s.skipped > 100, `${s.skipped} skipped (mouse, rat, … genes)`);
    assert.ok(s.accuracy_at_1 >= 0.78, `accuracy@1 ${s.accuracy_at_1}`);
    const all = await evaluateLinking(docs, normalizer, { type: 'gene' });
    assert.ok(
      all.mentions > s.mentions && all.accuracy_at_1 < s.accuracy_at_1,
      'without the species filter non-human genes count and fail',
    );
  });
});
