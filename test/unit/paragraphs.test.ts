import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitParagraphs } from '../../src/core/text/paragraphs';

test('paragraphs are separated by blank or whitespace-only lines, offsets are UTF-16 into the document', () => {
  const text = 'Title line\nsecond line\n\n  Indented 😀 para\r\n \t\r\n\r\nlast\n';
  const ps = splitParagraphs(text);
  assert.deepEqual(
    ps.map((p) => p.text),
    ['Title line\nsecond line', '  Indented 😀 para', 'last\n'],
  );
  for (const p of ps) assert.equal(text.slice(p.start, p.end), p.text);
});

test('a single line break does not split; whitespace-only stretches are left out', () => {
  assert.deepEqual(splitParagraphs('a\nb'), [{ start: 0, end: 3, text: 'a\nb' }]);
  assert.deepEqual(splitParagraphs('\n\n  \n\nx\n\n\n'), [{ start: 6, end: 7, text: 'x' }]);
  assert.deepEqual(splitParagraphs(''), []);
});

test('over-long paragraphs are cut at a sentence end, never inside a surrogate pair', () => {
  const sentence = 'Aspirin inhibits COX-2. ';
  const long = sentence.repeat(10);
  const ps = splitParagraphs(long, { maxLength: 50 });
  assert.ok(ps.every((p) => p.end - p.start <= 50));
  assert.equal(ps.map((p) => p.text).join(''), long);
  assert.equal(ps[0].text, sentence.repeat(2));
  const emoji = '😀'.repeat(40);
  const cut = splitParagraphs(emoji, { maxLength: 17 });
  for (const p of cut) assert.ok(!/^[\udc00-\udfff]/.test(p.text) && !/[\ud800-\udbff]$/.test(p.text));
  assert.equal(cut.map((p) => p.text).join(''), emoji);
});
