// Windows text: CRLF line breaks. UTF-16 offsets (editor) and code-point offsets (brat .ann, Python tools) must count
// the \r like any other character, and a mention never swallows a line break, through the offset map, the brat writer,
// the real NER model and the CLI's brat output.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Engine } from '../../src/core/engine';
import type { AnnotatedDocument } from '../../src/core/formats/document';
import { writeBratAnnotations } from '../../src/core/formats/brat';
import { recognizeEntities } from '../../src/core/tasks/ner';
import { OffsetMap } from '../../src/core/text/offsets';
import type { Entity } from '../../src/core/types';
import { biom } from '../helpers/cli';
import { bundledModel, chemprotDevAbstracts } from '../helpers/paths';

/** Code-point length of a UTF-16 prefix, counted independently of OffsetMap. */
const codePoints = (s: string): number => Array.from(s).length;
/** The text of code points [start, end), as brat and Python slice the .txt. */
const cpSlice = (text: string, start: number, end: number): string => Array.from(text).slice(start, end).join('');

const crlf = 'Binding of 𝛂-amanitin to RNA polymerase II\r\nAspirin 💊 inhibits COX-2 and\r\nPTGS2 in platelets.\r\n';

function mention(text: string, m: string, from = 0): Entity {
  const start = text.indexOf(m, from);
  assert.ok(start >= 0, m);
  return { label: 'CHEMICAL', score: 0.9, start, end: start + m.length, text: m };
}

interface AnnMention {
  id: string;
  fragments: [number, number][];
  text: string;
}
function readAnn(ann: string): AnnMention[] {
  return ann
    .split('\n')
    .filter((l) => l.startsWith('T'))
    .map((l) => {
      const [id, typeAndSpans, text] = l.split('\t');
      const spans = typeAndSpans.slice(typeAndSpans.indexOf(' ') + 1);
      return { id, fragments: spans.split(';').map((f) => f.split(' ').map(Number) as [number, number]), text };
    });
}

describe('CRLF text', () => {
  it('OffsetMap counts \\r as one code point and one UTF-16 unit, around astral characters', () => {
    const map = new OffsetMap(crlf);
    assert.equal(map.codePointLength, codePoints(crlf));
    for (let i = 0; i <= crlf.length; i++) {
      const c = crlf.charCodeAt(i - 1);
      if (c >= 0xd800 && c <= 0xdbff) continue; // inside a surrogate pair
      assert.equal(map.toCodePoint(i), codePoints(crlf.slice(0, i)), `UTF-16 ${i}`);
      assert.equal(map.toUtf16(map.toCodePoint(i)), i);
    }
  });

  it('brat .ann offsets index the .txt as written (with its \\r\\n), and a mention across a line break is split there', () => {
    const entities = [
      mention(crlf, '𝛂-amanitin'),
      mention(crlf, 'COX-2'),
      mention(crlf, 'COX-2 and\r\nPTGS2'), // a mention the model ran across the line break
      mention(crlf, 'platelets'),
    ];
    const doc: AnnotatedDocument = { id: 'crlf', text: crlf, entities };
    const ann = writeBratAnnotations(doc);
    assert.ok(!ann.includes('\r'), '.ann lines must not carry a \\r from the text');
    const read = readAnn(ann);
    assert.equal(read.length, 4);
    assert.deepEqual(
      read[0].fragments.map(([s, e]) => cpSlice(crlf, s, e)),
      ['𝛂-amanitin'],
    );
    assert.deepEqual(
      read[1].fragments.map(([s, e]) => cpSlice(crlf, s, e)),
      ['COX-2'],
    );
    assert.deepEqual(
      read[2].fragments.map(([s, e]) => cpSlice(crlf, s, e)),
      ['COX-2 and', 'PTGS2'],
    );
    assert.equal(read[2].text, 'COX-2 and PTGS2');
    assert.deepEqual(
      read[3].fragments.map(([s, e]) => cpSlice(crlf, s, e)),
      ['platelets'],
    );
    // The same text with LF breaks: every offset after a break moves by the \r characters before it, no more.
    const lf = crlf.replace(/\r\n/g, '\n');
    const lfRead = readAnn(
      writeBratAnnotations({ id: 'lf', text: lf, entities: entities.map((e) => mention(lf, e.text.replace(/\r\n/g, '\n'))) }),
    );
    read.forEach((m, i) =>
      m.fragments.forEach(([s], j) => {
        const crs = (Array.from(crlf).slice(0, s).join('').match(/\r/g) ?? []).length;
        assert.equal(lfRead[i].fragments[j][0], s - crs);
      }),
    );
  });

  describe('with the bundled NER model', () => {
    const engine = new Engine({ threads: 1 });
    after(() => engine.dispose());

    it('finds the same mentions in title\\r\\nabstract as in title\\nabstract, at offsets that slice to their text', async () => {
      const model = await engine.load({ folder: bundledModel('ner-albert') }, 'ner');
      for (const abstract of chemprotDevAbstracts().slice(0, 3)) {
        const cut = abstract.indexOf('. ') + 1;
        const lf = `${abstract.slice(0, cut)}\n${abstract.slice(cut + 1).replace(/\. /g, '.\n')}`;
        const windows = lf.replace(/\n/g, '\r\n');
        const [a, b] = [await recognizeEntities(model, lf), await recognizeEntities(model, windows)];
        assert.ok(a.length > 0);
        for (const e of b) {
          assert.equal(windows.slice(e.start, e.end), e.text);
          assert.ok(!/[\r\n]/.test(e.text), `"${e.text}" runs across a line break`);
        }
        const shift = (i: number) => i - (windows.slice(0, i).match(/\r/g) ?? []).length;
        assert.deepEqual(
          b.map((e) => [e.label, e.text, shift(e.start), shift(e.end)]),
          a.map((e) => [e.label, e.text, e.start, e.end]),
        );
      }
    });
  });

  describe('biom annotate --format brat on a CRLF file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'biom-crlf-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('writes the .txt byte for byte and .ann offsets that slice it to each mention', () => {
      const abstract = chemprotDevAbstracts()[0];
      const text = abstract.replace(/\. (?=[A-Z])/g, '.\r\n');
      assert.ok(text.includes('\r\n'));
      writeFileSync(join(dir, 'windows.txt'), text);
      const r = biom(['annotate', '--format', 'brat', '--no-relations', '--out', join(dir, 'out'), join(dir, 'windows.txt')]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(join(dir, 'out', 'windows.txt'), 'utf8'), text);
      const mentions = readAnn(readFileSync(join(dir, 'out', 'windows.ann'), 'utf8'));
      assert.ok(mentions.length > 0);
      for (const m of mentions) assert.equal(m.fragments.map(([s, e]) => cpSlice(text, s, e)).join(' '), m.text);
    });
  });
});
