// Owns the choice of standoff format for a curated document: brat (default) or BioC JSON, each a writer, a reader and
// the file extension that goes next to the text file.
import { readCuratedAnn, writeCuratedAnn } from '../formats/bratAnn';
import { readCuratedBiocJson, writeCuratedBiocJson } from '../formats/curatedBioc';
import type { AnnProblem, CurationState } from './types';

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
