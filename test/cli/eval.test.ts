import { test } from 'node:test';
import assert from 'node:assert/strict';
import { biom } from '../helpers/cli';
import { bundledModel, fixture } from '../helpers/paths';

// Python reference numbers from MODEL_CARD.md of each model (same data, same protocol).
const REFERENCE = { ner: { f1: 0.4032, CHEMICAL: 0.4673, GENE: 0.335 }, re: { f1: 0.228, pairs: 10457 } };

const corpus = [
  '--abstracts',
  fixture('chemprot', 'development_abstracts.tsv'),
  '--entities',
  fixture('chemprot', 'development_entities.tsv'),
  '--gold',
  fixture('chemprot', 'development_gold_standard.tsv'),
];

test('eval chemprot NER (ner-albert, first 100 dev abstracts) reproduces the Python reference within 0.005 F1', () => {
  const r = biom(['eval', 'chemprot', ...corpus, '--ner', bundledModel('ner-albert'), '--limit', '100']);
  assert.equal(r.code, 0, r.stderr);
  const scores = JSON.parse(r.stdout) as { documents: number; ner: { f1: number; CHEMICAL: { f1: number }; GENE: { f1: number } } };
  assert.equal(scores.documents, 100);
  assert.ok(Math.abs(scores.ner.f1 - REFERENCE.ner.f1) <= 0.005, `micro F1 ${scores.ner.f1}`);
  assert.ok(Math.abs(scores.ner.CHEMICAL.f1 - REFERENCE.ner.CHEMICAL) <= 0.005, `CHEMICAL F1 ${scores.ner.CHEMICAL.f1}`);
  assert.ok(Math.abs(scores.ner.GENE.f1 - REFERENCE.ner.GENE) <= 0.005, `GENE F1 ${scores.ner.GENE.f1}`);
});

test('eval chemprot RE (re-electra, all dev pairs on gold entities) reproduces the Python reference within 0.005 F1', () => {
  const r = biom(['eval', 'chemprot', ...corpus, '--re', bundledModel('re-electra')]);
  assert.equal(r.code, 0, r.stderr);
  const scores = JSON.parse(r.stdout) as { documents: number; re: { f1: number; pairs: number } };
  assert.equal(scores.documents, 612);
  assert.equal(scores.re.pairs, REFERENCE.re.pairs, 'same candidate pairs as the reference');
  assert.ok(Math.abs(scores.re.f1 - REFERENCE.re.f1) <= 0.005, `micro F1 ${scores.re.f1}`);
});
