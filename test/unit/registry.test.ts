// Lists bundled and downloaded models and verifies folders the way the engine will load them.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { INCOMPLETE_DIR, MANIFEST_FILE } from '../../src/core/models/hub';
import { listDownloadedModels, listLocalModels } from '../../src/core/models/registry';
import { verifyModelFolder } from '../../src/core/models/verify';
import { captureCommand } from '../helpers/cli';
import { runModelsCommand } from '../../src/cli/commands/models';
import { bundledModel, fixtureModel, root } from '../helpers/paths';

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'biom-registry-'));
  temps.push(dir);
  return dir;
}

/** A copy of a model folder whose config.json is changed by `edit`. */
function copyWithConfig(source: string, edit: (config: Record<string, unknown>) => void): string {
  const dir = join(temp(), 'model');
  cpSync(source, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  edit(config);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

describe('listLocalModels', () => {
  it('lists the bundled models with task, labels, size and variants', async () => {
    const models = await listLocalModels({ bundledDir: join(root, 'models') });
    assert.deepEqual(
      models.map((m) => [m.name, m.source, m.task, m.architecture, m.fp32, m.int8]),
      [
        ['ner-albert', 'bundled', 'ner', 'AlbertForTokenClassification', true, true],
        ['qa-albert', 'bundled', 'qa', 'AlbertForQuestionAnswering', true, true],
        ['re-electra', 'bundled', 'relations', 'ElectraForSequenceClassification', true, false],
      ],
    );
    assert.deepEqual(models[0].labels, ['O', 'B-CHEMICAL', 'I-CHEMICAL', 'B-GENE', 'I-GENE']);
    assert.deepEqual(models[2].labels, ['false', 'CPR:3', 'CPR:4', 'CPR:5', 'CPR:6', 'CPR:9']);
    assert.ok(models[2].sizeBytes > readFileSync(join(bundledModel('re-electra'), 'onnx', 'model.onnx')).length);
  });

  it('lists complete downloads with their source, skips downloads in progress, and shows broken folders with the problem', async () => {
    const cache = temp();
    const done = join(cache, 'biom--ner-electra', 'main');
    cpSync(fixtureModel('ner-electra'), done, { recursive: true });
    writeFileSync(
      join(done, MANIFEST_FILE),
      JSON.stringify({
        repo: 'biom/ner-electra',
        revision: 'main',
        hubUrl: 'http://127.0.0.1:1',
        downloadedAt: '2025-01-01T00:00:00Z',
        files: [],
      }),
    );
    cpSync(fixtureModel('ner-electra'), join(cache, INCOMPLETE_DIR, 'biom--other', 'main'), { recursive: true });
    const broken = join(cache, 'someone--broken', 'v1');
    cpSync(bundledModel('re-electra'), broken, { recursive: true });
    rmSync(join(broken, 'tokenizer.json'));

    const models = await listDownloadedModels(cache);
    assert.deepEqual(
      models.map((m) => [m.name, m.source, m.task ?? null, m.problem ?? null]),
      [
        ['biom/ner-electra@main', 'downloaded', 'ner', null],
        ['v1', 'downloaded', null, 'tokenizer.json is missing'],
      ],
    );
    assert.equal(models[0].repo, 'biom/ner-electra');

    const all = await listLocalModels({ bundledDir: join(root, 'models'), cacheDir: cache, folders: [done, bundledModel('qa-albert')] });
    assert.equal(all.length, 5, 'chosen folders already listed are not repeated');
  });
});

describe('verifyModelFolder', () => {
  it('passes a bundled model after loading the tokenizer and running both variants', async () => {
    const report = await verifyModelFolder(bundledModel('qa-albert'));
    assert.equal(report.ok, true, report.problems.join('; '));
    assert.equal(report.task, 'qa');
    assert.deepEqual(
      report.variants.map((v) => [v.variant, v.ok]),
      [
        ['fp32', true],
        ['int8', true],
      ],
    );
    assert.deepEqual(report.variants[0].outputs?.start_logits, [1, report.tokenizer?.sampleTokens]);
  });

  it('reports a label count that does not match the model output', async () => {
    const dir = copyWithConfig(bundledModel('re-electra'), (config) => {
      config.id2label = { 0: 'false', 1: 'CPR:3' };
    });
    const report = await verifyModelFolder(dir);
    assert.equal(report.ok, false);
    assert.match(report.problems.join('\n'), /onnx\/model\.onnx: output "logits" has shape \[1, 6\], expected \[1, 2\]/);
  });

  it('reports a truncated ONNX file and a missing folder without throwing', async () => {
    const dir = copyWithConfig(bundledModel('re-electra'), () => undefined);
    truncateSync(join(dir, 'onnx', 'model.onnx'), 1000);
    const report = await verifyModelFolder(dir);
    assert.equal(report.ok, false);
    assert.equal(report.tokenizer?.ok, true);
    assert.match(report.problems[0], /not a usable ONNX model/);

    const missing = await verifyModelFolder(join(temp(), 'nothing-here'));
    assert.deepEqual([missing.ok, missing.problems], [false, ['is not a folder']]);
  });

  it('reports an unsupported architecture', async () => {
    const dir = copyWithConfig(bundledModel('ner-albert'), (config) => {
      config.architectures = ['AlbertForMaskedLM'];
    });
    const report = await verifyModelFolder(dir);
    assert.equal(report.ok, false);
    assert.match(report.problems[0], /AlbertForMaskedLM is not supported/);
  });
});

describe('biom models list / verify', () => {
  const run = (args: string[]) => captureCommand(runModelsCommand, args);

  it('lists bundled models as JSON', async () => {
    const result = await run(['list', '--cache', temp()]);
    assert.equal(result.code, 0, result.err);
    const models = JSON.parse(result.out) as { name: string; source: string }[];
    assert.deepEqual(
      models.map((m) => `${m.source}:${m.name}`),
      ['bundled:ner-albert', 'bundled:qa-albert', 'bundled:re-electra'],
    );
  });

  it('verify prints a JSON report and exits 1 on problems', async () => {
    const good = await run(['verify', bundledModel('ner-albert')]);
    assert.equal(good.code, 0, good.err);
    assert.equal((JSON.parse(good.out) as { ok: boolean }).ok, true);
    const bad = await run(['verify', join(temp(), 'missing')]);
    assert.equal(bad.code, 1);
    assert.equal((JSON.parse(bad.out) as { ok: boolean }).ok, false);
    assert.match(bad.err, /is not a folder/);
    assert.equal((await run(['verify'])).code, 2);
  });
});
