// Paths of the fixtures every test uses (copied into the project; a fresh clone has no ../shared).
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
export const bundledModel = (name: 'ner-albert' | 're-electra' | 'qa-albert'): string => join(root, 'models', name);
export const fixtureModel = (name: string): string =>
  name === 'ner-electra' ? join(root, 'test', 'fixtures', 'models', name) : join(root, 'models', name);
export const fixture = (...parts: string[]): string => join(root, 'test', 'fixtures', ...parts);
