// Relation pair construction against the reference (re_examples in tools/make_goldens.py): sentence split, which
// chemical–gene pairs, the marked text and every span, on the gold entities of 50 ChemProt development abstracts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Engine } from '../../src/core/engine';
import { candidatePairs, extractRelations } from '../../src/core/tasks/relations';
import { splitSentences } from '../../src/core/text/sentences';
import type { Entity } from '../../src/core/types';
import { bundledModel, fixture } from '../helpers/paths';

interface ReferencePair {
  pmid: string;
  chemical: string;
  gene: string;
  label: string;
  chemical_utf16: [number, number];
  gene_utf16: [number, number];
  sentence_utf16: [number, number];
  text: string;
}
const reference = JSON.parse(readFileSync(fixture('golden', 're-pairs.json'), 'utf8')) as {
  documents: string[];
  sentence_split: string;
  pairs: ReferencePair[];
};

/** UTF-16 offset of a code-point offset, counted here without the engine's OffsetMap. */
const utf16At = (text: string, codePoint: number): number => Array.from(text).slice(0, codePoint).join('').length;

/** The 50 abstracts with their gold entities (ChemProt types CHEMICAL, GENE-Y, GENE-N), in file order. */
function goldDocuments(): { pmid: string; text: string; entities: Entity[]; ids: Map<Entity, string> }[] {
  const texts = new Map(
    readFileSync(fixture('chemprot', 'development_abstracts.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('\t'))
      .map(([pmid, title, abstract]) => [pmid, `${title} ${abstract}`]),
  );
  const docs = reference.documents.map((pmid) => ({
    pmid,
    text: texts.get(pmid)!,
    entities: [] as Entity[],
    ids: new Map<Entity, string>(),
  }));
  const byPmid = new Map(docs.map((d) => [d.pmid, d]));
  for (const line of readFileSync(fixture('chemprot', 'development_entities.tsv'), 'utf8').trim().split('\n')) {
    const [pmid, id, type, s, e, mention] = line.split('\t');
    const doc = byPmid.get(pmid);
    if (!doc) continue;
    const start = utf16At(doc.text, Number(s));
    const end = utf16At(doc.text, Number(e));
    assert.equal(doc.text.slice(start, end), mention, `${pmid} ${id}`);
    const entity: Entity = { label: type, score: 1, start, end, text: mention };
    doc.entities.push(entity);
    doc.ids.set(entity, id);
  }
  return docs;
}

const docs = goldDocuments();
// Mutation runs (test/mutation/run.mjs) classify the pairs of 4 abstracts instead of 50.
const QUICK = process.env.BIOM_MUTATION === '1';
const engine = new Engine();
after(() => engine.dispose());

test('re-pairs reference: 50 abstracts, 950 pairs, 249 positive, the sentence rule the engine documents', () => {
  assert.equal(docs.length, 50);
  assert.equal(reference.pairs.length, 950);
  assert.equal(reference.pairs.filter((p) => p.label !== 'false').length, 249);
  assert.equal(reference.sentence_split, String.raw`(?<=[.!?])\s+(?=[A-Z0-9(\[])`);
});

// Catches: pairs across sentence boundaries, markers swapped (@GENE$ where the chemical was), pairs of overlapping
// mentions, GENE-Y/GENE-N not counted as genes, a wrong sentence split, spans shifted.
test('candidate pairs match the reference construction exactly: which pairs, in order, sentence, marked text', () => {
  let checked = 0;
  for (const doc of docs) {
    const want = reference.pairs.filter((p) => p.pmid === doc.pmid);
    const got = candidatePairs(doc.text, doc.entities).map((p) => ({
      chemical: doc.ids.get(p.chemical),
      gene: doc.ids.get(p.gene),
      chemical_utf16: [p.chemical.start, p.chemical.end],
      gene_utf16: [p.gene.start, p.gene.end],
      sentence_utf16: [p.sentence.start, p.sentence.end],
      text: p.marked,
    }));
    assert.deepEqual(
      got,
      want.map(({ chemical, gene, chemical_utf16, gene_utf16, sentence_utf16, text }) => ({
        chemical,
        gene,
        chemical_utf16,
        gene_utf16,
        sentence_utf16,
        text,
      })),
      doc.pmid,
    );
    // Every reference sentence is one of the engine's sentences.
    const sentences = new Set(splitSentences(doc.text).map((s) => `${s.start}:${s.end}`));
    for (const p of want)
      assert.ok(sentences.has(`${p.sentence_utf16[0]}:${p.sentence_utf16[1]}`), `${doc.pmid} sentence ${p.sentence_utf16}`);
    checked += want.length;
  }
  assert.equal(checked, 950);
});

test('extractRelations classifies the reference pairs: same pairs with negatives kept, the golden scores where known, none negative by default', async (t) => {
  const golden = JSON.parse(readFileSync(fixture('golden', 're-electra.json'), 'utf8')) as {
    inputs: string[];
    results: { label: string; score: number }[][];
  };
  const goldenByText = new Map(golden.inputs.map((text, i) => [text, golden.results[i]]));
  const model = await engine.load({ folder: bundledModel('re-electra') }, 'relations');
  let withGoldenScore = 0;
  let negatives = 0;
  let positives = 0;
  for (const [d, doc] of docs.slice(0, QUICK ? 4 : undefined).entries()) {
    const want = reference.pairs.filter((p) => p.pmid === doc.pmid);
    const all = await extractRelations(model, doc.text, doc.entities, { includeNegative: true });
    assert.deepEqual(
      all.map((r) => [doc.ids.get(r.chemical), doc.ids.get(r.gene), r.sentence.start, r.sentence.end]),
      want.map((p) => [p.chemical, p.gene, ...p.sentence_utf16]),
      doc.pmid,
    );
    all.forEach((r, i) => {
      const expected = goldenByText.get(want[i].text);
      if (!expected) return;
      withGoldenScore++;
      assert.equal(r.label, expected[0].label, `${doc.pmid} ${want[i].chemical}-${want[i].gene}: label of the Hugging Face pipeline`);
      assert.ok(Math.abs(r.score - expected[0].score) < 1e-4, `${doc.pmid} score ${r.score} vs ${expected[0].score}`);
    });
    // The default drops exactly the pairs whose best class is "false" (checked on 20 abstracts: one model run each).
    if (d >= 20) continue;
    const kept = await extractRelations(model, doc.text, doc.entities);
    assert.deepEqual(
      kept,
      all.filter((r) => r.label !== 'false'),
      doc.pmid,
    );
    negatives += all.length - kept.length;
    positives += kept.length;
  }
  t.diagnostic(`${withGoldenScore} pairs checked against golden scores; default kept ${positives}, dropped ${negatives}`);
  assert.ok(withGoldenScore >= (QUICK ? 0 : 16), `${withGoldenScore} pairs have a golden score`);
  assert.ok(negatives > (QUICK ? 5 : 100) && positives > (QUICK ? 2 : 10), `${negatives} negative and ${positives} positive predictions`);
});
