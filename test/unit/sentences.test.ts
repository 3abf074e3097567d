// Sentence boundaries: the ChemProt reference rule, checked character class by character class and on real abstracts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { splitSentences, sentenceAt } from '../../src/core/text/sentences';
import { fixture } from '../helpers/paths';

const pieces = (text: string): string[] => splitSentences(text).map((s) => text.slice(s.start, s.end));

test('a sentence ends at . ! or ? followed by whitespace and a capital, a digit, ( or [', () => {
  for (const end of ['.', '!', '?']) {
    for (const next of ['A', 'Z', 'M', '0', '9', '5', '(', '[']) {
      assert.deepEqual(pieces(`One${end} ${next}two`), [`One${end}`, `${next}two`], `"${end}" then "${next}"`);
    }
  }
});

test('no break before a lower-case letter, other punctuation, or without whitespace; none after other marks', () => {
  for (const text of [
    'e.g. this',
    'Fig. a',
    'one. "Two"',
    'one. {two}',
    'one.Two',
    'one; Two',
    'one, Two',
    'one: Two',
    'one) Two',
    'pH 7.4 was kept',
  ]) {
    assert.deepEqual(pieces(text), [text], text);
  }
});

test('the whitespace between sentences (spaces, tabs, line breaks, several) belongs to neither', () => {
  const text = 'First.  \t\n Second!\r\nThird? (Fourth) [Fifth] 6th.';
  const spans = splitSentences(text);
  assert.deepEqual(pieces(text), ['First.', 'Second!', 'Third?', '(Fourth) [Fifth] 6th.']);
  assert.deepEqual(
    spans.map((s) => [s.start, s.end]),
    [
      [0, 6],
      [11, 18],
      [20, 26],
      [27, 48],
    ],
  );
  assert.deepEqual(splitSentences('No end mark'), [{ start: 0, end: 11 }]);
  assert.deepEqual(splitSentences('Ends. '), [{ start: 0, end: 6 }], 'trailing space without a capital: no break');
});

test('sentenceAt finds the sentence containing an offset, or the nearest one before it', () => {
  const text = 'Aa. Bb. Cc. Dd. Ee.';
  const spans = splitSentences(text);
  assert.equal(spans.length, 5);
  for (const [i, s] of spans.entries()) {
    assert.deepEqual(sentenceAt(spans, s.start), s, `start of ${i}`);
    assert.deepEqual(sentenceAt(spans, s.end - 1), s, `inside ${i}`);
    // The space after a sentence belongs to no sentence: the one before it is the nearest.
    if (i < spans.length - 1) assert.deepEqual(sentenceAt(spans, s.end), s, `after ${i}`);
  }
  assert.deepEqual(sentenceAt(spans, 0), spans[0]);
  assert.deepEqual(sentenceAt(spans, 1000), spans[4]);
  assert.deepEqual(sentenceAt(spans, -5), spans[0]);
  assert.deepEqual(sentenceAt([{ start: 0, end: 3 }], 2), { start: 0, end: 3 });
  const two = [
    { start: 0, end: 3 },
    { start: 4, end: 8 },
  ];
  assert.deepEqual(sentenceAt(two, 3), two[0]);
  assert.deepEqual(sentenceAt(two, 4), two[1]);
});

test('every sentence of the ChemProt reference pairs (re-pairs.json, 50 abstracts) is one of ours', () => {
  const reference = JSON.parse(readFileSync(fixture('golden', 're-pairs.json'), 'utf8')) as {
    documents: string[];
    pairs: { pmid: string; sentence_utf16: [number, number] }[];
  };
  const texts = new Map(
    readFileSync(fixture('chemprot', 'development_abstracts.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'))
      .map(([pmid, title, abstract]) => [pmid, `${title} ${abstract}`]),
  );
  let checked = 0;
  for (const pmid of reference.documents) {
    const ours = new Set(splitSentences(texts.get(pmid)!).map((s) => `${s.start}:${s.end}`));
    for (const p of reference.pairs.filter((x) => x.pmid === pmid)) {
      assert.ok(ours.has(p.sentence_utf16.join(':')), `${pmid} ${p.sentence_utf16}`);
      checked++;
    }
  }
  assert.equal(checked, 950);
});
