// Owns finding and loading the bundled indexes (resources/normalization) once per process, only the kinds asked for.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../errors';
import type { Entity } from '../types';
import { Normalizer, type LinkKind, type NormalizeOptions } from './normalizer';
import { loadIndexFile, type VocabularyIndex } from './vocabulary';

export const INDEX_FILES: Record<LinkKind, string> = { chemical: 'mesh.tsv.br', gene: 'hgnc.tsv.br' };

/** resources/normalization next to dist/ (extension, CLI bundle) or above src/core/normalize (tests, tsx). */
export function bundledNormalizationDir(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'resources', 'normalization');
    if (existsSync(join(candidate, INDEX_FILES.chemical))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new InputError(`normalization indexes not found above ${start}: run npm run build:normalization`);
    dir = parent;
  }
}

const loaded = new Map<string, VocabularyIndex>();

/** The index of one kind from `dir` (default: the bundled one); loaded on first use and kept. */
export function loadIndex(kind: LinkKind, dir: string = bundledNormalizationDir()): VocabularyIndex {
  const path = join(dir, INDEX_FILES[kind]);
  let index = loaded.get(path);
  if (!index) {
    if (!existsSync(path)) throw new InputError(`${path} is missing: run npm run build:normalization`);
    index = loadIndexFile(path);
    loaded.set(path, index);
  }
  return index;
}

/** A normalizer over the bundled indexes (or those in `dir`); each index loads when first needed. */
export function bundledNormalizer(dir?: string): Normalizer {
  return new Normalizer({ chemical: () => loadIndex('chemical', dir), gene: () => loadIndex('gene', dir) });
}

let shared: Normalizer | undefined;

/**
 * The document's entities with ids (chemicals: MeSH, genes: NCBI Gene + HGNC), or unchanged when `options` is
 * undefined (normalization off). One call site per pipeline: the CLI's annotate and the editor's worker use it.
 */
export function normalizeDocument<T extends Omit<Entity, 'ids'>>(
  text: string,
  entities: readonly T[],
  options: NormalizeOptions | undefined,
): (T & Pick<Entity, 'ids'>)[] {
  if (!options) return [...entities];
  shared ??= bundledNormalizer();
  return shared.normalizeEntities(text, entities, options);
}
