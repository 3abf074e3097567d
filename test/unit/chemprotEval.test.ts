// The ChemProt evaluation: corpus reading, flattened gold spans, P/R/F1, and scores computed here by hand.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Counts, EVALUATED_GROUPS, evaluateChemprot, flatSpans, readChemprot, type ChemprotEntity } from '../../src/core/eval/chemprot';
import { Engine } from '../../src/core/engine';
import { InputError } from '../../src/core/errors';
import { findEntities, localNerSource } from '../../src/core/pipeline';
import { bundledModel, fixture } from '../helpers/paths';
import { constantSequenceClassifier } from '../helpers/tinyOnnx';

const dir = mkdtempSync(join(tmpdir(), 'biom-eval-'));
const engine = new Engine({ threads: 1 });
after(async () => {
  await engine.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const corpus = (): ReturnType<typeof readChemprot> =>
  readChemprot(
    fixture('chemprot', 'development_abstracts.tsv'),
    fixture('chemprot', 'development_entities.tsv'),
    fixture('chemprot', 'development_gold_standard.tsv'),
  );
const reference = JSON.parse(readFileSync(fixture('golden', 're-pairs.json'), 'utf8')) as {
  documents: string[];
  pairs: { pmid: string; chemical: string; gene: string; label: string; chemical_utf16: number[]; gene_utf16: number[] }[];
};

test('readChemprot: 612 documents, entity spans in UTF-16 and gold relations as in the reference pairs', () => {
  const docs = corpus();
  assert.equal(docs.length, 612);
  assert.deepEqual(
    docs.slice(0, 50).map((d) => d.pmid),
    reference.documents,
  );
  const byPmid = new Map(docs.map((d) => [d.pmid, d]));
  for (const p of reference.pairs) {
    const doc = byPmid.get(p.pmid)!;
    const chemical = doc.entities.get(p.chemical)!;
    const gene = doc.entities.get(p.gene)!;
    assert.deepEqual([chemical.type, chemical.start, chemical.end], ['CHEMICAL', ...p.chemical_utf16], `${p.pmid} ${p.chemical}`);
    assert.deepEqual([gene.type, gene.start, gene.end], ['GENE', ...p.gene_utf16], `${p.pmid} ${p.gene}`);
    assert.equal(doc.text.slice(chemical.start, chemical.end), chemical.text);
    if (p.label !== 'false') assert.equal(doc.relations.get(`${p.chemical} ${p.gene}`), p.label);
    else assert.ok(!EVALUATED_GROUPS.has(doc.relations.get(`${p.chemical} ${p.gene}`) ?? 'none'));
  }
  assert.deepEqual([...EVALUATED_GROUPS].sort(), ['CPR:3', 'CPR:4', 'CPR:5', 'CPR:6', 'CPR:9']);
});

test('readChemprot: CRLF, short rows and unknown PMIDs are skipped; a wrong span or a missing file is one clear error', () => {
  const write = (name: string, content: string): string => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const abstracts = write('a.tsv', '1\tT 😀 x\tAspirin blocks COX-2.\r\nshort row\r\n\r\n');
  const entities = write('e.tsv', '1\tT1\tCHEMICAL\t6\t13\tAspirin\r\n9\tT9\tGENE\t0\t1\tx\r\n1\tT2\tGENE-N\t21\t26\tCOX-2\r\n');
  const gold = write('g.tsv', '1\tCPR:4\tArg1:T1\tArg2:T2\r\n9\tCPR:3\tArg1:T9\tArg2:T9\r\n');
  const [doc, ...rest] = readChemprot(abstracts, entities, gold);
  assert.equal(rest.length, 0);
  assert.equal(doc.text, 'T 😀 x Aspirin blocks COX-2.');
  assert.deepEqual(
    [...doc.entities.values()],
    [
      { id: 'T1', type: 'CHEMICAL', start: 7, end: 14, text: 'Aspirin' },
      { id: 'T2', type: 'GENE', start: 22, end: 27, text: 'COX-2' },
    ],
  );
  assert.deepEqual([...doc.relations], [['T1 T2', 'CPR:4']]);
  assert.equal(readChemprot(abstracts, entities)[0].relations.size, 0, 'no gold file: no relations');
  const bad = write('bad.tsv', '1\tT1\tCHEMICAL\t6\t13\tAspirin\n1\tT2\tGENE\t20\t26\tCOX-2\n');
  assert.throws(
    () => readChemprot(abstracts, bad),
    (e: unknown) => e instanceof InputError && e.message === `${bad} line 2: T2 (21-27) does not match the abstract text`,
  );
  assert.throws(
    () => readChemprot(join(dir, 'missing.tsv'), entities),
    (e: unknown) => e instanceof InputError && e.message.startsWith(`cannot read ${join(dir, 'missing.tsv')}: `),
  );
});

test('flatSpans keeps the longer of overlapping gold spans (then the earlier), in text order', () => {
  const e = (id: string, start: number, end: number, type: 'CHEMICAL' | 'GENE' = 'GENE'): ChemprotEntity => ({
    id,
    type,
    start,
    end,
    text: '',
  });
  assert.deepEqual(flatSpans([e('a', 10, 14), e('b', 0, 3, 'CHEMICAL'), e('c', 8, 20), e('d', 2, 5), e('e', 20, 22), e('f', 1, 4)]), [
    { start: 0, end: 3, type: 'CHEMICAL' },
    { start: 8, end: 20, type: 'GENE' },
    { start: 20, end: 22, type: 'GENE' },
  ]);
  assert.deepEqual(flatSpans([e('x', 5, 7), e('y', 5, 7, 'CHEMICAL')]), [{ start: 5, end: 7, type: 'GENE' }]);
  assert.deepEqual(
    flatSpans([e('x', 0, 4), e('y', 4, 6), e('z', 6, 7)]).map((s) => s.start),
    [0, 4, 6],
  );
});

test('Counts: precision, recall and F1 rounded to 4 places; empty sets give 0, not NaN', () => {
  const c = new Counts();
  c.add(new Set(['a', 'b', 'c']), new Set(['a', 'x']));
  assert.deepEqual([c.tp, c.fp, c.fn], [1, 1, 2]);
  assert.deepEqual(c.prf(), { p: 0.5, r: 0.3333, f1: 0.4 });
  c.add(new Set(['d']), new Set(['d']));
  assert.deepEqual(c.prf(), { p: 0.6667, r: 0.5, f1: 0.5714 });
  assert.deepEqual(new Counts().prf(), { p: 0, r: 0, f1: 0 });
});

// Pairs and gold labels of the first 50 abstracts are the reference's (re-pairs.json): 950 pairs, 107 of them CPR:4,
// 249 in an evaluated group. A model that always answers CPR:4 scores tp 107, fp 843, fn 142.
test('RE evaluation with a model that always says CPR:4, or always "false": scores by hand from the reference pairs', async () => {
  const folderFor = (name: string, logits: number[]): string => {
    const folder = join(dir, name);
    mkdirSync(join(folder, 'onnx'), { recursive: true });
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json'])
      cpSync(join(bundledModel('re-electra'), file), join(folder, file));
    writeFileSync(join(folder, 'onnx', 'model.onnx'), constantSequenceClassifier(logits));
    return folder;
  };
  const docs = corpus();
  const cpr4 = await engine.load({ folder: folderFor('cpr4', [0, 0, 5, 0, 0, 0]) }, 'relations');
  const progress: number[][] = [];
  const scores = await evaluateChemprot(docs, { re: cpr4, limit: 50, onProgress: (done, total) => progress.push([done, total]) });
  const tp = reference.pairs.filter((p) => p.label === 'CPR:4').length;
  const positives = reference.pairs.filter((p) => p.label !== 'false').length;
  assert.deepEqual([tp, positives, reference.pairs.length], [107, 249, 950]);
  const p = tp / 950;
  const r = tp / positives;
  const round = (x: number): number => Math.round(x * 10000) / 10000;
  assert.deepEqual(scores, { documents: 50, re: { p: round(p), r: round(r), f1: round((2 * p * r) / (p + r)), pairs: 950 } });
  assert.deepEqual(progress, [], 'progress is reported for NER documents only');

  const never = await engine.load({ folder: folderFor('never', [5, 0, 0, 0, 0, 0]) }, 'relations');
  assert.deepEqual((await evaluateChemprot(docs, { re: never, limit: 50 })).re, { p: 0, r: 0, f1: 0, pairs: 950 });
  assert.deepEqual(await evaluateChemprot(docs, { limit: 3 }), { documents: 3 });
});

test('NER evaluation on 5 abstracts: exact span and type matches against flattened gold spans, counted here', async () => {
  const docs = corpus().slice(0, 5);
  const model = await engine.load({ folder: bundledModel('ner-albert') }, 'ner');
  const count = { all: [0, 0, 0], CHEMICAL: [0, 0, 0], GENE: [0, 0, 0] } as Record<string, number[]>;
  for (const doc of docs) {
    // Gold: non-overlapping spans, longer first, by hand (GENE-Y/GENE-N are GENE).
    const gold: [number, number, string][] = [];
    for (const e of [...doc.entities.values()].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start)) {
      if (gold.every(([s, t]) => e.end <= s || e.start >= t)) gold.push([e.start, e.end, e.type]);
    }
    const goldKeys = new Set(gold.map((g) => g.join(' ')));
    // Entities as the one pipeline gives them (paragraphs, windows, overlaps merged): the scoring is what is checked here.
    const { entities } = await findEntities(doc.text, [localNerSource(model, { folder: 'evaluated' }, 'simple')], {
      aggregation: 'simple',
    });
    const predicted = new Set(entities.map((e) => `${e.start} ${e.end} ${e.label}`));
    for (const [name, keep] of [
      ['all', () => true],
      ['CHEMICAL', (k: string) => k.endsWith(' CHEMICAL')],
      ['GENE', (k: string) => k.endsWith(' GENE')],
    ] as const) {
      const g = [...goldKeys].filter(keep);
      const q = [...predicted].filter(keep);
      count[name][0] += q.filter((k) => goldKeys.has(k)).length;
      count[name][1] += q.filter((k) => !goldKeys.has(k)).length;
      count[name][2] += g.filter((k) => !predicted.has(k)).length;
    }
  }
  const prf = ([tp, fp, fn]: number[]): { p: number; r: number; f1: number } => {
    const p = tp / Math.max(1, tp + fp);
    const r = tp / Math.max(1, tp + fn);
    const round = (x: number): number => Math.round(x * 10000) / 10000;
    return { p: round(p), r: round(r), f1: round((2 * p * r) / Math.max(1e-9, p + r)) };
  };
  assert.ok(count.all[0] > 10 && count.all[1] > 0 && count.all[2] > 0, JSON.stringify(count));
  const progress: string[] = [];
  const scores = await evaluateChemprot(docs, { ner: model, onProgress: (done, total) => progress.push(`${done}/${total}`) });
  assert.deepEqual(scores, { documents: 5, ner: { ...prf(count.all), CHEMICAL: prf(count.CHEMICAL), GENE: prf(count.GENE) } });
  assert.deepEqual(progress, ['1/5', '2/5', '3/5', '4/5', '5/5']);
});
