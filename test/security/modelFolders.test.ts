// Wrong model folders and corpus files: one clear line naming the folder or file and line, never a stack trace, and
// `biom models verify` catches every one (issue 9, items 6 and 7).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { biom } from '../helpers/cli';
import { bundledModel, fixture } from '../helpers/paths';
import { castModel, identityModel } from '../helpers/tinyOnnx';

const dir = mkdtempSync(join(tmpdir(), 'biom-sec-models-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function editJson(path: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(path, JSON.stringify(json));
}

const CASES: [string, (folder: string) => void, RegExp][] = [
  [
    'id2label with fewer labels than the outputs',
    (f) => editJson(join(f, 'config.json'), (c) => (c.id2label = { 0: 'O', 1: 'B-CHEMICAL', 2: 'I-CHEMICAL' })),
    /output "logits" has shape \[1, \d+, 5\], expected \[1, \d+, 3\] for 3 labels/,
  ],
  [
    'a tokenizer whose model reads nothing',
    (f) => editJson(join(f, 'tokenizer.json'), (t) => (t.model = { type: 'BPE', vocab: {}, merges: [] })),
    /tokenizer\.json turns a sample sentence into no tokens/,
  ],
  [
    'a tokenizer that does not load',
    (f) => editJson(join(f, 'tokenizer.json'), (t) => ((t.model as Record<string, unknown>).unk_id = 999999)),
    /tokenizer\.json is not a valid tokenizer/,
  ],
  [
    'max_position_embeddings of -5',
    (f) => editJson(join(f, 'config.json'), (c) => (c.max_position_embeddings = -5)),
    /"max_position_embeddings" is -5/,
  ],
  [
    'no input_ids',
    (f) => writeFileSync(join(f, 'onnx', 'model.onnx'), identityModel('pixel_values')),
    /has inputs \[pixel_values\]; expected input_ids/,
  ],
  [
    'an extra input',
    (f) => writeFileSync(join(f, 'onnx', 'model.onnx'), castModel(['input_ids', 'pixel_values'])),
    /has inputs \[input_ids, pixel_values\]; expected input_ids/,
  ],
  [
    'outputs of the wrong rank',
    (f) => writeFileSync(join(f, 'onnx', 'model.onnx'), castModel(['input_ids'])),
    /output "logits" has shape \[1, \d+\], expected \[1, \d+, 5\]/,
  ],
  ['a 0-byte model.onnx', (f) => writeFileSync(join(f, 'onnx', 'model.onnx'), ''), /onnx\/model\.onnx is empty \(0 bytes\)/],
  [
    'a folder where model.onnx should be',
    (f) => {
      rmSync(join(f, 'onnx', 'model.onnx'));
      mkdirSync(join(f, 'onnx', 'model.onnx'));
    },
    /onnx\/model\.onnx is not a file/,
  ],
  [
    'a folder where tokenizer.json should be',
    (f) => {
      rmSync(join(f, 'tokenizer.json'));
      mkdirSync(join(f, 'tokenizer.json'));
    },
    /tokenizer\.json is not a file/,
  ],
  [
    'a folder where config.json should be',
    (f) => {
      rmSync(join(f, 'config.json'));
      mkdirSync(join(f, 'config.json'));
    },
    /config\.json is not a file/,
  ],
];

describe('wrong model folders', () => {
  for (const [name, breakIt, problem] of CASES) {
    it(`${name}: verify and ner each say so in one line naming the folder`, () => {
      const folder = join(dir, name.replace(/\W+/g, '-'));
      cpSync(bundledModel('ner-albert'), folder, { recursive: true });
      // Only the variant under test: the int8 file of the copy is fine and would pass on its own.
      rmSync(join(folder, 'onnx', 'model_quantized.onnx'));
      breakIt(folder);
      const verify = biom(['models', 'verify', folder]);
      assert.equal(verify.code, 1, `${name}: verify exit code (stdout ${verify.stdout.slice(0, 300)})`);
      assert.equal(verify.stderr.trim().split('\n').length, 1, `${name}: one line: ${verify.stderr}`);
      assert.match(verify.stderr, new RegExp(escape(folder)), `${name}: names the folder`);
      assert.match(verify.stderr, problem, name);
      const ner = biom(['ner', '--model', folder, '-'], 'Aspirin inhibits COX-1 in platelets.');
      assert.equal(ner.code, 1, `${name}: ner exit code`);
      assert.equal(ner.stderr.trim().split('\n').length, 1, `${name}: one line: ${ner.stderr}`);
      assert.match(ner.stderr, new RegExp(`Model folder ${escape(folder)}`), `${name}: ner names the folder: ${ner.stderr}`);
      assert.match(ner.stderr, problem, name);
    });
  }
});

describe('biom eval chemprot with a bad entity file', () => {
  it('an offset outside its abstract names the file and line', () => {
    const entities = join(dir, 'entities.tsv');
    const lines = readFileSync(fixture('chemprot', 'development_entities.tsv'), 'utf8').split('\n').slice(0, 5);
    const [pmid, id, type] = lines[2].split('\t');
    lines[2] = [pmid, id, type, '999999', '1000005', 'aspirin'].join('\t');
    writeFileSync(entities, lines.join('\n') + '\n');
    const r = biom([
      'eval',
      'chemprot',
      '--abstracts',
      fixture('chemprot', 'development_abstracts.tsv'),
      '--entities',
      entities,
      '--gold',
      fixture('chemprot', 'development_gold_standard.tsv'),
      '--ner',
      bundledModel('ner-albert'),
      '--limit',
      '1',
    ]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`${escape(entities)} line 3: ${id} offsets "999999"-"1000005" are outside abstract ${pmid}`));
  });
});
