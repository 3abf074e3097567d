import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OffsetMap } from '../../src/core/text/offsets';
import { splitSentences, sentenceAt } from '../../src/core/text/sentences';

test('OffsetMap converts code points to UTF-16 around astral characters and lone surrogates', () => {
  const text = 'a💊b\ud800c𝔾d';
  const map = new OffsetMap(text);
  const codePoints = Array.from(text);
  assert.equal(map.codePointLength, codePoints.length);
  let utf16 = 0;
  codePoints.forEach((cp, i) => {
    assert.equal(map.toUtf16(i), utf16, `code point ${i}`);
    assert.equal(map.toCodePoint(utf16), i);
    utf16 += cp.length;
  });
  assert.equal(map.toUtf16(codePoints.length), text.length);
  assert.equal(map.toCodePoint(2), 1, 'inside a pair maps to the pair');
  assert.throws(() => map.toUtf16(codePoints.length + 1), RangeError);
});

test('OffsetMap is the identity on BMP-only text', () => {
  const map = new OffsetMap('naïve αβ');
  for (let i = 0; i <= 8; i++) assert.equal(map.toUtf16(i), i);
});

test('sentences split as the ChemProt reference does', () => {
  const text = 'Aspirin inhibits COX-2. It is cheap! (Really) yes? no. 5 mg. e.g. this';
  const spans = splitSentences(text);
  assert.deepEqual(
    spans.map((s) => text.slice(s.start, s.end)),
    ['Aspirin inhibits COX-2.', 'It is cheap!', '(Really) yes? no.', '5 mg. e.g. this'],
  );
  assert.deepEqual(sentenceAt(spans, text.indexOf('cheap')), spans[1]);
  assert.deepEqual(splitSentences(''), [{ start: 0, end: 0 }]);
});
