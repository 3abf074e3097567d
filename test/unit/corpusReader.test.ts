import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readCorpusFile } from '../../src/core/formats/corpusReader';
import type { CorpusRecord } from '../../src/core/formats/corpusRecord';
import { XmlTokenizer, decodeEntities } from '../../src/core/formats/xmlTokenizer';
import { XmlRecordReader } from '../../src/core/formats/xmlRecords';
import { pubmedFormat } from '../../src/core/formats/pubmedXml';
import { fixture } from '../helpers/paths';
import { pubmedArticle, pubmedSet } from '../fixtures/corpus/make';

const shards = (name: string): string => fixture('corpus', 'shards', name);
const chemprot = readFileSync(fixture('chemprot', 'sample_abstracts.tsv'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const [pmid, title, abstract] = line.split('\t');
    return { pmid, title, abstract, text: `${title} ${abstract}` };
  });

async function read(path: string): Promise<CorpusRecord[]> {
  const out: CorpusRecord[] = [];
  for await (const r of readCorpusFile(path)) out.push(r);
  return out;
}
const docs = (records: CorpusRecord[]) => records.flatMap((r) => (r.kind === 'document' ? [r.document] : []));
const skipped = (records: CorpusRecord[]) => records.flatMap((r) => (r.kind === 'skipped' ? [r] : []));

test('every format gives the ChemProt text "title abstract" with its PMID, gzipped or not', async () => {
  const cases: [string, number][] = [
    ['a-pubmed.xml', 0],
    ['b-pubmed.xml.gz', 4],
    ['c-chemprot.bioc.xml', 8],
    ['d-chemprot.bioc.json', 12],
    ['e-chemprot.pubtator', 16],
  ];
  for (const [name, from] of cases) {
    const records = await read(shards(name));
    assert.deepEqual(skipped(records), [], name);
    const got = docs(records);
    assert.deepEqual(
      got.map((d) => [d.id, d.text]),
      chemprot.slice(from, from + 4).map((r) => [r.pmid, r.text]),
      name,
    );
    // The title passage ends where the abstract begins (after one space), as the PubTator writer expects.
    for (const [i, d] of got.entries())
      assert.equal(d.text.slice(d.passages![0].start, d.passages![0].end), chemprot[from + i].title, name);
  }
});

test('PubMed: the citation PMID (not a CommentsCorrections one), Label sections, character references, DeleteCitation', async () => {
  const row = chemprot[0];
  const structured =
    '<AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">TNF-&#945; and &#x3B2;-catenin &lt;5&gt; mg &amp; more.</AbstractText>\n' +
    '<AbstractText Label="RESULTS" NlmCategory="RESULTS">It <i>inhibits</i> H<sub>2</sub>O<sub>2</sub>.</AbstractText>';
  const xml = pubmedSet([
    pubmedArticle({ ...row, title: 'Effects of <i>x</i>' }, structured).replace('Effects of &lt;i&gt;x&lt;/i&gt;', 'Effects of <i>x</i>'),
    '<DeleteCitation><PMID Version="1">111</PMID><PMID Version="1">222</PMID></DeleteCitation>',
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'biom-reader-'));
  try {
    writeFileSync(join(dir, 'p.xml'), xml);
    const records = await read(join(dir, 'p.xml'));
    assert.equal(records.length, 2);
    const [doc] = docs(records);
    assert.equal(doc.id, row.pmid);
    assert.equal(doc.text, 'Effects of x BACKGROUND: TNF-α and β-catenin <5> mg & more. RESULTS: It inhibits H2O2.');
    assert.deepEqual(doc.passages, [
      { type: 'title', start: 0, end: 12 },
      { type: 'abstract', start: 13, end: doc.text.length },
    ]);
    assert.deepEqual(records[1].kind === 'deleted' && records[1].ids, ['111', '222']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad records are reported with file, line, byte offset and PMID, skipped, and the rest of the file is read', async () => {
  const [a, b, c, d, e, f] = chemprot;
  const huge = 'x'.repeat(5 * 1024 * 1024);
  const parts = [
    pubmedArticle(a), // fine
    pubmedArticle(b).replace(/<Abstract>[\s\S]*<\/Abstract>/, ''), // no abstract
    pubmedArticle({ ...c, abstract: huge }), // a 5 MB abstract
    pubmedArticle(a), // duplicate PMID
    pubmedArticle(d).replace('</ArticleTitle>', '</ArticleTitl>'), // malformed
    pubmedArticle(e).replace('</PubmedArticle>', ''), // never closed: must not swallow the next article
    pubmedArticle(f),
  ];
  const text = pubmedSet(parts);
  // Non-UTF-8: a Latin-1 byte inside an article's abstract.
  const bad = pubmedArticle({ ...chemprot[6], abstract: 'caf\u0000 au lait' });
  const bytes = Buffer.concat([
    Buffer.from(text.replace('</PubmedArticleSet>', '')),
    Buffer.from(bad).map((x) => (x === 0 ? 0xe9 : x)),
    Buffer.from('</PubmedArticleSet>\n'),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'biom-reader-'));
  try {
    writeFileSync(join(dir, 'bad.xml'), bytes);
    const records = await read(join(dir, 'bad.xml'));
    assert.deepEqual(
      docs(records).map((x) => x.id),
      [a.pmid, f.pmid],
    );
    const skips = skipped(records);
    assert.deepEqual(
      skips.map((s) => [s.reason, s.location.id]),
      [
        ['no-abstract', b.pmid],
        ['too-large', c.pmid],
        ['duplicate-id', a.pmid],
        ['malformed', d.pmid],
        ['malformed', e.pmid],
        ['invalid-utf8', chemprot[6].pmid],
      ],
    );
    // Locations point at the article's start tag.
    const lines = text.split('\n');
    for (const s of skips.slice(0, 5)) {
      assert.equal(s.location.file, join(dir, 'bad.xml'));
      assert.equal(lines[s.location.line - 1], '<PubmedArticle>', `${s.reason} at line ${s.location.line}`);
      assert.equal(bytes.subarray(s.location.offset, s.location.offset + 15).toString(), '<PubmedArticle>');
    }
    assert.match(skips[3].message, /<\/ArticleTitl>/);
    assert.match(skips[5].message, /invalid UTF-8 at byte \d+/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a truncated .gz: the articles before the cut are read, the cut one and the stream are reported', async () => {
  const whole = gzipSync(pubmedSet(chemprot.slice(0, 6).map((r) => pubmedArticle(r))));
  const dir = mkdtempSync(join(tmpdir(), 'biom-reader-'));
  try {
    writeFileSync(join(dir, 'cut.xml.gz'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    const records = await read(join(dir, 'cut.xml.gz'));
    const ids = docs(records).map((x) => x.id);
    assert.ok(ids.length >= 1 && ids.length < 6, `some but not all articles: ${ids.length}`);
    assert.deepEqual(
      ids,
      chemprot.slice(0, ids.length).map((r) => r.pmid),
    );
    const skips = skipped(records);
    assert.ok(skips.length >= 1);
    assert.ok(
      skips.every((s) => s.reason === 'truncated'),
      JSON.stringify(skips),
    );
    assert.ok(skips.some((s) => /cannot be read/.test(s.message)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the tokenizer gives the same documents whatever the chunk boundaries (split references and UTF-8)', () => {
  const xml = Buffer.from(
    pubmedSet([
      pubmedArticle(
        { pmid: '1', title: 'β-Amyloid &amp; Ca²⁺', abstract: 'x' },
        '<AbstractText>Ähnlich &#x1F48A; &lt;tag&gt; 💊 end</AbstractText>',
      ),
    ]),
  );
  const run = (size: number): CorpusRecord[] => {
    const tokenizer = new XmlTokenizer();
    const reader = new XmlRecordReader(pubmedFormat(1e6), 'f');
    const out: CorpusRecord[] = [];
    for (let i = 0; i < xml.length; i += size) reader.push(tokenizer.write(xml.subarray(i, i + size)), out);
    reader.push(tokenizer.end(), out);
    return out;
  };
  const whole = run(xml.length);
  assert.equal(whole.length, 1);
  assert.equal(whole[0].kind === 'document' && whole[0].document.text, 'β-Amyloid &amp; Ca²⁺ Ähnlich 💊 <tag> 💊 end');
  for (const size of [1, 2, 3, 7, 64]) assert.deepEqual(run(size), whole, `chunks of ${size} bytes`);
});

test('character references: numeric and predefined decode, unknown and out-of-range ones are reported and kept', () => {
  const errors: string[] = [];
  assert.equal(
    decodeEntities('&#65;&#x42;&lt;&amp;&quot;&apos;&gt;', (m) => errors.push(m)),
    'AB<&"\'>',
  );
  assert.equal(errors.length, 0);
  assert.equal(
    decodeEntities('&nbsp; &#xD800; &#0; a & b', (m) => errors.push(m)),
    '&nbsp; &#xD800; &#0; a & b',
  );
  assert.equal(errors.length, 4);
});
