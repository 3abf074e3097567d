// Owns where the CLI finds the bundled default models and sample abstract (next to dist/ or the source tree).
import { existsSync } from 'node:fs';
import * as hostPath from 'node:path';
import { join } from 'node:path';

/**
 * The project/extension root: the nearest folder above this file that holds models/ner-albert (dist/.. in the repo,
 * the VSIX and the npm package alike). The walk stops at the file system's root, which on Windows is a drive (`C:\`)
 * or a share (`\\server\share\`); `path` and `exists` let tests walk Windows paths on any machine.
 */
export function installRoot(
  start: string = __dirname,
  path: hostPath.PlatformPath = hostPath,
  exists: (file: string) => boolean = existsSync,
): string {
  let dir = path.resolve(start);
  for (;;) {
    if (exists(path.join(dir, 'models', 'ner-albert', 'config.json'))) return dir;
    const parent = path.dirname(dir);
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
