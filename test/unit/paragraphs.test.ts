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

test('every kind of paragraph break: \\n\\n, \\r\\n\\r\\n, \\r\\r, blank lines holding spaces or tabs, several in a row', () => {
  for (const brk of ['\n\n', '\r\n\r\n', '\r\r', '\n \n', '\n\t\t\n', '\r\n  \r\n', '\n\n\n\n', '\n \t \n\n', '\r\n\n']) {
    const text = `first${brk}second`;
    assert.deepEqual(
      splitParagraphs(text),
      [
        { start: 0, end: 5, text: 'first' },
        { start: 5 + brk.length, end: text.length, text: 'second' },
      ],
      JSON.stringify(brk),
    );
  }
  // One CRLF is one line break, not a blank line (it once split every line of a Windows file into a paragraph).
  for (const single of ['\n', '\r\n', '\r', '\n  ', '  \n', '\r\n  ']) {
    assert.equal(splitParagraphs(`a${single}b`).length, 1, JSON.stringify(single));
  }
});

test('maxLength: 20 000 by default, never below 16; a piece is cut at a line, else a sentence, else a space', () => {
  assert.equal(splitParagraphs('x'.repeat(20_000)).length, 1);
  assert.deepEqual(
    splitParagraphs('x'.repeat(20_001)).map((p) => p.end - p.start),
    [20_000, 1],
  );
  assert.deepEqual(
    splitParagraphs('x'.repeat(40), { maxLength: 5 }).map((p) => p.end - p.start),
    [16, 16, 8],
    'at least 16',
  );
  // A line break in the second half wins over a later sentence end or space.
  const lines = 'aaaaaaaaaaaaa\nbb. cc dddddddddd';
  assert.deepEqual(
    splitParagraphs(lines, { maxLength: 24 }).map((p) => p.text),
    ['aaaaaaaaaaaaa\n', 'bb. cc dddddddddd'],
  );
  // Sentence ends: . ? ! followed by a space; the space stays with the sentence.
  for (const mark of ['.', '?', '!']) {
    const text = `aaaaaaaaaaaa bb${mark} cc dddddddddd`;
    assert.deepEqual(
      splitParagraphs(text, { maxLength: 24 }).map((p) => p.text),
      [`aaaaaaaaaaaa bb${mark} `, 'cc dddddddddd'],
      mark,
    );
  }
  // No sentence end: the last space in the second half.
  assert.deepEqual(
    splitParagraphs('aaaaaaaaaaaa bb cc dddddddddd', { maxLength: 24 }).map((p) => p.text),
    ['aaaaaaaaaaaa bb cc ', 'dddddddddd'],
  );
  // A break only in the first half does not count: cut at maxLength.
  assert.deepEqual(
    splitParagraphs('a. bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', { maxLength: 20 }).map((p) => p.end - p.start),
    [20, 18],
  );
  // A remainder of only spaces after a cut is dropped.
  assert.deepEqual(
    splitParagraphs(`${'x'.repeat(19)}${' '.repeat(17)}`, { maxLength: 20 }).map((p) => p.text),
    [`${'x'.repeat(19)} `],
  );
});

test('a hard cut that would split a surrogate pair is moved one unit back', () => {
  const text = `${'a'.repeat(15)}😀${'b'.repeat(10)}`;
  const [first, second] = splitParagraphs(text, { maxLength: 16 });
  assert.deepEqual([first.start, first.end, second.start], [0, 15, 15]);
  assert.equal(second.text.slice(0, 2), '😀');
});

test('cut points: a separator right at the middle counts; later pieces look in their own second half', () => {
  const sizes = (text: string): number[] => splitParagraphs(text, { maxLength: 20 }).map((p) => p.end - p.start);
  // The second half of the first piece starts at 10: a line break, sentence end or space exactly there is used.
  assert.deepEqual(sizes(`${'a'.repeat(10)}\n${'b'.repeat(20)}`), [11, 20]);
  assert.deepEqual(sizes(`${'a'.repeat(10)}. bbb ${'b'.repeat(20)}`), [12, 20, 4], 'the sentence end wins over a later space');
  assert.deepEqual(sizes(`${'a'.repeat(10)} ${'b'.repeat(20)}`), [11, 20]);
  // Second piece: from 20, its second half is 30–40, where the space at 32 is.
  assert.deepEqual(sizes(`${'x'.repeat(20)}${'y'.repeat(12)} ${'z'.repeat(20)}`), [20, 13, 20]);
  // What is left after a cut is one piece when it is exactly maxLength long.
  assert.deepEqual(sizes(`${'x'.repeat(20)}aaaaaaaaaaaa bbbbbbb`), [20, 20]);
});

test('a hard cut never splits U+10000 or U+10FFFF, and keeps a pair that ends right at the limit', () => {
  for (const pair of ['\ud800\udc00', '\udbff\udfff']) {
    const [first] = splitParagraphs(`${'a'.repeat(15)}${pair}${'b'.repeat(10)}`, { maxLength: 16 });
    assert.equal(first.end, 15, JSON.stringify(pair));
  }
  const [first, second] = splitParagraphs(`${'a'.repeat(14)}😀${'b'.repeat(10)}`, { maxLength: 16 });
  assert.deepEqual([first.end, second.start], [16, 16]);
});
