// Owns where the CLI finds the bundled default models and sample abstract (next to dist/ or the source tree).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project/extension root: the nearest folder above this file that holds models/ner-albert. */
export function installRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'models', 'ner-albert', 'config.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}

export function bundledModelsDir(): string {
  return join(installRoot(), 'models');
}

export const DEFAULT_MODELS = { ner: 'ner-albert', relations: 're-electra', qa: 'qa-albert' } as const;

export function defaultModel(task: keyof typeof DEFAULT_MODELS): string {
  return join(bundledModelsDir(), DEFAULT_MODELS[task]);
}

export function sampleAbstract(): string {
  return join(installRoot(), 'media', 'samples', 'chemprot-10064839.txt');
}
