// Owns `biom normalize` (mentions in context -> database ids, JSON lines) and `biom eval normalize` (linking accuracy).
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Engine } from '../../core/engine';
import { InputError, ModelError } from '../../core/errors';
import { readPubtator } from '../../core/formats/pubtator';
import { bundledNormalizer } from '../../core/normalize/bundled';
import { evaluateLinking } from '../../core/normalize/evaluate';
import {
  DEFAULT_GENE_SPECIES,
  DEFAULT_MIN_LINK_SCORE,
  SUPPORTED_GENE_SPECIES,
  documentContext,
  linkKindOf,
  type LinkKind,
  type NormalizeOptions,
  type Normalizer,
} from '../../core/normalize/normalizer';
import { annotateText, DEFAULT_AGGREGATION, DEFAULT_MIN_SCORE, localPipeline } from '../../core/pipeline';
import type { Entity } from '../../core/types';
import { UsageError, type CommandIo } from '../io';

export const NORMALIZE_USAGE = `Usage:
  biom normalize [--species human] [--min-score 0.5] [FILE|-]      JSON lines in, one JSON line out per input line
  biom normalize --about                                         vocabularies, versions and credits (JSON)
  biom eval normalize --corpus FILE.pubtator --type chemical|gene [--species human] [--ner DIR] [--limit N]

Input lines of biom normalize, either form:
  {"mention": "DM", "type": "chemical", "context": "… dextromethorphan (DM) …"}   context optional (abbreviations)
  {"text": "document", "entities": [{"start": 0, "end": 16, "label": "Chemical"}, …]}   offsets UTF-16, label
      chemical or gene (CHEMICAL, GENE, GENE-Y, …); every entity comes back with "ids"
Output: {"mention", "type", "ids": [{"id": "MESH:D003915", "score", "name", "matched"}]} or {"entities": [...]};
ids are best first; genes get "NCBIGene:N" and "HGNC:N" of the same record; [] means no record was good enough.
A bad line answers {"error": "…"} and the rest go on (exit status 1 at the end).
Species: genes are linked for ${SUPPORTED_GENE_SPECIES.join(', ')} only (HGNC); any other --species gives genes no ids.
`;

type Values = Record<string, string | boolean | undefined>;

function parse(argv: string[], options: Record<string, { type: 'string' | 'boolean' }>): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } }, allowPositionals: true });
    return { values: values as Values, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function linkOptions(values: Values): NormalizeOptions {
  const species = typeof values.species === 'string' ? values.species.trim().toLowerCase() : DEFAULT_GENE_SPECIES;
  const minScore = Number(typeof values['min-score'] === 'string' ? values['min-score'] : DEFAULT_MIN_LINK_SCORE);
  if (!(minScore >= 0 && minScore <= 1)) throw new UsageError('--min-score must be between 0 and 1');
  return { species, minScore };
}

function kindOf(value: unknown, what: string): LinkKind {
  const kind = typeof value === 'string' ? linkKindOf(value) : undefined;
  if (!kind)
    throw new InputError(`${what} must be "chemical" or "gene" (or a label such as CHEMICAL, GENE-Y), got ${JSON.stringify(value)}`);
  return kind;
}

/** One input line -> one output object (throws InputError for a malformed line). */
export function normalizeRecord(normalizer: Normalizer, record: Record<string, unknown>, options: NormalizeOptions): unknown {
  if (typeof record.mention === 'string') {
    const type = kindOf(record.type, '"type"');
    if (record.context !== undefined && typeof record.context !== 'string') throw new InputError('"context" must be a string');
    const context = typeof record.context === 'string' ? documentContext(record.context) : undefined;
    return { mention: record.mention, type, ids: normalizer.link(record.mention, type, context, options) };
  }
  if (typeof record.text === 'string' && Array.isArray(record.entities)) {
    const text = record.text;
    const entities = record.entities.map((raw, i): Entity => {
      const e = raw as Record<string, unknown>;
      if (typeof e !== 'object' || e === null || !Number.isInteger(e.start) || !Number.isInteger(e.end)) {
        throw new InputError(`entities[${i}] needs integer "start" and "end"`);
      }
      const start = e.start as number;
      const end = e.end as number;
      if (start < 0 || end < start || end > text.length)
        throw new InputError(`entities[${i}]: ${start}-${end} is outside the text (0-${text.length})`);
      if (typeof e.label !== 'string') throw new InputError(`entities[${i}] needs a "label"`);
      return {
        ...(e as object),
        label: e.label,
        score: typeof e.score === 'number' ? e.score : 1,
        start,
        end,
        text: text.slice(start, end),
      };
    });
    return { entities: normalizer.normalizeEntities(text, entities, options) };
  }
  throw new InputError('each line needs {"mention", "type"} or {"text", "entities"}');
}

/** `biom normalize`: exit 0, 1 (a line failed or a file problem), 2 (usage). */
export async function runNormalizeCommand(argv: string[], io: CommandIo): Promise<number> {
  try {
    const { values, positionals } = parse(argv, {
      species: { type: 'string' },
      'min-score': { type: 'string' },
      about: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout.write(NORMALIZE_USAGE);
      return 0;
    }
    const options = linkOptions(values);
    const normalizer = bundledNormalizer();
    if (values.about) {
      const about = (['chemical', 'gene'] as const).map((kind) => {
        const { header } = normalizer.index(kind)!;
        return {
          kind,
          namespace: header.namespace,
          vocabulary: header.vocabulary,
          version: header.version,
          credit: header.credit,
          species: header.species,
          records: header.concepts,
          names: header.names,
          sources: header.sources,
        };
      });
      io.stdout.write(JSON.stringify(about, null, 2) + '\n');
      return 0;
    }
    if (positionals.length > 1) throw new UsageError(`one input file at most, got ${positionals.length}`);
    const file = positionals[0];
    if ((file === undefined || file === '-') && process.stdin.isTTY) throw new UsageError('pipe JSON lines on stdin, or give a FILE');
    const input = file === undefined || file === '-' ? process.stdin : createReadStream(file);
    let failures = 0;
    const lines = createInterface({ input, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (line.trim() === '') continue;
        let out: unknown;
        try {
          const record = JSON.parse(line) as unknown;
          if (typeof record !== 'object' || record === null || Array.isArray(record))
            throw new InputError('each line must be a JSON object');
          out = normalizeRecord(normalizer, record as Record<string, unknown>, options);
        } catch (e) {
          if (!(e instanceof InputError || e instanceof SyntaxError)) throw e;
          failures++;
          out = { error: e instanceof SyntaxError ? `not JSON: ${e.message}` : e.message };
        }
        io.stdout.write(JSON.stringify(out) + '\n');
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR')
        throw new InputError(`cannot read ${file}: ${(e as Error).message}`);
      throw e;
    }
    return failures > 0 ? 1 : 0;
  } catch (e) {
    return report(e, io, 'normalize');
  }
}

/** `biom eval normalize`: prints LinkingScores as JSON. */
export async function runEvalNormalize(argv: string[], io: CommandIo): Promise<number> {
  let engine: Engine | undefined;
  try {
    const { values } = parse(argv, {
      corpus: { type: 'string' },
      type: { type: 'string' },
      species: { type: 'string' },
      ner: { type: 'string' },
      limit: { type: 'string' },
      threads: { type: 'string' },
      'min-score': { type: 'string' },
      quantized: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout.write(NORMALIZE_USAGE);
      return 0;
    }
    const corpus = typeof values.corpus === 'string' ? values.corpus : undefined;
    if (!corpus) throw new UsageError('--corpus FILE.pubtator is required');
    if (values.type !== 'chemical' && values.type !== 'gene') throw new UsageError('--type must be chemical or gene');
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) throw new UsageError('--limit must be an integer >= 1');
    const species = typeof values.species === 'string' ? values.species.trim().toLowerCase() : undefined;
    let text: string;
    try {
      text = readFileSync(corpus, 'utf8');
    } catch (e) {
      throw new InputError(`cannot read ${corpus}: ${(e as Error).message}`);
    }
    const docs = readPubtator(text);
    if (docs.length === 0) throw new InputError(`${corpus}: no PubTator documents`);
    let recognize: ((doc: { text: string }) => Promise<Entity[]>) | undefined;
    if (typeof values.ner === 'string') {
      const threads = values.threads === undefined ? undefined : Number(values.threads);
      engine = new Engine({ threads });
      const model = await engine.load({ folder: values.ner, quantized: values.quantized === true }, 'ner');
      // The pipeline `biom annotate` and the editor run (word-level max, min score 0.5), so the numbers describe them.
      const pipeline = localPipeline(model, undefined, { aggregation: DEFAULT_AGGREGATION, minScore: DEFAULT_MIN_SCORE });
      recognize = async (doc) => (await annotateText(doc.text, pipeline)).entities;
    }
    const scores = await evaluateLinking(docs, bundledNormalizer(), {
      type: values.type,
      species,
      minScore: linkOptions(values).minScore,
      recognize,
      limit,
    });
    io.stdout.write(JSON.stringify(scores, null, 2) + '\n');
    return 0;
  } catch (e) {
    return report(e, io, 'eval normalize');
  } finally {
    await engine?.dispose();
  }
}

function report(e: unknown, io: CommandIo, command: string): number {
  if (e instanceof UsageError) {
    io.stderr.write(`biom ${command}: ${e.message}\n\n${NORMALIZE_USAGE}`);
    return 2;
  }
  if (e instanceof InputError || e instanceof ModelError) {
    io.stderr.write(`biom ${command}: ${e.message}\n`);
    return 1;
  }
  io.stderr.write(`biom ${command}: ${(e as Error)?.message ?? String(e)}\n`);
  return 1;
}
