// What the model picker says about folders it cannot use: real folders on disk, the bundled models as they ship.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { describeModelFolder } from '../../src/core/models/registry';
import { demoNotice, demoTag, modelFolderAdvice } from '../../src/host/modelFolderAdvice';
import { bundledModel } from '../helpers/paths';

describe('model folder advice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'biom-advice-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('says a path does not exist, rather than that it is not a folder', () => {
    assert.match(modelFolderAdvice(join(dir, 'nowhere')), /nowhere does not exist\. Choose a model folder holding config\.json/);
  });

  it('detects PyTorch and TensorFlow checkpoints and points to the export tool', () => {
    for (const [file, flag] of [
      ['pytorch_model.bin', ''],
      ['model.safetensors', ''],
      ['tf_model.h5', ' --from-tf'],
    ] as const) {
      const folder = join(dir, file.replace('.', '-'));
      mkdirSync(folder);
      copyFileSync(join(bundledModel('ner-albert'), 'config.json'), join(folder, 'config.json'));
      writeFileSync(join(folder, file), 'weights');
      const advice = modelFolderAdvice(folder);
      assert.match(advice, new RegExp(`\\(${file.replace('.', '\\.')}\\), not an ONNX export`));
      assert.ok(advice.includes(`tools/export_onnx.py --model "${folder}" --out <new folder>${flag}`), advice);
    }
  });

  it('names every missing file, not only the first, for the problem the registry finds', async () => {
    const folder = join(dir, 'half');
    mkdirSync(folder);
    copyFileSync(join(bundledModel('re-electra'), 'config.json'), join(folder, 'config.json'));
    const described = await describeModelFolder(folder, 'folder');
    assert.ok(described.problem, 'the registry refuses it');
    assert.match(modelFolderAdvice(folder, described.problem), /half is missing tokenizer\.json, onnx\/model\.onnx\. A model folder needs/);
  });

  it('tags the bundled models as demonstrations with their measured scores and says so once per annotation', () => {
    assert.match(demoTag('ner'), /^demo · exact-span F1 0\.457/);
    assert.match(demoTag('relations'), /micro-F1 0\.228/);
    assert.match(demoNotice('ner', true) ?? '', /ner-albert is a bundled demonstration model .*Select Model…/);
    assert.equal(demoNotice('ner', false), undefined);
  });
});
