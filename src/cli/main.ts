#!/usr/bin/env node
// Owns the `biom` command line: parses arguments, reads inputs, prints JSON; all work is done by the core pipeline.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { Engine, type LoadedModel } from '../core/engine';
import { classifyTexts } from '../core/tasks/relations';
import { answerQuestion } from '../core/tasks/qa';
import { evaluateChemprot, readChemprot } from '../core/eval/chemprot';
import { CancelledError, InputError, ModelError } from '../core/errors';
import { annotateText, DEFAULT_AGGREGATION, DEFAULT_MIN_SCORE, localPipeline } from '../core/pipeline';
import { AGGREGATIONS, type Aggregation } from '../core/types';
import type { ModelTask } from '../core/models/modelFolder';
import { runModelsCommand } from './commands/models';
import { runEvalNormalize, runNormalizeCommand } from './commands/normalize';
import { AGREEMENT_USAGE, runCurationEval } from './commands/curation';
import { runDemo } from './demo';
import { annotateFiles, FORMATS, type Format } from './annotateFiles';
import { startWatchdog, watchdogSeconds } from './watchdog';
import { defaultModel } from './defaults';
import { assertPipedStdin, readInput, UsageError, type CommandIo } from './io';
import { annotateShards, mergeCommand } from './corpus/shards';
import { SHARD_FORMATS, type ShardFormat } from '../core/corpus/shardOutput';

const AGG = `[--aggregation ${DEFAULT_AGGREGATION}]`;

/** One line per command: what `biom --help` lists and what `biom COMMAND --help` prints first. */
const COMMANDS: Record<string, string> = {
  ner: `biom ner [--model DIR] ${AGG} [--stride 64] [--min-score ${DEFAULT_MIN_SCORE}] [--quantized] [FILE|-]`,
  relations: `biom relations [--ner DIR] [--re DIR] ${AGG} [--min-score ${DEFAULT_MIN_SCORE}] [--quantized] [FILE|-]`,
  re: 'biom re [--model DIR] [FILE|-|--jsonl]           classify sentences marked with @CHEMICAL$ / @GENE$',
  qa: 'biom qa [--model DIR] --question Q [--top-k 3] [--doc-stride 128] [--max-answer-len 30] [FILE|-]',
  eval:
    'biom eval chemprot --abstracts A.tsv --entities E.tsv --gold G.tsv --ner DIR [--aggregation simple] [--re DIR] [--limit N]\n' +
    'biom eval normalize --corpus F.pubtator --type chemical|gene [--species human] [--ner DIR]   see biom normalize --help\n' +
    AGREEMENT_USAGE,
  annotate:
    `biom annotate [--ner DIR] [--re DIR | --no-relations] [--format json|pubtator|bioc|brat|conll] [--out DIR] [--force]\n` +
    `              ${AGG} [--min-score ${DEFAULT_MIN_SCORE}] [--normalize [--species human]] PATH…\n` +
    '              files or folders: .txt, .md, .pubtator, PubMed XML, BioC XML/JSON (.xml, .json), each also .gz; streamed\n' +
    'biom annotate --shard-out DIR [--format json|pubtator|bioc|bioc-xml] [--force] [--progress-every N] PATH…\n' +
    '              one output + manifest per input file; complete shards are skipped',
  merge: 'biom merge --format json --out FILE [--summary S.json] [--force] DIR|MANIFEST…   shards in one file, in input-name order',
  normalize: 'biom normalize [--species human] [FILE|-]       JSON lines of mentions in context -> MeSH / NCBI Gene / HGNC ids',
  models: 'biom models pull|list|verify …                  see `biom models --help`',
  demo: 'biom demo                                       annotate a bundled ChemProt abstract',
};

const DETAILS: Record<string, string> = {
  ner: 'Entities with UTF-16 offsets; text is split into paragraphs, each read in overlapping windows.',
  relations: 'Entities at or above --min-score, and the ChemProt relations between the chemicals and genes among them.',
  annotate:
    'Same pipeline as `biom relations` and the editor; --min-score 0 writes every entity. Existing output files are kept unless --force; input files are never written.',
  eval: 'Exact-span NER F1 (every score counted) and RE micro-F1 on gold entities; --aggregation picks the NER grouping.',
};

const COMMON = `Common options: --threads N (onnxruntime intra-op threads), --jsonl (JSON lines on stdin: {"text"} for
ner/relations/re, {"question","context"} for qa; one JSON result per line on stdout).
Aggregations: ${AGGREGATIONS.join(', ')} (the word-level ${DEFAULT_AGGREGATION} is the default; simple and none may cut words).
Without --model the bundled defaults are used. Offsets are UTF-16 code units (JavaScript string indices).
`;

const USAGE = `biom — biomedical NER, ChemProt relations and QA on local ONNX models\n\n${Object.values(COMMANDS)
  .map((line) => `  ${line.replace(/\n/g, '\n  ')}`)
  .join('\n')}\n\n${COMMON}`;

function usageOf(command: string): string {
  return `Usage:\n  ${COMMANDS[command].replace(/\n/g, '\n  ')}\n${DETAILS[command] ? `\n${DETAILS[command]}\n` : ''}\n${COMMON}`;
}

type Values = Record<string, string | boolean | undefined>;

function parse(argv: string[], options: Record<string, { type: 'string' | 'boolean' }>): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, threads: { type: 'string' }, jsonl: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
    return { values: values as Values, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function str(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

function int(values: Values, key: string, min = 0): number | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${key} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

function minScoreOf(values: Values): number {
  const v = str(values, 'min-score');
  const n = v === undefined ? DEFAULT_MIN_SCORE : Number(v);
  if (!(n >= 0 && n <= 1)) throw new UsageError('--min-score must be between 0 and 1');
  return n;
}

/** Runs `handle` on each JSON line of stdin; a bad line answers {"error"} and the batch goes on. */
async function eachJsonLine(io: CommandIo, handle: (record: Record<string, unknown>) => Promise<unknown>): Promise<number> {
  assertPipedStdin('--jsonl');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let failures = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let out: unknown;
    try {
      const record = JSON.parse(line) as unknown;
      if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new InputError('each line must be a JSON object');
      out = await handle(record as Record<string, unknown>);
    } catch (e) {
      if (e instanceof ModelError) throw e;
      failures++;
      out = { error: e instanceof SyntaxError ? `not JSON: ${e.message}` : (e as Error).message };
    }
    io.stdout.write(JSON.stringify(out) + '\n');
  }
  return failures > 0 ? 1 : 0;
}

function field(record: Record<string, unknown>, key: string): string {
  const v = record[key];
  if (typeof v !== 'string') throw new InputError(`"${key}" must be a string`);
  return v;
}

function printJson(io: CommandIo, value: unknown): void {
  io.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/**
 * The model named by --KEY, or the bundled default for the task. --quantized applies to NER and QA; relation models
 * are loaded fp32 (the bundled one has no int8 variant), so --quantized on `relations` does not break them.
 */
async function load(engine: Engine, values: Values, key: string, task: ModelTask): Promise<LoadedModel> {
  const folder = str(values, key) ?? defaultModel(task);
  return engine.load({ folder, quantized: task !== 'relations' && values.quantized === true }, task);
}

/** One text from FILE/stdin, or with --jsonl one {"text"} per line. */
async function runOnText(io: CommandIo, values: Values, positionals: string[], run: (text: string) => Promise<unknown>): Promise<number> {
  if (values.jsonl) return eachJsonLine(io, (r) => run(field(r, 'text')));
  printJson(io, await run(await readInput(positionals)));
  return 0;
}

function aggregationOf(values: Values, fallback: Aggregation = DEFAULT_AGGREGATION): Aggregation {
  const a = str(values, 'aggregation') ?? fallback;
  if (!AGGREGATIONS.includes(a as Aggregation)) throw new UsageError(`--aggregation must be one of ${AGGREGATIONS.join(', ')}`);
  return a as Aggregation;
}

const AGGREGATION = { aggregation: { type: 'string' } } as const;

export async function runCli(argv: string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'models') return runModelsCommand(rest, io);
  if (command === 'normalize') return runNormalizeCommand(rest, io);
  if (command === 'eval' && rest[0] === 'normalize') return runEvalNormalize(rest.slice(1), io);
  if (command === 'eval' && (rest[0] === 'agreement' || rest[0] === 'curated')) return runCurationEval(rest, io);
  if (COMMANDS[command] !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
    io.stdout.write(usageOf(command));
    return 0;
  }
  const engineFor = (values: Values): Engine => new Engine({ threads: int(values, 'threads', 0) });
  let engine: Engine | undefined;
  try {
    switch (command) {
      case 'ner':
      case 'relations': {
        const text = { type: 'string' } as const;
        const models: Record<string, typeof text> = command === 'ner' ? { model: text } : { ner: text, re: text };
        const { values, positionals } = parse(rest, {
          ...models,
          stride: { type: 'string' },
          'min-score': { type: 'string' },
          quantized: { type: 'boolean' },
          ...AGGREGATION,
        });
        const aggregation = aggregationOf(values);
        const stride = int(values, 'stride', 0);
        const minScore = minScoreOf(values);
        engine = engineFor(values);
        const ner = await load(engine, values, command === 'ner' ? 'model' : 'ner', 'ner');
        const re = command === 'relations' ? await load(engine, values, 're', 'relations') : undefined;
        const pipeline = localPipeline(ner, re, { aggregation, minScore, stride });
        return await runOnText(io, values, positionals, async (text) => {
          const result = await annotateText(text, pipeline);
          return command === 'ner' ? result.entities : result;
        });
      }
      case 're': {
        const { values, positionals } = parse(rest, { model: { type: 'string' } });
        engine = engineFor(values);
        const model = await load(engine, values, 'model', 'relations');
        if (values.jsonl) return await eachJsonLine(io, async (r) => (await classifyTexts(model, [field(r, 'text')]))[0]);
        const lines = (await readInput(positionals)).split(/\r?\n/).filter((l) => l.trim() !== '');
        printJson(io, await classifyTexts(model, lines));
        return 0;
      }
      case 'qa': {
        const { values, positionals } = parse(rest, {
          model: { type: 'string' },
          question: { type: 'string' },
          'top-k': { type: 'string' },
          'doc-stride': { type: 'string' },
          'max-answer-len': { type: 'string' },
          'max-seq-len': { type: 'string' },
          quantized: { type: 'boolean' },
        });
        engine = engineFor(values);
        const topK = int(values, 'top-k', 1) ?? 3;
        const docStride = int(values, 'doc-stride', 0);
        const maxAnswerLen = int(values, 'max-answer-len', 1);
        const maxSeqLen = int(values, 'max-seq-len', 16);
        const model = await load(engine, values, 'model', 'qa');
        const run = async (question: string, context: string) =>
          (await answerQuestion(model, question, context, { topK, docStride, maxAnswerLen, maxSeqLen })).map(
            ({ answer, score, start, end }) => ({ answer, score, start, end }),
          );
        if (values.jsonl) return await eachJsonLine(io, (r) => run(field(r, 'question'), field(r, 'context')));
        const question = str(values, 'question');
        if (!question) throw new UsageError('--question is required (or --jsonl)');
        printJson(io, await run(question, await readInput(positionals)));
        return 0;
      }
      case 'eval': {
        const [dataset, ...args] = rest;
        if (dataset !== 'chemprot') throw new UsageError(`usage: ${COMMANDS.eval}`);
        const { values } = parse(args, {
          abstracts: { type: 'string' },
          entities: { type: 'string' },
          gold: { type: 'string' },
          ner: { type: 'string' },
          re: { type: 'string' },
          limit: { type: 'string' },
          quantized: { type: 'boolean' },
          ...AGGREGATION,
        });
        for (const key of ['abstracts', 'entities', 'gold']) if (!str(values, key)) throw new UsageError(`--${key} is required`);
        if (!str(values, 'ner') && !str(values, 're')) throw new UsageError('give --ner DIR and/or --re DIR');
        // "simple" by default: the protocol of the Python reference numbers in each MODEL_CARD.md.
        const aggregation = aggregationOf(values, 'simple');
        engine = engineFor(values);
        const docs = readChemprot(str(values, 'abstracts')!, str(values, 'entities')!, str(values, 'gold'));
        const ner = str(values, 'ner') ? await load(engine, values, 'ner', 'ner') : undefined;
        const re = str(values, 're') ? await load(engine, values, 're', 'relations') : undefined;
        const scores = await evaluateChemprot(docs, {
          ner,
          aggregation,
          re,
          limit: int(values, 'limit', 1),
          onProgress: (done, total) => {
            if ((io.stderr as NodeJS.WriteStream).isTTY) io.stderr.write(`\rNER ${done}/${total}`);
          },
        });
        if ((io.stderr as NodeJS.WriteStream).isTTY) io.stderr.write('\n');
        printJson(io, ner ? { aggregation, ...scores } : scores);
        return 0;
      }
      case 'annotate': {
        const { values, positionals } = parse(rest, {
          ner: { type: 'string' },
          re: { type: 'string' },
          'no-relations': { type: 'boolean' },
          format: { type: 'string' },
          out: { type: 'string' },
          force: { type: 'boolean' },
          'min-score': { type: 'string' },
          quantized: { type: 'boolean' },
          normalize: { type: 'boolean' },
          species: { type: 'string' },
          ...AGGREGATION,
          'shard-out': { type: 'string' },
          'progress-every': { type: 'string' },
          'max-chars': { type: 'string' },
        });
        if (positionals.length === 0) throw new UsageError('give one or more files or folders to annotate');
        const normalize = values.normalize ? { species: str(values, 'species')?.toLowerCase() } : undefined;
        const shardOut = str(values, 'shard-out');
        const format = (str(values, 'format') ?? 'json') as Format;
        if (shardOut && !SHARD_FORMATS.includes(format as ShardFormat))
          throw new UsageError(`with --shard-out, --format must be one of ${SHARD_FORMATS.join(', ')}`);
        if (!shardOut && !FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
        const minScore = minScoreOf(values);
        const aggregation = aggregationOf(values);
        engine = engineFor(values);
        const ner = await load(engine, values, 'ner', 'ner');
        const re = values['no-relations'] ? undefined : await load(engine, values, 're', 'relations');
        if (shardOut) {
          const shardOptions = {
            ner,
            re,
            aggregation,
            minScore,
            format: format as ShardFormat,
            outDir: shardOut,
            force: values.force === true,
            progressEvery: int(values, 'progress-every', 1) ?? 500,
            maxChars: int(values, 'max-chars', 1),
            threads: int(values, 'threads', 0),
            normalize,
          };
          return await annotateShards(positionals, shardOptions, io);
        }
        return await annotateFiles(
          positionals,
          { ner, re, aggregation, minScore, format, out: str(values, 'out'), normalize, force: values.force === true },
          io,
        );
      }
      case 'merge': {
        const { values, positionals } = parse(rest, {
          format: { type: 'string' },
          out: { type: 'string' },
          summary: { type: 'string' },
          force: { type: 'boolean' },
        });
        const format = (str(values, 'format') ?? 'json') as ShardFormat;
        if (!SHARD_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${SHARD_FORMATS.join(', ')}`);
        const out = str(values, 'out');
        if (!out || positionals.length === 0)
          throw new UsageError('usage: biom merge --format FORMAT --out FILE [--summary FILE] SHARD_DIR|MANIFEST…');
        return await mergeCommand(positionals, format, out, str(values, 'summary'), values.force === true, io);
      }
      case 'demo': {
        const { values } = parse(rest, {});
        engine = engineFor(values);
        return await runDemo(engine, io);
      }
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`biom: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CancelledError) return 130;
    io.stderr.write(`biom: ${e instanceof ModelError || e instanceof InputError ? e.message : oneLineError(e)}\n`);
    return 1;
  } finally {
    await engine?.dispose();
  }
}

/** An unexpected error as one line (no stack trace for users); BIOM_DEBUG=1 prints the stack for a bug report. */
function oneLineError(e: unknown): string {
  if (process.env.BIOM_DEBUG) return (e as Error).stack ?? String(e);
  const message = e instanceof Error ? e.message : String(e);
  return `${message.split('\n')[0].slice(0, 500)} (set BIOM_DEBUG=1 for details)`;
}

if (require.main === module) {
  startWatchdog(watchdogSeconds());
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`biom: ${oneLineError(e)}\n`);
      process.exitCode = 1;
    },
  );
}
