// Owns the choice of standoff format for a curated document: brat (default) or BioC JSON, each a writer, a reader and
// the file extension that goes next to the text file.
import { readCuratedAnn, writeCuratedAnn } from '../formats/bratAnn';
import { readCuratedBiocJson, writeCuratedBiocJson } from '../formats/curatedBioc';
import type { AnnProblem, CurationState } from './types';
import { extname } from 'node:path';

export type CurationFormat = 'brat' | 'bioc-json';

export const CURATION_FORMATS: readonly CurationFormat[] = ['brat', 'bioc-json'];

export interface CurationCodec {
  /** Appended to the text file's stem: ".ann", ".bioc.json". */
  extension: string;
  /** `name`: the standoff file's name, which gives the BioC document its id. */
  write(text: string, state: CurationState, name: string): string;
  read(text: string, content: string): { state: CurationState; problems: AnnProblem[] };
}

const CODECS: Record<CurationFormat, CurationCodec> = {
  brat: { extension: '.ann', write: (text, state) => writeCuratedAnn(text, state), read: readCuratedAnn },
  'bioc-json': {
    extension: '.bioc.json',
    write: (text, state, name) => writeCuratedBiocJson(name.replace(/\.bioc\.json$/, ''), text, state),
    read: readCuratedBiocJson,
  },
};

export function curationCodec(format: CurationFormat): CurationCodec {
  return CODECS[format];
}

/**
 * The standoff file of a document, next to it. brat's convention: `abstract.txt` → `abstract.ann`. Any other extension
 * keeps it (`notes.md` → `notes.md.ann`), so `notes.md` and `notes.txt` in one folder never share a file. BioC JSON:
 * the same rule with `.bioc.json`.
 */
export function curationPathFor(textPath: string, format: CurationFormat = 'brat'): string {
  const ext = extname(textPath);
  const stem = ext.toLowerCase() === '.txt' ? textPath.slice(0, -ext.length) : textPath;
  return `${stem}${CODECS[format].extension}`;
}
