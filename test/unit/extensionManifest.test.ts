// The command table, package.json contributes (commands, menus, keybindings, views, colours, settings) and Config agree.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ALL_COMMAND_IDS } from '../../src/extension/commands/commandIds';
import { DEFAULT_CONFIG, readConfig, type ConfigSource } from '../../src/extension/config';
import { QA_VIEW_ID } from '../../src/extension/qa/qaViewId';
import { ENTITIES_VIEW_ID } from '../../src/extension/curation/entitiesViewId';
import { DEFAULT_AGGREGATION, DEFAULT_MIN_SCORE } from '../../src/core/pipeline';
import { AGGREGATIONS } from '../../src/core/types';

const root = join(import.meta.dirname, '..', '..');

interface Manifest {
  icon?: string;
  main: string;
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string }[]>;
    keybindings: { command: string }[];
    viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
    views: Record<string, { id: string; type?: string }[]>;
    colors: { id: string }[];
    configuration: { properties: Record<string, { default?: unknown }> };
  };
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

/** A ConfigSource made of the package.json defaults: what VS Code returns for a user who changed nothing. */
function defaults(overrides: Record<string, unknown> = {}): ConfigSource {
  return {
    get<T>(key: string): T | undefined {
      const full = `biom.${key}`;
      return (full in overrides ? overrides[full] : manifest.contributes.configuration.properties[full]?.default) as T | undefined;
    },
  };
}

describe('package.json and the CommandId table', () => {
  it('contributes exactly the commands in the table, each with a title in the BioM category', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, [...ALL_COMMAND_IDS].sort());
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'BioM');
      assert.ok(c.title.length > 0);
    }
  });

  it('menus and keybindings only name commands in the table', () => {
    const known = new Set<string>(ALL_COMMAND_IDS);
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries) assert.ok(known.has(entry.command), `${menu}: ${entry.command}`);
    }
    for (const k of manifest.contributes.keybindings) assert.ok(known.has(k.command), k.command);
    const context = manifest.contributes.menus['editor/context'].map((e) => e.command);
    assert.ok(context.includes('biom.annotateSelection') && context.includes('biom.askQuestion'));
  });

  it('has a BioM activity-bar container holding the QA webview view and the Entities tree, with icons that exist', () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.id === 'biom');
    assert.ok(container);
    assert.equal(container.title, 'BioM');
    assert.ok(existsSync(join(root, container.icon)), container.icon);
    assert.deepEqual(
      manifest.contributes.views.biom.map((v) => [v.id, v.type]),
      [
        [QA_VIEW_ID, 'webview'],
        [ENTITIES_VIEW_ID, undefined],
      ],
    );
    assert.ok(manifest.icon && existsSync(join(root, manifest.icon)));
    assert.equal(manifest.main, './dist/extension.js');
  });

  it('contributes the three themable entity colours and the three curated-entity border colours', () => {
    assert.deepEqual(manifest.contributes.colors.map((c) => c.id).sort(), [
      'biom.curated.chemical',
      'biom.curated.gene',
      'biom.curated.other',
      'biom.entity.chemical',
      'biom.entity.gene',
      'biom.entity.other',
    ]);
  });
});

describe('settings and Config', () => {
  it('every Config setting is contributed, and nothing else is', () => {
    const contributed = Object.keys(manifest.contributes.configuration.properties).sort();
    assert.deepEqual(contributed, [
      'biom.cache.maxSizeMB',
      'biom.curation.autoSave',
      'biom.curation.format',
      'biom.curation.types',
      'biom.documentSelector',
      'biom.hub.url',
      'biom.live.debounceMs',
      'biom.live.enabled',
      'biom.models.ner',
      'biom.models.qa',
      'biom.models.relations',
      'biom.ner.aggregation',
      'biom.ner.minScore',
      'biom.ner.mode',
      'biom.normalization.enabled',
      'biom.normalization.geneSpecies',
      'biom.runtime.device',
      'biom.runtime.quantized',
      'biom.runtime.threads',
    ]);
  });

  it('the aggregation setting offers the core strategies, and its default is the one of the CLI and the demo', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { enum?: string[]; default: unknown }> } };
    };
    const setting = pkg.contributes.configuration.properties['biom.ner.aggregation'];
    assert.deepEqual(setting.enum, [...AGGREGATIONS]);
    assert.equal(setting.default, DEFAULT_AGGREGATION);
    assert.equal(pkg.contributes.configuration.properties['biom.ner.minScore'].default, DEFAULT_MIN_SCORE);
  });

  it('the package.json defaults read as DEFAULT_CONFIG', () => {
    assert.deepEqual(readConfig(defaults()), DEFAULT_CONFIG);
  });

  it('takes one NER folder or several, and falls back on values of the wrong type', () => {
    assert.deepEqual(readConfig(defaults({ 'biom.models.ner': '/m/a' })).models.ner, ['/m/a']);
    assert.deepEqual(readConfig(defaults({ 'biom.models.ner': ['/m/a', ' ', '/m/b'] })).models.ner, ['/m/a', '/m/b']);
    const odd = readConfig(defaults({ 'biom.ner.aggregation': 'mean', 'biom.ner.minScore': 'high', 'biom.live.debounceMs': 5 }));
    assert.equal(odd.ner.aggregation, DEFAULT_CONFIG.ner.aggregation);
    assert.equal(odd.ner.minScore, DEFAULT_CONFIG.ner.minScore);
    assert.equal(odd.live.debounceMs, 50);
    assert.deepEqual(
      readConfig(defaults({ 'biom.documentSelector': ['latex', { scheme: 'file', pattern: '**/*.abs' }] })).documentSelector,
      [{ language: 'latex' }, { scheme: 'file', pattern: '**/*.abs' }],
    );
  });
});
