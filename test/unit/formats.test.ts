import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnnotatedDocument } from '../../src/core/formats/document';
import { readPubtator, writePubtator } from '../../src/core/formats/pubtator';
import { writeBratAnnotations } from '../../src/core/formats/brat';
import { writeBiocJson } from '../../src/core/formats/bioc';
import { writeBiocXml } from '../../src/core/formats/biocXml';
import { writeConll } from '../../src/core/formats/conll';
import type { Entity } from '../../src/core/types';

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
  assert.deepEqual(
    back.entities.map((e) => [e.label, e.text, e.start]),
    doc.entities.map((e) => [e.label, e.text, e.start]),
  );
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
  const bioc = JSON.parse(
    writeBiocJson([
      {
        ...doc,
        passages: [
          { type: 'title', start: 0, end: 20 },
          { type: 'abstract', start: 20, end: text.length },
        ],
      },
    ]),
  ) as {
    documents: {
      passages: { offset: number; annotations: { locations: { offset: number; length: number }[] }[] }[];
      relations: { nodes: { refid: string }[] }[];
    }[];
  };
  const [d] = bioc.documents;
  assert.deepEqual(
    d.passages.map((p) => [p.offset, p.annotations.length]),
    [
      [0, 2],
      [19, 2],
    ],
  );
  assert.deepEqual(d.passages[0].annotations[1].locations, [{ offset: 14, length: 5 }]);
  assert.deepEqual(
    d.relations[0].nodes.map((n) => n.refid),
    ['T3', 'T4'],
  );
});

test('BioC JSON and XML keep text that no listed passage covers (PubTator lists only the title), and a document always has a passage', () => {
  const [fromPubtator] = readPubtator('7|t|Aspirin and COX-2\n7|a|Aspirin inhibits COX-2.\n7\t0\t7\tAspirin\tChemical\tMESH:D001241\n');
  const json = JSON.parse(writeBiocJson([fromPubtator])) as {
    documents: { passages: { infons: { type: string }; offset: number; text: string }[] }[];
  };
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
  assert.deepEqual(lines.slice(0, 9), [
    '-DOCSTART-\tdoc1',
    '',
    'Aspirin\tB-CHEMICAL',
    '💊\tO',
    'and\tO',
    'COX\tB-GENE',
    '-\tI-GENE',
    '2\tI-GENE',
    'Aspirin\tB-CHEMICAL',
  ]);
});

test('CoNLL: token-level labels (aggregation "none") keep their own B-/I- structure', () => {
  const t = 'tyrosine kinase inhibitors';
  const tokens: Entity[] = [
    { label: 'B-GENE', score: 1, start: 0, end: 8, text: 'tyrosine' },
    { label: 'I-GENE', score: 1, start: 9, end: 15, text: 'kinase' },
  ];
  assert.deepEqual(
    writeConll([{ id: 'x', text: t, entities: tokens }])
      .split('\n')
      .slice(2, 5),
    ['tyrosine\tB-GENE', 'kinase\tI-GENE', 'inhibitors\tO'],
  );
});

// ---- Whole outputs, computed by hand: every offset, separator and field a reader of these formats relies on. ----

const windowsDoc = (): AnnotatedDocument => {
  const t = 'Title\twith 😀 Imatinib\r\nABL is inhibited by imatinib.';
  const at = (mention: string, from = 0): Entity => {
    const start = t.indexOf(mention, from);
    return { label: /^[A-Z]+$/.test(mention) ? 'GENE' : 'CHEMICAL', score: 0.87654, start, end: start + mention.length, text: mention };
  };
  const imatinib = at('imatinib');
  const abl = at('ABL');
  return {
    id: 'p|1\t2',
    text: t,
    entities: [at('Imatinib'), abl, imatinib],
    relations: [{ label: 'CPR:4', score: 0.5, chemical: imatinib, gene: abl, sentence: { start: 24, end: t.length } }],
  };
};

test('PubTator: title and abstract split at the first line break (CRLF), code points, ids made safe, relations', () => {
  const second: AnnotatedDocument = { id: 'd2', text: 'Only a title', entities: [] };
  assert.equal(
    writePubtator([windowsDoc(), second]),
    [
      'p_1_2|t|Title with 😀 Imatinib',
      'p_1_2|a|ABL is inhibited by imatinib.',
      'p_1_2\t13\t21\tImatinib\tCHEMICAL',
      'p_1_2\t22\t25\tABL\tGENE',
      'p_1_2\t42\t50\timatinib\tCHEMICAL',
      'p_1_2\tCPR:4\t42-50\t22-25',
      '',
      'd2|t|Only a title',
      'd2|a|',
      '',
    ].join('\n'),
  );
  // A title passage sets the split; the abstract starts one character after it.
  const passages: AnnotatedDocument = {
    id: 'x',
    text: 'Ab. Cd ef',
    passages: [{ type: 'title', start: 0, end: 3 }],
    entities: [{ label: 'G', score: 1, start: 7, end: 9, text: 'ef' }],
  };
  assert.equal(writePubtator([passages]), 'x|t|Ab.\nx|a|Cd ef\nx\t7\t9\tef\tG\n');
  const whole: AnnotatedDocument = { id: 'y', text: 'Ab', passages: [{ type: 'title', start: 0, end: 2 }], entities: [] };
  assert.equal(writePubtator([whole]), 'y|t|Ab\ny|a|\n');
});

test('PubTator reader: UTF-16 entities of title + " " + abstract, CRLF, several documents, bad lines', () => {
  const docs = readPubtator(
    writePubtator([windowsDoc()]).replace(/\n/g, '\r\n') +
      'd2|t|T\r\nd2|a|\r\nd2\t0\t1\tT\tGENE\r\nd2\tx\t1\tT\tGENE\r\nd2\t0\t99\tT\tGENE\r\nd2\t0\t1\tT\r\n',
  );
  assert.equal(docs.length, 2);
  const [a, b] = docs;
  assert.equal(a.id, 'p_1_2');
  assert.equal(a.text, 'Title with 😀 Imatinib ABL is inhibited by imatinib.');
  assert.deepEqual(a.passages, [{ type: 'title', start: 0, end: 22 }]);
  assert.deepEqual(
    a.entities.map((e) => [e.label, e.start, e.end, e.text, e.score]),
    [
      ['CHEMICAL', 14, 22, 'Imatinib', 1],
      ['GENE', 23, 26, 'ABL', 1],
      ['CHEMICAL', 43, 51, 'imatinib', 1],
    ],
  );
  // Non-numeric offsets and short lines are skipped; an offset past the end is clamped to it.
  assert.equal(b.text, 'T ');
  assert.deepEqual(
    b.entities.map((e) => [e.start, e.end, e.text]),
    [
      [0, 1, 'T'],
      [0, 2, 'T '],
    ],
  );
  // A new PMID without a blank line starts a new document; a missing abstract line reads as empty.
  const two = readPubtator('1|t|One\n1\t0\t3\tOne\tCHEMICAL\n2|t|Two\n2|a|B\n');
  assert.deepEqual(
    two.map((d) => [d.id, d.text, d.entities.length]),
    [
      ['1', 'One ', 1],
      ['2', 'Two B', 0],
    ],
  );
  assert.deepEqual(readPubtator(''), []);
  assert.throws(
    () => readPubtator('1|t|One\n\n1\t0\t3\tOne\tGENE\n'),
    /^InputError: PubTator line 3: expected "PMID\|t\|…" before annotations$/,
  );
  assert.throws(() => readPubtator('1|t|One\n2\t0\t3\tOne\tGENE\n'), /PubTator line 2: expected "1\|t\|…" before annotations/);
});

test('brat: every line of the .ann file, label spaces, fragments across CRLF, unknown relation ends', () => {
  assert.equal(
    writeBratAnnotations(doc),
    [
      'T1\tCHEMICAL 0 7\tAspirin',
      'T2\tGENE 14 19\tCOX-2',
      'T3\tCHEMICAL 20 27\tAspirin',
      'T4\tGENE 37 42\tCOX-2',
      'R1\tCPR:4 Arg1:T3 Arg2:T4',
      '#1\tAnnotatorNotes T1\tscore 0.9000',
      '#2\tAnnotatorNotes T2\tscore 0.9000',
      '#3\tAnnotatorNotes T3\tscore 0.9000',
      '#4\tAnnotatorNotes T4\tscore 0.9000',
      '',
    ].join('\n'),
  );
  const t = 'ab\r\ncd 😀x';
  const stray = { label: 'GENE', score: 1, start: 8, end: 9, text: 'x' };
  const out = writeBratAnnotations({
    id: 'z',
    text: t,
    entities: [
      { label: 'GENE PRODUCT', score: 0.12345, start: 1, end: 5, text: 'b\r\nc' },
      { label: 'X', score: 1, start: 8, end: 9, text: 'x' },
    ],
    relations: [
      { label: 'CPR:9', score: 1, chemical: { ...stray, start: 0, end: 1 }, gene: stray, sentence: { start: 0, end: 9 } },
      { label: 'CPR 3', score: 1, chemical: { ...stray, start: 1, end: 5 }, gene: stray, sentence: { start: 0, end: 9 } },
    ],
  });
  assert.equal(
    out,
    'T1\tGENE_PRODUCT 1 2;4 5\tb c\nT2\tX 7 8\tx\nR2\tCPR_3 Arg1:T1 Arg2:T2\n#1\tAnnotatorNotes T1\tscore 0.1235\n#2\tAnnotatorNotes T2\tscore 1.0000\n',
  );
  assert.equal(writeBratAnnotations({ id: 'e', text: '', entities: [] }), '');
  // A mention that starts or ends at a line break has no empty fragment.
  assert.equal(
    writeBratAnnotations({ id: 'n', text: 'a\nb', entities: [{ label: 'G', score: 1, start: 0, end: 2, text: 'a\n' }] }).split('\n')[0],
    'T1\tG 0 1\ta ',
  );
  assert.equal(
    writeBratAnnotations({ id: 'n', text: 'a\nb', entities: [{ label: 'G', score: 1, start: 1, end: 3, text: '\nb' }] }).split('\n')[0],
    'T1\tG 2 3\t b',
  );
});

test('BioC JSON: the whole collection (date aside), one passage when none are given, a custom source', () => {
  const out = writeBiocJson([doc], 'tester');
  assert.ok(out.endsWith('}\n'));
  assert.match(out, /^\{\n "source": "tester",\n "date": "\d{4}-\d{2}-\d{2}",/);
  const parsed = JSON.parse(out) as { date: string };
  assert.equal(parsed.date, new Date().toISOString().slice(0, 10));
  assert.deepEqual(
    { ...parsed, date: 'D' },
    {
      source: 'tester',
      date: 'D',
      key: 'biom-annotator.key',
      infons: {},
      documents: [
        {
          id: 'doc1',
          infons: {},
          passages: [
            {
              infons: { type: 'text' },
              offset: 0,
              text,
              annotations: [
                { id: 'T1', infons: { type: 'CHEMICAL', score: '0.9000' }, text: 'Aspirin', locations: [{ offset: 0, length: 7 }] },
                { id: 'T2', infons: { type: 'GENE', score: '0.9000' }, text: 'COX-2', locations: [{ offset: 14, length: 5 }] },
                { id: 'T3', infons: { type: 'CHEMICAL', score: '0.9000' }, text: 'Aspirin', locations: [{ offset: 20, length: 7 }] },
                { id: 'T4', infons: { type: 'GENE', score: '0.9000' }, text: 'COX-2', locations: [{ offset: 37, length: 5 }] },
              ],
              relations: [],
            },
          ],
          relations: [
            {
              id: 'R1',
              infons: { type: 'CPR:4', score: '0.8000' },
              nodes: [
                { refid: 'T3', role: 'Chemical' },
                { refid: 'T4', role: 'Gene' },
              ],
            },
          ],
        },
      ],
    },
  );
  assert.equal((JSON.parse(writeBiocJson([doc])) as { source: string }).source, 'BioM Annotator');
});

test('BioC JSON: an annotation belongs to the passage it starts in; text after the listed passages becomes a passage of its own', () => {
  const t = 'Ab cd. Ef gh.';
  const e = (start: number, end: number): Entity => ({ label: 'G', score: 1, start, end, text: t.slice(start, end) });
  const out = JSON.parse(
    writeBiocJson([
      {
        id: 'b',
        text: t,
        passages: [
          { type: 'title', start: 0, end: 6 },
          { type: 'abstract', start: 7, end: 10 },
        ],
        entities: [e(0, 2), e(6, 9), e(7, 9), e(10, 12)],
      },
    ]),
  ) as { documents: { passages: { infons: { type: string }; offset: number; text: string; annotations: { id: string }[] }[] }[] };
  assert.deepEqual(
    out.documents[0].passages.map((p) => [p.infons.type, p.offset, p.text, p.annotations.map((a) => a.id)]),
    [
      ['title', 0, 'Ab cd.', ['T1', 'T2']],
      ['abstract', 7, 'Ef ', ['T3']],
      ['text', 10, 'gh.', ['T4']],
    ],
  );
});

test('CoNLL: several documents and sentences, B/I per entity, tokens outside entities, entities sorted first', () => {
  const t = 'EGFR binds gefitinib. Tyrosine kinase (TK) works!';
  const e = (label: string, mention: string): Entity => {
    const start = t.indexOf(mention);
    return { label, score: 1, start, end: start + mention.length, text: mention };
  };
  const out = writeConll([
    { id: 'c1', text: t, entities: [e('GENE', 'Tyrosine kinase'), e('CHEMICAL', 'gefitinib'), e('GENE', 'EGFR'), e('GENE', 'TK')] },
    { id: 'c2', text: 'No entities here.', entities: [] },
  ]);
  assert.equal(
    out,
    [
      '-DOCSTART-\tc1',
      '',
      'EGFR\tB-GENE',
      'binds\tO',
      'gefitinib\tB-CHEMICAL',
      '.\tO',
      '',
      'Tyrosine\tB-GENE',
      'kinase\tI-GENE',
      '(\tO',
      'TK\tB-GENE',
      ')\tO',
      'works\tO',
      '!\tO',
      '',
      '-DOCSTART-\tc2',
      '',
      'No\tO',
      'entities\tO',
      'here\tO',
      '.\tO',
      '',
    ].join('\n'),
  );
  // Two adjacent entities of one type stay two (B, B); a token that only partly overlaps an entity is inside it.
  const u = 'ab cd';
  assert.equal(
    writeConll([
      {
        id: 'u',
        text: u,
        entities: [
          { label: 'G', score: 1, start: 0, end: 2, text: 'ab' },
          { label: 'G', score: 1, start: 3, end: 4, text: 'c' },
        ],
      },
    ]),
    '-DOCSTART-\tu\n\nab\tB-G\ncd\tB-G\n',
  );
  // Token-level labels: an I- token continues only an entity of the same type just before it.
  const v = 'aa bb cc dd';
  const tok = (label: string, start: number): Entity => ({ label, score: 1, start, end: start + 2, text: v.slice(start, start + 2) });
  assert.equal(
    writeConll([{ id: 'v', text: v, entities: [tok('B-GENE', 0), tok('I-CHEMICAL', 3), tok('I-CHEMICAL', 6), tok('I-GENE', 9)] }]),
    '-DOCSTART-\tv\n\naa\tB-GENE\nbb\tB-CHEMICAL\ncc\tI-CHEMICAL\ndd\tB-GENE\n',
  );
  assert.equal(writeConll([]), '');
  assert.equal(writeConll([{ id: 'w', text: '', entities: [] }]), '-DOCSTART-\tw\n');
});

test('PubTator edge cases: an abstract without a title line, whitespace-only separators, only the last CR dropped, odd offsets', () => {
  assert.deepEqual(
    readPubtator('7|a|Only abstract\n').map((d) => [d.id, d.text]),
    [['7', ' Only abstract']],
  );
  const docs = readPubtator(
    '1|t|AB\r\n1|a|x\r\n   \r\n2|t|T\n2\t0\t1\tT\r\tGENE\r\n2\t0a\t1\tT\tGENE\n2\ta0\t1\tT\tGENE\n2\t0\t1a\tT\tGENE\n2\t0\ta1\tT\tGENE\n2\t0\t3\tx|a|y\tGENE\n',
  );
  assert.deepEqual(
    docs.map((d) => [d.id, d.text]),
    [
      ['1', 'AB x'],
      ['2', 'T '],
    ],
  );
  assert.deepEqual(
    docs[1].entities.map((e) => [e.start, e.end, e.label]),
    [
      [0, 1, 'GENE'],
      [0, 2, 'GENE'],
    ],
    'offsets must be whole numbers; a mention may hold "|a|"',
  );
});

test('title and abstract: only a passage of type "title" counts; a text that starts with a line break has an empty title', () => {
  const abstractOnly: AnnotatedDocument = {
    id: 'a',
    text: 'One two\nThree',
    passages: [{ type: 'abstract', start: 0, end: 3 }],
    entities: [],
  };
  assert.equal(writePubtator([abstractOnly]), 'a|t|One two\na|a|Three\n');
  assert.equal(writePubtator([{ id: 'b', text: '\nBody text', entities: [] }]), 'b|t|\nb|a|Body text\n');
});

test('BioC relations point at the entity with the same start and end, not at one that only shares a start or an end', () => {
  const t = 'Aspirin inhibits COX-2.';
  const e = (label: string, start: number, end: number): Entity => ({ label, score: 1, start, end, text: t.slice(start, end) });
  const chemical = e('CHEMICAL', 0, 7);
  const gene = e('GENE', 17, 22);
  const entities = [e('CHEMICAL', 0, 3), e('CHEMICAL', 4, 7), e('GENE', 17, 20), e('GENE', 19, 22), chemical, gene];
  const out = JSON.parse(
    writeBiocJson([
      { id: 'r', text: t, entities, relations: [{ label: 'CPR:4', score: 1, chemical, gene, sentence: { start: 0, end: 23 } }] },
    ]),
  ) as {
    documents: { relations: { nodes: { refid: string }[] }[] }[];
  };
  assert.deepEqual(
    out.documents[0].relations[0].nodes.map((n) => n.refid),
    ['T5', 'T6'],
  );
});

test('CoNLL: an entity right after another with no space between; a type that contains "B-" is not cut', () => {
  const t = 'COX-2 x';
  assert.equal(
    writeConll([
      {
        id: 'k',
        text: t,
        entities: [
          { label: 'G', score: 1, start: 0, end: 3, text: 'COX' },
          { label: 'AB-C', score: 1, start: 3, end: 5, text: '-2' },
        ],
      },
    ]),
    '-DOCSTART-\tk\n\nCOX\tB-G\n-\tB-AB-C\n2\tI-AB-C\nx\tO\n',
  );
});
