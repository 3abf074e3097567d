// `biom annotate` and the editor (host annotator → worker process) give the same entities and relations on one text.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ModelRef } from '../../src/core/engine';
import { DEFAULT_AGGREGATION, DEFAULT_MIN_SCORE, shownEntities } from '../../src/core/pipeline';
import { AGGREGATIONS, type Aggregation } from '../../src/core/types';
import { AnnotationStore } from '../../src/host/annotationStore';
import { DocumentAnnotator } from '../../src/host/documentAnnotator';
import { WorkerBackend } from '../../src/host/workerBackend';
import { biom } from '../helpers/cli';
import { bundledModel, chemprotDevAbstracts, root } from '../helpers/paths';

const ner: ModelRef = { folder: bundledModel('ner-albert') };
const relations: ModelRef = { folder: bundledModel('re-electra') };
const backend = new WorkerBackend({ workerPath: join(root, 'src', 'worker', 'main.ts'), execArgv: ['--import', 'tsx'], threads: 1 });
after(() => backend.dispose());

interface Output {
  id: string;
  entities: unknown[];
  relations: unknown[];
}

/** What the editor holds after Extract Relations on each text with these settings. */
async function editor(texts: readonly string[], aggregation: Aggregation, minScore: number): Promise<Output[]> {
  const store = new AnnotationStore();
  const annotator = new DocumentAnnotator({
    backend,
    store,
    settings: () => ({ aggregation, minScore }),
    models: () => ({ ner: [ner], relations, qa: relations }),
  });
  const out: Output[] = [];
  for (const [i, text] of texts.entries()) {
    const uri = `untitled:${i}`;
    const found = await annotator.extractRelations({ uri, version: 1, name: `${i}`, getText: () => text });
    assert.ok(found, `relations for text ${i}`);
    const entities = shownEntities(store.get(uri)!.entities, minScore);
    // Compared as the CLI prints them: JSON.
    out.push(JSON.parse(JSON.stringify({ id: String(i).padStart(2, '0'), entities, relations: found })) as Output);
  }
  return out;
}

function cli(dir: string, args: string[]): Output[] {
  const r = biom(['annotate', dir, '--format', 'json', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Output);
}

test('20 ChemProt abstracts: the CLI and the editor find the same entities and relations with the default settings', async () => {
  const texts = chemprotDevAbstracts().slice(0, 20);
  // One file holds three abstracts as paragraphs: both paths split paragraphs the same way.
  texts[19] = texts.slice(17, 20).join('\n\n');
  const dir = mkdtempSync(join(tmpdir(), 'biom-parity-'));
  try {
    texts.forEach((text, i) => writeFileSync(join(dir, `${String(i).padStart(2, '0')}.txt`), text));
    const fromCli = cli(dir, []);
    const fromEditor = await editor(texts, DEFAULT_AGGREGATION, DEFAULT_MIN_SCORE);
    assert.equal(fromCli.length, 20);
    assert.ok(fromCli.reduce((n, d) => n + d.relations.length, 0) > 0, 'some relations to compare');
    assert.deepEqual(fromCli, fromEditor);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every aggregation: the CLI and the editor agree (3 abstracts each, every score kept)', async () => {
  const texts = chemprotDevAbstracts().slice(20, 23);
  const dir = mkdtempSync(join(tmpdir(), 'biom-parity-'));
  try {
    texts.forEach((text, i) => writeFileSync(join(dir, `${String(i).padStart(2, '0')}.txt`), text));
    for (const aggregation of AGGREGATIONS) {
      const fromCli = cli(dir, ['--aggregation', aggregation, '--min-score', '0']);
      assert.deepEqual(fromCli, await editor(texts, aggregation, 0), aggregation);
      assert.ok(
        fromCli.some((d) => d.entities.length > 0),
        `${aggregation} finds entities`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
