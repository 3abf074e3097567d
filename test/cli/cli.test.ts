import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { biom } from '../helpers/cli';
import { bundledModel, fixtureModel } from '../helpers/paths';
import { identityModel } from '../helpers/tinyOnnx';

const SENTENCE = 'Gefitinib inhibits EGFR tyrosine kinase activity in NSCLC cells.';

test('biom ner prints entities with UTF-16 offsets and source slices, from a file or stdin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'biom-cli-'));
  try {
    const text = '💊 ' + SENTENCE;
    writeFileSync(join(dir, 'in.txt'), text);
    const fromFile = biom(['ner', join(dir, 'in.txt')]);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    const entities = JSON.parse(fromFile.stdout) as { label: string; start: number; end: number; text: string; score: number }[];
    assert.ok(entities.length >= 2);
    for (const e of entities) assert.equal(text.slice(e.start, e.end), e.text);
    // After an astral character (two UTF-16 units, one code point) the offsets are UTF-16.
    const gefitinib = entities.find((e) => e.text === 'Gefitinib');
    assert.deepEqual(gefitinib && [gefitinib.label, gefitinib.start, gefitinib.end], ['CHEMICAL', 3, 12]);
    const fromStdin = biom(['ner', '-'], text);
    assert.equal(fromStdin.stdout, fromFile.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('biom ner --jsonl answers every line, a bad line with an error, in order', () => {
  const input = [JSON.stringify({ text: SENTENCE }), 'not json', JSON.stringify({ nope: 1 }), JSON.stringify({ text: '' })].join('\n');
  const r = biom(['ner', '--jsonl', '--model', fixtureModel('ner-electra'), '--aggregation', 'first'], input);
  assert.equal(r.code, 1, 'exit 1 when some lines failed');
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
  assert.equal(lines.length, 4);
  assert.ok(Array.isArray(lines[0]) && lines[0].length > 0);
  assert.match((lines[1] as { error: string }).error, /not JSON/);
  assert.match((lines[2] as { error: string }).error, /"text" must be a string/);
  assert.deepEqual(lines[3], []);
});

test('biom relations, re --jsonl and qa produce typed results', () => {
  // Two sentences: a pair the relation model calls CPR:4 and one it calls "false" (see `biom re` below).
  const rel = biom(['relations', '-'], 'Aspirin inhibits COX-2 in platelets. Levels of cholesterol and albumin were normal.');
  assert.equal(rel.code, 0, rel.stderr);
  const out = JSON.parse(rel.stdout) as {
    entities: { label: string; text: string }[];
    relations: {
      label: string;
      score: number;
      chemical: { text: string };
      gene: { text: string };
      sentence: { start: number; end: number };
    }[];
  };
  assert.deepEqual(
    out.entities.map((e) => [e.label, e.text]),
    [
      ['CHEMICAL', 'Aspirin'],
      ['GENE', 'COX-2'],
      ['CHEMICAL', 'cholesterol'],
      ['GENE', 'albumin'],
    ],
  );

  const marked = ['@CHEMICAL$ inhibits @GENE$ in platelets.', 'Levels of @CHEMICAL$ and @GENE$ were normal.'];
  const re = biom(['re', '--jsonl'], marked.map((text) => JSON.stringify({ text })).join('\n') + '\n');
  assert.equal(re.code, 0, re.stderr);
  const [positive, negative] = re.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { label: string; score: number }[]);
  for (const labels of [positive, negative]) {
    assert.equal(labels.length, 6);
    assert.ok(Math.abs(labels.reduce((s, l) => s + l.score, 0) - 1) < 1e-6);
    assert.ok(labels[0].score >= labels[1].score);
  }
  assert.equal(positive[0].label, 'CPR:4');
  assert.equal(negative[0].label, 'false', 'the cholesterol–albumin pair is a negative');
  // Planted bug this catches: relations whose best class is "false" kept in the output.
  assert.deepEqual(
    out.relations.map((r) => [r.label, r.chemical.text, r.gene.text, r.sentence.start, r.sentence.end]),
    [['CPR:4', 'Aspirin', 'COX-2', 0, 36]],
  );
  assert.ok(Math.abs(out.relations[0].score - positive[0].score) < 1e-9, 'the pair was classified as the marked sentence');

  const qa = biom(['qa', '--question', 'What inhibits EGFR?', '--top-k', '2', '-'], SENTENCE);
  assert.equal(qa.code, 0, qa.stderr);
  const answers = JSON.parse(qa.stdout) as { answer: string; start: number; end: number; score: number }[];
  assert.equal(answers.length, 2);
  for (const a of answers) assert.equal(SENTENCE.slice(a.start, a.end), a.answer);
  const qaLines = biom(['qa', '--jsonl'], JSON.stringify({ question: 'What inhibits EGFR?', context: SENTENCE }) + '\n');
  assert.deepEqual(JSON.parse(qaLines.stdout.trim()), answers.concat(JSON.parse(qaLines.stdout.trim()).slice(2)));
});

test('biom ner --quantized runs the int8 variant and agrees with fp32 on labels', () => {
  const fp32 = JSON.parse(biom(['ner', '-'], SENTENCE).stdout) as { label: string; start: number; score: number }[];
  const int8 = biom(['ner', '--quantized', '-'], SENTENCE);
  assert.equal(int8.code, 0, int8.stderr);
  const q = JSON.parse(int8.stdout) as { label: string; start: number; score: number }[];
  assert.deepEqual(
    q.slice(0, 2).map((e) => [e.label, e.start]),
    fp32.slice(0, 2).map((e) => [e.label, e.start]),
  );
  // Planted bug this catches: --quantized loading onnx/model.onnx although model_quantized.onnx exists.
  assert.ok(Math.abs(q[0].score - fp32[0].score) > 1e-4, `int8 ${q[0].score} vs fp32 ${fp32[0].score}: a different model ran`);
});

test('usage errors exit 2; model folder problems exit 1 with one message naming the folder', () => {
  assert.equal(biom(['ner', '--aggregation', 'best', '-'], 'x').code, 2);
  assert.equal(biom(['ner', '--stride', '-3', '-'], 'x').code, 2);
  assert.equal(biom(['frobnicate']).code, 2);
  const tooWide = biom(['ner', '--stride', '600', '-'], 'short text');
  assert.equal(tooWide.code, 1);
  assert.match(tooWide.stderr, /^biom: stride must be an integer from 0 to 509 .*got 600\n$/);
  const dir = mkdtempSync(join(tmpdir(), 'biom-bad-'));
  try {
    const cases: [string, (folder: string) => void, RegExp][] = [
      ['missing folder', () => undefined, /is not a folder/],
      ['missing tokenizer', (f) => rmSync(join(f, 'tokenizer.json')), /tokenizer\.json is missing/],
      ['corrupt config', (f) => writeFileSync(join(f, 'config.json'), '{"architectures": ['), /config\.json is not valid JSON/],
      ['corrupt onnx', (f) => writeFileSync(join(f, 'onnx', 'model.onnx'), 'garbage'), /not a usable ONNX model/],
      ['missing onnx', (f) => rmSync(join(f, 'onnx', 'model.onnx')), /onnx\/model\.onnx is missing/],
      ['corrupt tokenizer', (f) => writeFileSync(join(f, 'tokenizer.json'), '{"model": 3}'), /tokenizer\.json is not a valid tokenizer/],
      ['other inputs', (f) => writeFileSync(join(f, 'onnx', 'model.onnx'), identityModel('pixel_values')), /has inputs \[pixel_values\]/],
      [
        'labels not BIO',
        (f) => {
          const config = JSON.parse(readFileSync(join(f, 'config.json'), 'utf8')) as { id2label: Record<string, string> };
          config.id2label['1'] = 'CHEMICAL';
          writeFileSync(join(f, 'config.json'), JSON.stringify(config));
        },
        /NER labels must be BIO.*"CHEMICAL"/,
      ],
      [
        'wrong task',
        (f) => cpSync(join(bundledModel('qa-albert'), 'config.json'), join(f, 'config.json')),
        /is a qa model .*not a ner model/,
      ],
    ];
    for (const [name, breakIt, message] of cases) {
      const folder = join(dir, name.replace(/ /g, '-'));
      if (name !== 'missing folder') cpSync(bundledModel('ner-albert'), folder, { recursive: true });
      breakIt(folder);
      const r = biom(['ner', '--model', folder, '-'], SENTENCE);
      assert.equal(r.code, 1, `${name}: exit code`);
      assert.match(r.stderr, new RegExp(`Model folder ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `), `${name}: names the folder`);
      assert.match(r.stderr, message, name);
      assert.equal(r.stderr.trim().split('\n').length, 1, `${name}: one line, no stack trace`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('biom ner reads a long document in windows by default; "none" keeps one window; annotate accepts "none"', () => {
  const text = Array.from({ length: 120 }, (_, i) => `Sentence ${i}: ${SENTENCE}`).join(' ');
  const whole = JSON.parse(biom(['ner', '-'], text).stdout) as { start: number; text: string }[];
  const last = whole.filter((e) => e.text === 'Gefitinib').pop();
  assert.ok(last && last.start > text.length - 100, 'the last sentence is annotated');
  const tokens = JSON.parse(biom(['ner', '--aggregation', 'none', '-'], text).stdout) as { start: number }[];
  assert.ok(tokens.length > 0 && Math.max(...tokens.map((e) => e.start)) < text.length / 2, 'one 512-token window');
  const dir = mkdtempSync(join(tmpdir(), 'biom-none-'));
  try {
    writeFileSync(join(dir, 'a.txt'), SENTENCE);
    const r = biom(['annotate', join(dir, 'a.txt'), '--aggregation', 'none', '--format', 'conll']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Gefitinib\tB-CHEMICAL$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
