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

/** Code-point → UTF-16 offsets counted with Array.from (independent of OffsetMap; a lone surrogate is one item). */
function reference(text: string): number[] {
  const out = [0];
  for (const cp of Array.from(text)) out.push(out[out.length - 1] + cp.length);
  return out;
}

test('OffsetMap agrees with Array.from on every offset of strings built from surrogate edge cases', () => {
  // Boundaries of the surrogate ranges and their neighbours: U+D7FF and U+E000 are ordinary; D800–DBFF high,
  // DC00–DFFF low; a high surrogate at the end, before a non-surrogate or before another high is lone.
  const parts = [
    'a',
    '\ud7ff',
    '\ue000',
    '\ud800\udc00',
    '\udbff\udfff',
    '\ud83d\udc8a',
    '\ud800',
    '\udbff',
    '\udc00',
    '\udfff',
    'é',
    '\ud800\ud800\udc00',
  ];
  const texts: string[] = ['', ...parts];
  // With an astral character first the map is built, so every pairing decision after it is observable.
  for (const a of parts) for (const b of parts) texts.push(a + b, `x${a}y${b}`, `💊${a}${b}`);
  for (const text of texts) {
    const want = reference(text);
    const map = new OffsetMap(text);
    const where = JSON.stringify(text);
    assert.equal(map.codePointLength, want.length - 1, `${where} length`);
    want.forEach((utf16, cp) => assert.equal(map.toUtf16(cp), utf16, `${where} toUtf16(${cp})`));
    assert.throws(() => map.toUtf16(want.length), {
      name: 'RangeError',
      message: `code-point offset ${want.length} outside 0..${want.length - 1}`,
    });
    assert.throws(() => map.toUtf16(-1), RangeError, `${where} negative`);
    // Every UTF-16 index maps back to the code point it is in (the low half of a pair to the pair).
    for (let u = 0; u <= text.length; u++) {
      let cp = 0;
      while (cp + 1 < want.length && want[cp + 1] <= u) cp++;
      assert.equal(map.toCodePoint(u), cp, `${where} toCodePoint(${u})`);
    }
  }
});

test('OffsetMap on a long text with astral characters far apart (binary search over many entries)', () => {
  const text = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? '💊' : 'ab')).join('');
  const want = reference(text);
  const map = new OffsetMap(text);
  want.forEach((utf16, cp) => {
    assert.equal(map.toUtf16(cp), utf16);
    assert.equal(map.toCodePoint(utf16), cp);
  });
  assert.equal(map.toCodePoint(text.length + 5), want.length - 1, 'past the end: the last code point offset');
});
