// Owns the extension's settings: one typed Config mirroring package.json contributes.configuration, read in one place.
import { CURATION_FORMATS, type CurationFormat } from '../core/curation/codec';
import { DEFAULT_AGGREGATION, DEFAULT_MIN_SCORE } from '../core/pipeline';
import { AGGREGATIONS, type Aggregation } from '../core/types';
import { DEVICES, type Device, type QuantizedSetting } from '../core/runtime/sessionPolicy';
import { NER_MODES, type NerMode } from '../core/tasks/ner';

/** A document filter as VS Code takes it; a bare string in the setting means a language id. */
export interface DocumentFilterConfig {
  language?: string;
  scheme?: string;
  pattern?: string;
}

export interface Config {
  models: {
    /** NER model folders; results of several are merged. Empty means the bundled model. */
    ner: string[];
    relations: string;
    qa: string;
  };
  /** mode: `exact` windows the whole text (pipeline parity); `fast` classifies sentences batched by length. */
  ner: { aggregation: Aggregation; minScore: number; mode: NerMode };
  live: { enabled: boolean; debounceMs: number };
  documentSelector: DocumentFilterConfig[];
  /** quantized `auto`: int8 for large models that ship it (useInt8); device: where sessions run (CPU fallback). */
  runtime: { threads: number; quantized: QuantizedSetting; device: Device };
  hub: { url: string };
  /** Linking entities to MeSH / NCBI Gene / HGNC; geneSpecies other than "human" gives genes no ids (human-only data). */
  normalization: { enabled: boolean; geneSpecies: string };
  /** The persistent result cache's bound in MB (global storage); 0 turns it off. */
  cache: { maxSizeMB: number };
  /** Curation: extra types to offer, the file kept beside each document, and whether it is written after each decision. */
  curation: { types: string[]; format: CurationFormat; autoSave: boolean };
}

/** The part of vscode.WorkspaceConfiguration this module needs, so it can be read (and tested) without 'vscode'. */
export interface ConfigSource {
  get<T>(section: string): T | undefined;
}

export const CONFIG_SECTION = 'biom';

/**
 * Settings a workspace may not set unless the user trusts it: which code runs (model folders), where a token goes
 * (the hub) and whether models start on their own (live mode). package.json lists the same keys under
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`; a test keeps the two in step.
 */
export const RESTRICTED_SETTINGS: readonly string[] = ['models.ner', 'models.relations', 'models.qa', 'hub.url', 'live.enabled'];

/** What `WorkspaceConfiguration.inspect` returns, reduced to what {@link trustedSource} needs. */
export interface InspectSource extends ConfigSource {
  inspect<T>(section: string): { defaultValue?: T; globalValue?: T } | undefined;
}

/**
 * The settings as this workspace may set them: in a trusted workspace everything as VS Code merges it; in an
 * untrusted one the restricted settings come from the user's own settings or the defaults only, never from the
 * workspace's `.vscode/settings.json` (as VS Code's TypeScript extension does for `typescript.tsdk`).
 */
export function trustedSource(source: InspectSource, workspaceTrusted: boolean): ConfigSource {
  if (workspaceTrusted) return source;
  return {
    get<T>(section: string): T | undefined {
      if (!RESTRICTED_SETTINGS.includes(section)) return source.get<T>(section);
      const inspected = source.inspect<T>(section);
      return inspected?.globalValue ?? inspected?.defaultValue;
    },
  };
}

export const DEFAULT_CONFIG: Config = {
  models: { ner: [], relations: '', qa: '' },
  ner: { aggregation: DEFAULT_AGGREGATION, minScore: DEFAULT_MIN_SCORE, mode: 'exact' },
  live: { enabled: false, debounceMs: 500 },
  documentSelector: [{ language: 'plaintext' }, { language: 'markdown' }, { scheme: 'untitled' }],
  runtime: { threads: 0, quantized: 'auto', device: 'auto' },
  hub: { url: 'https://huggingface.co' },
  normalization: { enabled: true, geneSpecies: 'human' },
  cache: { maxSizeMB: 200 },
  curation: { types: [], format: 'brat', autoSave: true },
};

function stringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

function number(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

function documentFilters(value: unknown): DocumentFilterConfig[] {
  if (!Array.isArray(value)) return DEFAULT_CONFIG.documentSelector;
  const filters: DocumentFilterConfig[] = [];
  for (const item of value) {
    if (typeof item === 'string' && item.trim() !== '') filters.push({ language: item.trim() });
    else if (typeof item === 'object' && item !== null) {
      const { language, scheme, pattern } = item as Record<string, unknown>;
      const filter: DocumentFilterConfig = {};
      if (typeof language === 'string') filter.language = language;
      if (typeof scheme === 'string') filter.scheme = scheme;
      if (typeof pattern === 'string') filter.pattern = pattern;
      if (Object.keys(filter).length > 0) filters.push(filter);
    }
  }
  return filters;
}

/** `biom.runtime.quantized`: true/false as before, "auto" (the default) or anything else falls back to "auto". */
function quantizedSetting(value: unknown): QuantizedSetting {
  return value === true || value === false ? value : 'auto';
}

/** Reads every setting, falling back to the default for values of the wrong type (a hand-edited settings.json). */
export function readConfig(source: ConfigSource): Config {
  const aggregation = source.get<string>('ner.aggregation');
  return {
    models: {
      ner: stringList(source.get<unknown>('models.ner')),
      relations: text(source.get<unknown>('models.relations'), ''),
      qa: text(source.get<unknown>('models.qa'), ''),
    },
    ner: {
      aggregation: AGGREGATIONS.find((a) => a === aggregation) ?? DEFAULT_CONFIG.ner.aggregation,
      minScore: number(source.get<unknown>('ner.minScore'), DEFAULT_CONFIG.ner.minScore, 0, 1),
      mode: NER_MODES.find((m) => m === source.get<unknown>('ner.mode')) ?? DEFAULT_CONFIG.ner.mode,
    },
    live: {
      enabled: source.get<unknown>('live.enabled') === true,
      debounceMs: number(source.get<unknown>('live.debounceMs'), DEFAULT_CONFIG.live.debounceMs, 50, 10_000),
    },
    documentSelector: documentFilters(source.get<unknown>('documentSelector')),
    runtime: {
      threads: Math.round(number(source.get<unknown>('runtime.threads'), 0, 0, 256)),
      quantized: quantizedSetting(source.get<unknown>('runtime.quantized')),
      device: DEVICES.find((d) => d === source.get<unknown>('runtime.device')) ?? DEFAULT_CONFIG.runtime.device,
    },
    hub: { url: text(source.get<unknown>('hub.url'), DEFAULT_CONFIG.hub.url) || DEFAULT_CONFIG.hub.url },
    normalization: {
      enabled: source.get<unknown>('normalization.enabled') !== false,
      geneSpecies: text(source.get<unknown>('normalization.geneSpecies'), 'human').toLowerCase() || 'human',
    },
    cache: { maxSizeMB: number(source.get<unknown>('cache.maxSizeMB'), DEFAULT_CONFIG.cache.maxSizeMB, 0, 100_000) },
    curation: {
      // brat type names cannot hold spaces (the setting's pattern says so; a hand-edited value is cleaned here).
      types: stringList(source.get<unknown>('curation.types')).filter((t) => !/\s/.test(t)),
      format: CURATION_FORMATS.find((f) => f === source.get<unknown>('curation.format')) ?? DEFAULT_CONFIG.curation.format,
      autoSave: source.get<unknown>('curation.autoSave') !== false,
    },
  };
}

/** Which parts of the extension a settings change touches, so each rebuilds only what it must. */
export function configChanges(before: Config, after: Config): { decorations: boolean; models: boolean; runtime: boolean; live: boolean } {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  return {
    decorations: before.ner.minScore !== after.ner.minScore,
    models:
      !same(before.models, after.models) ||
      before.ner.aggregation !== after.ner.aggregation ||
      before.ner.mode !== after.ner.mode ||
      !same(before.normalization, after.normalization),
    runtime: !same(before.runtime, after.runtime),
    live: !same(before.live, after.live) || !same(before.documentSelector, after.documentSelector),
  };
}
