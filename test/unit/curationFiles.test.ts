import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportCuration, importPreannotations, readAnnotatedPath, readCuratedFolder } from '../../src/core/curation/importers';
import { readCuratedAnn, writeCuratedAnn } from '../../src/core/formats/bratAnn';
import { readPubtator } from '../../src/core/formats/pubtator';
import { writeBiocXml } from '../../src/core/formats/biocXml';
import { writeBiocJson } from '../../src/core/formats/bioc';
import type { AnnotatedDocument } from '../../src/core/formats/document';
import { CurationSession, nodeCurationIo } from '../../src/host/curationSession';
import { CurationWorkspace } from '../../src/host/curationWorkspace';
import type { CurationState } from '../../src/core/curation/types';

const PUBTATOR = [
  '10021369|t|Identification of APC2, a homologue of the adenomatous polyposis coli tumour suppressor.',
  '10021369|a|The adenomatous polyposis coli (APC) tumour-suppressor protein controls the Wnt signalling pathway. Aspirin 🧪 blocks it.',
  '10021369\t18\t22\tAPC2\tGENE\t10297',
  '10021369\t190\t197\tAspirin\tCHEMICAL\tMESH:D001241',
  '',
].join('\n');

function doc(): AnnotatedDocument {
  const text = 'Aspirin 🧪 inhibits COX-1 and PTGS2.';
  const at = (w: string) => ({ start: text.indexOf(w), end: text.indexOf(w) + w.length, text: w });
  return {
    id: 'doc-α',
    text,
    entities: [
      { label: 'CHEMICAL', score: 0.9, ...at('Aspirin') },
      { label: 'GENE', score: 0.8, ...at('COX-1') },
      { label: 'GENE', score: 0.7, ...at('PTGS2') },
    ],
    relations: [
      {
        label: 'CPR:4',
        score: 0.6,
        chemical: { label: 'CHEMICAL', score: 0.9, ...at('Aspirin') },
        gene: { label: 'GENE', score: 0.8, ...at('COX-1') },
        sentence: { start: 0, end: text.length },
      },
    ],
  };
}

function temp(): string {
  return mkdtempSync(join(tmpdir(), 'biom-curation-files-'));
}

test('pre-annotations from PubTator, BioC JSON, BioC XML and brat become suggestions to curate', () => {
  const dir = temp();
  try {
    const inputs = join(dir, 'in');
    mkdirSync(inputs);
    writeFileSync(join(inputs, 'a.pubtator'), PUBTATOR);
    writeFileSync(join(inputs, 'b.json'), writeBiocJson([doc()]));
    writeFileSync(join(inputs, 'c.xml'), writeBiocXml([{ ...doc(), id: 'doc-xml' }], '2026-11-27'));
    const bratText = 'TNF-α blocks COX-2.';
    writeFileSync(join(inputs, 'd.txt'), bratText);
    writeFileSync(join(inputs, 'd.ann'), 'T1\tGENE 0 5\tTNF-α\nT2\tGENE 13 18\tCOX-2\nR1\tCPR:3 Arg1:T1 Arg2:T2\n');
    for (const [name, entities, relations] of [
      ['a.pubtator', 2, 0],
      ['b.json', 3, 1],
      ['c.xml', 3, 1],
      ['d.ann', 2, 1],
    ] as const) {
      const out = join(dir, `out-${name}`);
      mkdirSync(out);
      const summary = importPreannotations(join(inputs, name), out);
      assert.deepEqual(summary.problems, [], name);
      assert.equal(summary.documents, 1, name);
      assert.equal(summary.entities, entities, name);
      assert.equal(summary.relations, relations, name);
      assert.equal(summary.byStatus.suggested, entities, name);
      const [pair] = readCuratedFolder(out).documents;
      assert.ok(
        pair.state.entities.every((e) => e.status === 'suggested' && e.score !== undefined && pair.text.slice(e.start, e.end) === e.text),
        name,
      );
      if (name === 'a.pubtator') assert.deepEqual(pair.state.entities[1].ids?.[0].id, 'MESH:D001241');
      // Importing again never replaces what is there (the curator may have started).
      const again = importPreannotations(join(inputs, name), out);
      assert.equal(again.documents, 0);
      assert.equal(again.skipped?.length, 1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('export writes decisions only (or everything with status) to every format, with a summary', () => {
  const dir = temp();
  try {
    const text = doc().text;
    const at = (w: string) => ({ start: text.indexOf(w), end: text.indexOf(w) + w.length, text: w });
    const state: CurationState = {
      entities: [
        { id: 'T1', label: 'CHEMICAL', ...at('Aspirin'), status: 'accepted', score: 0.9, model: 'm' },
        { id: 'T2', label: 'GENE', ...at('COX-1'), status: 'rejected', score: 0.8, model: 'm' },
        { id: 'T3', label: 'GENE', ...at('PTGS2'), status: 'added' },
        { id: 'T4', label: 'GENE', ...at('inhibits'), status: 'suggested', score: 0.2, model: 'm' },
      ],
      relations: [
        { id: 'R1', label: 'CPR:4', chemical: 'T1', gene: 'T3', status: 'accepted' },
        { id: 'R2', label: 'CPR:4', chemical: 'T1', gene: 'T2', status: 'accepted' },
      ],
    };
    const records = [{ id: 'doc1', text, state }];
    const pubtator = exportCuration(records, 'pubtator', join(dir, 'out.pubtator'));
    assert.deepEqual(pubtator.byStatus, { suggested: 0, accepted: 1, rejected: 0, added: 1 });
    assert.equal(pubtator.relations, 1, 'a relation to a rejected mention is not gold');
    const back = readPubtator(readFileSync(join(dir, 'out.pubtator'), 'utf8'));
    assert.deepEqual(
      back[0].entities.map((e) => e.text),
      ['Aspirin', 'PTGS2'],
    );
    assert.throws(() => exportCuration(records, 'conll', join(dir, 'x.conll'), { scope: 'all' }), /cannot keep a review status/);
    exportCuration(records, 'conll', join(dir, 'out.conll'));
    assert.match(readFileSync(join(dir, 'out.conll'), 'utf8'), /^PTGS2\tB-GENE$/m);
    const all = exportCuration(records, 'bioc-json', join(dir, 'out.json'), { scope: 'all' });
    assert.equal(all.entities, 4);
    const bioc = readAnnotatedPath(join(dir, 'out.json')).documents[0];
    assert.deepEqual(
      bioc.state.entities.map((e) => e.status),
      ['accepted', 'rejected', 'added', 'suggested'],
    );
    mkdirSync(join(dir, 'brat'));
    const brat = exportCuration(records, 'brat', join(dir, 'brat'), { scope: 'all' });
    assert.equal(brat.files.length, 2);
    assert.deepEqual(readCuratedAnn(text, readFileSync(join(dir, 'brat', 'doc1.ann'), 'utf8')).state.entities.length, 4);
    // An existing export is kept unless asked to replace it.
    assert.throws(() => exportCuration(records, 'pubtator', join(dir, 'out.pubtator')), /already exists/);
    exportCuration(records, 'pubtator', join(dir, 'out.pubtator'), { overwrite: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('workspace bulk: every document of the folder, open ones through their session, malformed ones untouched', () => {
  const dir = temp();
  try {
    const texts = ['Aspirin and aspirin.', 'No Aspirin here? Aspirin!', 'Aspirin.'];
    const states: CurationState[] = texts.map((t) => ({
      entities: [...t.matchAll(/Aspirin/g)].map((m, i) => ({
        id: `T${i + 1}`,
        label: 'CHEMICAL',
        start: m.index,
        end: m.index + 7,
        text: 'Aspirin',
        status: 'suggested' as const,
        score: 0.9,
        model: 'm',
      })),
      relations: [],
    }));
    mkdirSync(join(dir, 'sub'));
    const paths = [join(dir, 'a.txt'), join(dir, 'sub', 'b.txt'), join(dir, 'c.txt')];
    paths.forEach((p, i) => {
      writeFileSync(p, texts[i]);
      writeFileSync(p.replace(/\.txt$/, '.ann'), writeCuratedAnn(texts[i], states[i]));
    });
    const malformed = 'T1\tCHEMICAL 0 7\tAspirin\nbroken line\n';
    writeFileSync(join(dir, 'c.ann'), malformed);
    const session = new CurationSession({ uri: 'a', textPath: paths[0], text: texts[0], io: { ...nodeCurationIo, setTimer: () => 0 } });
    session.open();
    const workspace = new CurationWorkspace({ sessions: () => [session] });
    const result = workspace.bulk(dir, { text: 'Aspirin', label: 'CHEMICAL' }, 'accept');
    assert.equal(result.documents, 2);
    assert.equal(result.entities, 3);
    assert.deepEqual(result.files, [join(dir, 'sub', 'b.ann')]);
    assert.deepEqual(
      result.problems.map((p) => [p.file, p.line]),
      [[join(dir, 'c.ann'), 2]],
    );
    assert.equal(readFileSync(join(dir, 'c.ann'), 'utf8'), malformed);
    assert.ok(
      readCuratedAnn(texts[1], readFileSync(join(dir, 'sub', 'b.ann'), 'utf8')).state.entities.every((e) => e.status === 'accepted'),
    );
    assert.equal(session.state.entities[0].status, 'accepted');
    assert.equal(session.hasUnsavedChanges, true);
    session.undo();
    assert.equal(session.state.entities[0].status, 'suggested', 'one undo step in the open document');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('BioC annotation ids that are not brat ids become T/R ids on import, relations following them', () => {
  const dir = temp();
  try {
    const text = 'Aspirin inhibits COX-1.';
    const collection = {
      documents: [
        {
          id: '42',
          passages: [
            {
              offset: 0,
              text,
              annotations: [
                { id: '7', infons: { type: 'Chemical' }, text: 'Aspirin', locations: [{ offset: 0, length: 7 }] },
                { id: 'g1', infons: { type: 'Gene' }, text: 'COX-1', locations: [{ offset: 17, length: 5 }] },
              ],
            },
          ],
          relations: [
            {
              id: 'x',
              infons: { type: 'CPR:4' },
              nodes: [
                { refid: '7', role: 'Chemical' },
                { refid: 'g1', role: 'Gene' },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'in.json'), JSON.stringify(collection));
    mkdirSync(join(dir, 'out'));
    importPreannotations(join(dir, 'in.json'), join(dir, 'out'));
    const ann = readFileSync(join(dir, 'out', '42.ann'), 'utf8');
    assert.match(ann, /^T1\tChemical 0 7\tAspirin$/m);
    assert.match(ann, /^T2\tGene 17 22\tCOX-1$/m);
    assert.match(ann, /^R1\tCPR:4 Arg1:T1 Arg2:T2$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
