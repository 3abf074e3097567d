// Ids reach every output: PubTator id column, BioC infons, brat N lines, JSON, the hover and the worker protocol.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AnnotatedDocument } from '../../src/core/formats/document';
import { pubtatorIdColumn, readIdColumn, readPubtator, writePubtator } from '../../src/core/formats/pubtator';
import { writeBiocJson } from '../../src/core/formats/bioc';
import { writeBratAnnotations } from '../../src/core/formats/brat';
import { normalizeDocument } from '../../src/core/normalize/bundled';
import { hoverMarkdown, recordUrl } from '../../src/extension/hover/hoverContent';
import { WorkerState } from '../../src/worker/main';
import type { WorkerMessage, WorkerSettings } from '../../src/shared/workerProtocol';
import type { Entity } from '../../src/core/types';

const text = 'Dextromethorphan (DM) inhibits EGFR.\nDM is safe.';
const raw: Entity[] = [
  { label: 'CHEMICAL', score: 0.91, start: 0, end: 16, text: 'Dextromethorphan' },
  { label: 'CHEMICAL', score: 0.8, start: 18, end: 20, text: 'DM' },
  { label: 'GENE', score: 0.7, start: 31, end: 35, text: 'EGFR' },
  { label: 'CHEMICAL', score: 0.6, start: 37, end: 39, text: 'DM' },
];
const doc: AnnotatedDocument = {
  id: '123',
  text,
  passages: [{ type: 'title', start: 0, end: 36 }],
  entities: normalizeDocument(text, raw, {}),
};

describe('formats carry ids', () => {
  it('PubTator: MeSH as MESH:D…, genes as the NCBI Gene number, read back as the same ids', () => {
    const lines = writePubtator([doc]).trim().split('\n');
    assert.deepEqual(lines[2].split('\t'), ['123', '0', '16', 'Dextromethorphan', 'CHEMICAL', 'MESH:D003915']);
    assert.deepEqual(lines[4].split('\t'), ['123', '31', '35', 'EGFR', 'GENE', '1956']);
    const back = readPubtator(writePubtator([doc]));
    assert.deepEqual(
      back[0].entities.map((e) => e.ids?.map((x) => x.id)),
      [['MESH:D003915'], ['MESH:D003915'], ['NCBIGene:1956'], ['MESH:D003915']],
    );
    const plain = writePubtator([{ ...doc, entities: raw }])
      .trim()
      .split('\n');
    assert.equal(plain[2].split('\t').length, 5, 'no id column without ids');
  });

  it('PubTator id columns of annotated corpora: composites, taxon suffixes, -1', () => {
    assert.deepEqual(
      readIdColumn('D016651|C000002').map((x) => x.id),
      ['MESH:D016651', 'MESH:C000002'],
    );
    assert.deepEqual(
      readIdColumn('1956(Tax:9606),5594').map((x) => x.id),
      ['NCBIGene:1956', 'NCBIGene:5594'],
    );
    assert.deepEqual(readIdColumn('-1'), []);
    assert.deepEqual(readIdColumn(undefined), []);
    assert.equal(
      pubtatorIdColumn([
        { id: 'NCBIGene:5595', score: 1 },
        { id: 'HGNC:6877', score: 1 },
        { id: 'NCBIGene:5594', score: 1 },
      ]),
      '5595;5594',
    );
  });

  it('BioC: infons identifier (PubTator3 style), its score, the HGNC id and the name', () => {
    const bioc = JSON.parse(writeBiocJson([doc])) as { documents: { passages: { annotations: { infons: Record<string, string> }[] }[] }[] };
    const infons = bioc.documents[0].passages.flatMap((p) => p.annotations.map((a) => a.infons));
    assert.equal(infons[0].identifier, 'MESH:D003915');
    assert.equal(infons[0].name, 'Dextromethorphan');
    assert.equal(infons[2].identifier, '1956');
    assert.equal(infons[2].hgnc, 'HGNC:3236');
    assert.ok(Number(infons[2].identifier_score) > 0.9);
  });

  it('brat: one N line per id, "Reference T<n> DB:ID<TAB>name"', () => {
    const n = writeBratAnnotations(doc)
      .split('\n')
      .filter((l) => l.startsWith('N'));
    assert.deepEqual(n.slice(0, 2), ['N1\tReference T1 MESH:D003915\tDextromethorphan', 'N2\tReference T2 MESH:D003915\tDextromethorphan']);
    assert.ok(n.includes('N3\tReference T3 NCBIGene:1956\tEGFR'));
    assert.ok(n.includes('N4\tReference T3 HGNC:3236\tEGFR'));
    assert.equal(
      writeBratAnnotations({ ...doc, entities: raw })
        .split('\n')
        .filter((l) => l.startsWith('N')).length,
      0,
    );
  });

  it('JSON: entities carry ids with score, name and matched name', () => {
    const json = JSON.parse(JSON.stringify(doc.entities[1])) as Entity;
    assert.equal(json.ids?.[0].id, 'MESH:D003915');
    assert.equal(json.ids?.[0].name, 'Dextromethorphan');
    assert.match(json.ids?.[0].matched ?? '', /abbreviation/);
    assert.ok((json.ids?.[0].score ?? 0) > 0.5);
  });
});

describe('hover with ids', () => {
  it('shows the id, the preferred name and links to the record instead of search links', () => {
    const md = hoverMarkdown({ entity: { ...doc.entities[2], model: 'ner' }, sentence: undefined, relations: [] });
    assert.match(md, /\*\*EGFR\*\*/);
    const targets = [...md.matchAll(/\]\((https:[^)\s]+)\)/g)].map((m) => m[1]);
    assert.deepEqual(targets, [
      'https://www.ncbi.nlm.nih.gov/gene/1956',
      'https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:3236',
    ]);
    const chem = hoverMarkdown({ entity: { ...doc.entities[0], model: 'ner' }, sentence: undefined, relations: [] });
    assert.ok(chem.includes('(https://meshb.nlm.nih.gov/record/ui?ui=D003915)'));
    assert.ok(!chem.includes('pubchem'), 'no search link where an id exists');
    const none = hoverMarkdown({ entity: { ...raw[0], model: 'ner' }, sentence: undefined, relations: [] });
    assert.ok(none.includes('pubchem'), 'search links without ids');
  });

  it('builds record links only for known id forms', () => {
    assert.equal(recordUrl('MESH:C000002'), 'https://meshb.nlm.nih.gov/record/ui?ui=C000002');
    assert.equal(recordUrl('MESH:D1) [x](javascript:alert(1)'), undefined);
    assert.equal(recordUrl('UniProt:P00533'), undefined);
  });
});

describe('worker normalize request', () => {
  it('answers with the entities and their ids; another gene species gives genes none', async () => {
    const settings: WorkerSettings = {
      threads: 1,
      idleReleaseMs: 60_000,
      maxBatchRows: 8,
      maxBatchTokens: 4096,
      shareBatches: true,
      testHooks: false,
    };
    const messages: WorkerMessage[] = [];
    const state = new WorkerState(settings, (m) => messages.push(m));
    state.onMessage({ type: 'request', id: 1, request: { kind: 'normalize', text, entities: raw } });
    state.onMessage({ type: 'request', id: 2, request: { kind: 'normalize', text, entities: raw, species: 'mouse' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const result = (id: number): Entity[] => (messages.find((m) => m.type === 'result' && m.id === id) as { result: Entity[] }).result;
    assert.equal(result(1)[3].ids?.[0].id, 'MESH:D003915');
    assert.equal(result(1)[2].ids?.[0].id, 'NCBIGene:1956');
    assert.deepEqual(result(2)[2].ids, []);
    assert.equal(result(2)[0].ids?.[0].id, 'MESH:D003915');
  });
});
