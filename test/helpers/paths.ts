// Paths of the fixtures every test uses (copied into the project; a fresh clone has no ../shared), and their readers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
export const bundledModel = (name: 'ner-albert' | 're-electra' | 'qa-albert'): string => join(root, 'models', name);
export const fixtureModel = (name: string): string =>
  name === 'ner-electra' ? join(root, 'test', 'fixtures', 'models', name) : join(root, 'models', name);
export const fixture = (...parts: string[]): string => join(root, 'test', 'fixtures', ...parts);

/** ChemProt development abstracts as "title abstract" texts, in file order (one paragraph each: no blank line). */
export function chemprotDevAbstracts(): string[] {
  return readFileSync(fixture('chemprot', 'development_abstracts.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [, title, abstract] = line.split('\t');
      return `${title} ${abstract}`;
    });
}
