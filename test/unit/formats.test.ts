import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { AnnotatedDocument } from '../../src/core/formats/document';
import { readPubtator, writePubtator } from '../../src/core/formats/pubtator';
import { writeBratAnnotations } from '../../src/core/formats/brat';
import { writeBiocJson } from '../../src/core/formats/bioc';
import { writeBiocXml } from '../../src/core/formats/biocXml';
import { writeConll } from '../../src/core/formats/conll';
import type { Entity } from '../../src/core/types';
import { biom } from '../helpers/cli';

const text = 'Aspirin 💊 and COX-2\nAspirin inhibits COX-2 in platelets.';
const entity = (label: string, mention: string, from = 0): Entity => {
  const start = text.indexOf(mention, from);
  return { label, score: 0.9, start, end: start + mention.length, text: mention };
};
const chemical = entity('CHEMICAL', 'Aspirin', 20);
const gene = entity('GENE', 'COX-2', 20);
const doc: AnnotatedDocument = {
  id: 'doc1',
  text,
  entities: [entity('CHEMICAL', 'Aspirin'), entity('GENE', 'COX-2'), chemical, gene],
  relations: [{ label: 'CPR:4', score: 0.8, chemical, gene, sentence: { start: 20, end: text.length } }],
};

test('PubTator: offsets are code points of title + " " + abstract, and reading it back gives the same entities', () => {
  const out = writePubtator([doc]);
  const lines = out.trim().split('\n');
  assert.equal(lines[0], 'doc1|t|Aspirin 💊 and COX-2');
  assert.equal(lines[1], 'doc1|a|Aspirin inhibits COX-2 in platelets.');
  // "COX-2" in the title starts after the emoji: UTF-16 offset 15, code point 14.
  assert.deepEqual(lines[3].split('\t'), ['doc1', '14', '19', 'COX-2', 'GENE']);
  assert.deepEqual(lines[6].split('\t'), ['doc1', 'CPR:4', '20-27', '37-42']);
  const [back] = readPubtator(out);
  assert.equal(back.text, text.replace('\n', ' '));
  assert.deepEqual(back.entities.map((e) => [e.label, e.text, e.start]), doc.entities.map((e) => [e.label, e.text, e.start]));
});

test('brat: T lines with code-point offsets, relations as R lines, scores as notes', () => {
  const ann = writeBratAnnotations(doc).trim().split('\n');
  assert.equal(ann[1], 'T2\tGENE 14 19\tCOX-2');
  assert.equal(ann[4], 'R1\tCPR:4 Arg1:T3 Arg2:T4');
  assert.match(ann[5], /^#1\tAnnotatorNotes T1\tscore 0\.9000$/);
  const across = writeBratAnnotations({ id: 'x', text: 'ab\ncd', entities: [{ label: 'GENE', score: 1, start: 1, end: 4, text: 'b\nc' }] });
  assert.equal(across.split('\n')[0], 'T1\tGENE 1 2;3 4\tb c', 'a mention across a line break is discontinuous');
});

test('BioC JSON: passages, annotations with code-point locations, relations with role nodes', () => {
  const bioc = JSON.parse(writeBiocJson([{ ...doc, passages: [{ type: 'title', start: 0, end: 20 }, { type: 'abstract', start: 20, end: text.length }] }])) as {
    documents: { passages: { offset: number; annotations: { locations: { offset: number; length: number }[] }[] }[]; relations: { nodes: { refid: string }[] }[] }[];
  };
  const [d] = bioc.documents;
  assert.deepEqual(d.passages.map((p) => [p.offset, p.annotations.length]), [[0, 2], [19, 2]]);
  assert.deepEqual(d.passages[0].annotations[1].locations, [{ offset: 14, length: 5 }]);
  assert.deepEqual(d.relations[0].nodes.map((n) => n.refid), ['T3', 'T4']);
});

test('BioC JSON and XML keep text that no listed passage covers (PubTator lists only the title), and a document always has a passage', () => {
  const [fromPubtator] = readPubtator('7|t|Aspirin and COX-2\n7|a|Aspirin inhibits COX-2.\n7\t0\t7\tAspirin\tChemical\tMESH:D001241\n');
  const json = JSON.parse(writeBiocJson([fromPubtator])) as { documents: { passages: { infons: { type: string }; offset: number; text: string }[] }[] };
  assert.deepEqual(
    json.documents[0].passages.map((p) => [p.infons.type, p.offset, p.text]),
    [
      ['title', 0, 'Aspirin and COX-2'],
      ['abstract', 18, 'Aspirin inhibits COX-2.'],
    ],
  );
  const xml = writeBiocXml([fromPubtator], '2026-11-27');
  assert.match(xml, /<infon key="type">abstract<\/infon><offset>18<\/offset><text>Aspirin inhibits COX-2\.<\/text>/);
  assert.match(xml, /<infon key="identifier">MESH:D001241<\/infon>/);
  const empty = JSON.parse(writeBiocJson([{ id: 'e', text: '', entities: [] }])) as { documents: { passages: unknown[] }[] };
  assert.equal(empty.documents[0].passages.length, 1);
});

test('CoNLL: tokens with IOB labels, one sentence per block', () => {
  const lines = writeConll([doc]).split('\n');
  assert.deepEqual(lines.slice(0, 9), ['-DOCSTART-\tdoc1', '', 'Aspirin\tB-CHEMICAL', '💊\tO', 'and\tO', 'COX\tB-GENE', '-\tI-GENE', '2\tI-GENE', 'Aspirin\tB-CHEMICAL']);
});

test('CoNLL: token-level labels (aggregation "none") keep their own B-/I- structure', () => {
  const t = 'tyrosine kinase inhibitors';
  const tokens: Entity[] = [
    { label: 'B-GENE', score: 1, start: 0, end: 8, text: 'tyrosine' },
    { label: 'I-GENE', score: 1, start: 9, end: 15, text: 'kinase' },
  ];
  assert.deepEqual(writeConll([{ id: 'x', text: t, entities: tokens }]).split('\n').slice(2, 5), ['tyrosine\tB-GENE', 'kinase\tI-GENE', 'inhibitors\tO']);
});

test('biom annotate: a whole folder to brat files and to PubTator, a bad file reported without stopping', () => {
  const dir = mkdtempSync(join(tmpdir(), 'biom-annotate-'));
  try {
    mkdirSync(join(dir, 'in', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'in', 'a.txt'), 'Gefitinib inhibits EGFR tyrosine kinase activity.');
    writeFileSync(join(dir, 'in', 'sub', 'b.txt'), 'Aspirin blocked COX-2 in platelets.');
    writeFileSync(join(dir, 'in', 'broken.pubtator'), 'no header line\n1\t0\t3\tx\tGENE\n');
    const brat = biom(['annotate', join(dir, 'in'), '--format', 'brat', '--out', join(dir, 'out')]);
    assert.equal(brat.code, 1, 'one file failed');
    assert.match(brat.stderr, /broken\.pubtator:1 \(byte 0\): skipped, malformed: PubTator line 1/);
    for (const name of ['a', join('sub', 'b')]) {
      assert.ok(existsSync(join(dir, 'out', `${name}.txt`)));
      const ann = readFileSync(join(dir, 'out', `${name}.ann`), 'utf8');
      assert.match(ann, /^T1\t(CHEMICAL|GENE) \d+ \d+\t/m);
    }
    const pubtator = biom(['annotate', join(dir, 'in', 'a.txt'), '--format', 'pubtator', '--no-relations']);
    assert.equal(pubtator.code, 0, pubtator.stderr);
    assert.match(pubtator.stdout, /^a\|t\|Gefitinib inhibits/);
    assert.match(pubtator.stdout, /^a\t0\t9\tGefitinib\tCHEMICAL$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
