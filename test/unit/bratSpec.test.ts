// The curated .ann checked by a brat reader written here from brat's published standoff specification
// (brat "Annotation Data Format": ids are ([A-Za-z]|#)[0-9]+, tab-separated fields, offsets in characters of the .txt
// as Python counts them, i.e. code points; a text-bound annotation's fragments are "start end" pairs joined by ";" and
// its text field is the fragments' text joined by single spaces). Deliberately independent of src/core/formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeCuratedAnn } from '../../src/core/formats/bratAnn';
import { CurationDocument } from '../../src/core/curation/document';
import type { AnnotatedEntity } from '../../src/core/types';

interface SpecAnnotation {
  id: string;
  kind: string;
  fields: string[];
}

/** Parses a .ann as the spec describes and fails on anything the spec does not allow. */
function specRead(txt: string, ann: string): Map<string, SpecAnnotation> {
  const chars = Array.from(txt);
  const out = new Map<string, SpecAnnotation>();
  assert.ok(ann === '' || ann.endsWith('\n'), 'lines end with a newline');
  assert.ok(!ann.includes('\r'), 'no carriage returns inside the .ann');
  const lines = ann.split('\n').slice(0, -1);
  const refs: [string, string][] = [];
  for (const line of lines) {
    const tabs = line.split('\t');
    const id = tabs[0];
    assert.match(id, /^(?:[A-Za-z]|#)[0-9]+$|^\*$/, `id of: ${line}`);
    assert.ok(id === '*' || !out.has(id), `unique id ${id}`);
    const kind = id[0];
    if (kind === 'T') {
      assert.equal(tabs.length, 3, `T line has three fields: ${line}`);
      const m = /^([^\s]+) (\d+ \d+(?:;\d+ \d+)*)$/.exec(tabs[1]);
      assert.ok(m, `T annotation field: ${tabs[1]}`);
      const fragments = m[2].split(';').map((f) => f.split(' ').map(Number));
      const pieces = fragments.map(([s, e]) => {
        assert.ok(s < e && e <= chars.length, `offsets ${s} ${e} inside the text (${chars.length} code points)`);
        const piece = chars.slice(s, e).join('');
        assert.ok(!/[\r\n]/.test(piece), `a fragment never spans a line break: ${JSON.stringify(piece)}`);
        return piece;
      });
      assert.equal(tabs[2], pieces.join(' '), `text of ${id} equals the text at its offsets`);
    } else if (kind === 'R') {
      assert.equal(tabs.length, 2);
      const m = /^(\S+) Arg1:(\S+) Arg2:(\S+)$/.exec(tabs[1]);
      assert.ok(m, `R annotation field: ${tabs[1]}`);
      refs.push([id, m[2]], [id, m[3]]);
    } else if (kind === 'A' || kind === 'M') {
      assert.equal(tabs.length, 2);
      const m = /^(\S+) (\S+)(?: (\S+))?$/.exec(tabs[1]);
      assert.ok(m, `attribute field: ${tabs[1]}`);
      refs.push([id, m[2]]);
    } else if (kind === '#') {
      assert.equal(tabs.length, 3);
      const m = /^(\S+) (\S+)$/.exec(tabs[1]);
      assert.ok(m, `note field: ${tabs[1]}`);
      refs.push([id, m[2]]);
    } else if (kind === 'N') {
      assert.equal(tabs.length, 3);
      const m = /^Reference (\S+) (\S+):(\S+)$/.exec(tabs[1]);
      assert.ok(m, `normalization field: ${tabs[1]}`);
      refs.push([id, m[1]]);
    } else assert.fail(`unexpected line ${line}`);
    out.set(id, { id, kind, fields: tabs.slice(1) });
  }
  for (const [from, to] of refs) assert.ok(out.has(to), `${from} points at ${to}, which exists`);
  return out;
}

const TEXT = 'Die α-Synuclein-Bindung 🧬 an TNF-β\r\nwird durch Ibuprofen 💊 gehemmt.\r\nβ-Catenin; IL-6\r\nReceptor und COX-2.\r\n';

function word(text: string, w: string, label: string, score: number): AnnotatedEntity {
  const start = text.indexOf(w);
  assert.ok(start >= 0, w);
  return { label, score, start, end: start + w.length, text: w, model: 'BioM ner (int8)' };
}

function curated(text: string): CurationDocument {
  const doc = new CurationDocument(text);
  doc.mergeSuggestions(
    [
      word(text, 'α-Synuclein', 'GENE', 0.91),
      word(text, 'TNF-β', 'GENE', 0.88),
      word(text, 'Ibuprofen', 'CHEMICAL', 0.99),
      word(text, 'β-Catenin', 'GENE', 0.42),
      // Spans a CRLF line break.
      word(text, 'IL-6\r\nReceptor', 'GENE', 0.7),
      word(text, 'COX-2', 'GENE', 0.8),
    ],
    [],
  );
  const id = (t: string) => doc.state.entities.find((e) => e.text === t)?.id ?? '';
  doc.apply({ kind: 'accept', ids: [id('TNF-β')] });
  doc.apply({ kind: 'reject', ids: [id('β-Catenin')] });
  const emoji = text.indexOf('💊');
  doc.apply({ kind: 'add', label: 'CHEMICAL', span: { start: emoji, end: emoji + 2 } });
  doc.apply({ kind: 'addRelation', chemical: id('Ibuprofen'), gene: id('TNF-β'), label: 'CPR:4' });
  return doc;
}

test('what writeCuratedAnn writes is valid brat: code-point offsets, text fields, fragments at line breaks, references', () => {
  const doc = curated(TEXT);
  const ann = writeCuratedAnn(TEXT, doc.state);
  const parsed = specRead(TEXT, ann);
  const tLines = [...parsed.values()].filter((a) => a.kind === 'T');
  assert.equal(tLines.length, 7);
  // The CRLF-spanning mention is two fragments.
  assert.ok(tLines.some((a) => a.fields[1] === 'IL-6 Receptor' && a.fields[0].includes(';')));
  // Emoji and Greek letters count one code point each: "Ibuprofen" starts after one emoji.
  const ibu = tLines.find((a) => a.fields[1] === 'Ibuprofen');
  assert.equal(
    ibu?.fields[0],
    `CHEMICAL ${Array.from(TEXT.slice(0, TEXT.indexOf('Ibuprofen'))).length} ${Array.from(TEXT.slice(0, TEXT.indexOf('Ibuprofen'))).length + 9}`,
  );
  assert.ok(tLines.some((a) => a.fields[1] === '💊'));
  const statuses = [...parsed.values()].filter((a) => a.kind === 'A').map((a) => a.fields[0]);
  assert.ok(statuses.some((s) => /^Status T\d+ rejected$/.test(s)));
  assert.ok(statuses.some((s) => /^Status R\d+ added$/.test(s)));
});

test('after edits above the annotations the .ann still reads right against the new text', () => {
  const doc = curated(TEXT);
  const insert = 'Überschrift 🧪 ɑβγ\r\n';
  const text = insert + TEXT;
  doc.applyTextChanges([{ start: 0, end: 0, insertedLength: insert.length }], text);
  // Delete "COX-2": its annotation goes.
  const cox = text.indexOf('COX-2');
  const after = text.slice(0, cox) + text.slice(cox + 5);
  doc.applyTextChanges([{ start: cox, end: cox + 5, insertedLength: 0 }], after);
  const parsed = specRead(after, writeCuratedAnn(after, doc.state));
  assert.equal([...parsed.values()].filter((a) => a.kind === 'T').length, 6);
});
