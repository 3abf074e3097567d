// Owns `biom models pull|list|verify`: argument parsing and terminal output over core/models (hub, registry).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CancelledError, ModelError } from '../../core/errors';
import {
  DEFAULT_HUB_URL,
  DEFAULT_MAX_FILE_BYTES,
  HubError,
  defaultCacheDir,
  formatBytes,
  pullModel,
  tokenFromEnvironment,
  type PullProgress,
} from '../../core/models/hub';
import { listLocalModels } from '../../core/models/registry';
import { verifyModelFolder } from '../../core/models/verify';
import { bundledModelsDir } from '../defaults';
import { UsageError, type CommandIo } from '../io';

const USAGE = `Usage:
  biom models pull <repo-id> [--revision main] [--hub-url URL] [--cache DIR] [--quantized]
                             [--max-size BYTES] [--token T] [--proxy URL]
      Downloads config.json, the tokenizer and onnx/model.onnx (or model_quantized.onnx with --quantized)
      into the cache and prints the model folder. Token: --token or HF_TOKEN. Proxy: --proxy or HTTPS_PROXY.
  biom models list [--cache DIR]          bundled and downloaded models, as JSON
  biom models verify DIR                  loads the folder's tokenizer and ONNX files, JSON report; exit 1 on problems
`;

/** Exit codes: 0 done, 1 failed (message on stderr), 2 bad usage, 130 cancelled. */
export async function runModelsCommand(argv: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'pull':
        return await pull(rest, io);
      case 'list':
        return await list(rest, io);
      case 'verify':
        return await verify(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stderr.write(USAGE);
        return sub === undefined ? 2 : 0;
      default:
        io.stderr.write(`biom models: unknown command ${JSON.stringify(sub)}\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`biom models ${sub}: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof CancelledError) {
      io.stderr.write(`\nbiom models ${sub}: cancelled; run the same command again to resume the download\n`);
      return 130;
    }
    if (e instanceof HubError || e instanceof ModelError) {
      io.stderr.write(`\nbiom models ${sub}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function pull(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parse(args, {
    revision: { type: 'string' },
    'hub-url': { type: 'string' },
    cache: { type: 'string' },
    quantized: { type: 'boolean' },
    'max-size': { type: 'string' },
    token: { type: 'string' },
    proxy: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('expected one repository id, e.g. sultan/BioM-ELECTRA-Large-SQuAD2');
  const cacheDir = resolve(values.cache ?? defaultCacheDir());
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  const bar = new ProgressBar(io.stderr);
  try {
    const result = await pullModel({
      repo: positionals[0],
      revision: values.revision,
      hubUrl: values['hub-url'] ?? DEFAULT_HUB_URL,
      cacheDir,
      quantized: values.quantized === true,
      maxFileBytes: values['max-size'] === undefined ? DEFAULT_MAX_FILE_BYTES : parseSize(values['max-size']),
      token: values.token ?? tokenFromEnvironment(),
      proxy: values.proxy,
      signal: controller.signal,
      onPlan: (plan) => {
        io.stderr.write(
          `Pulling ${plan.repo}@${plan.revision} from ${plan.hubUrl}: ${plan.files.length} files, ${formatBytes(plan.totalBytes)}\n`,
        );
      },
      onProgress: (p) => bar.update(p),
    });
    bar.finish();
    io.stderr.write(
      result.reused ? 'Already in the cache and up to date.\n' : `Downloaded ${formatBytes(result.downloadedBytes)}; checked.\n`,
    );
    io.stdout.write(`${result.folder}\n`);
    return 0;
  } finally {
    bar.finish();
    process.removeListener('SIGINT', onSigint);
  }
}

async function list(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parse(args, { cache: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}`);
  const models = await listLocalModels({ bundledDir: bundledModelsDir(), cacheDir: resolve(values.cache ?? defaultCacheDir()) });
  io.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
  return 0;
}

async function verify(args: string[], io: CommandIo): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError('expected one model folder');
  const report = await verifyModelFolder(positionals[0]);
  io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (!report.ok) io.stderr.write(`biom models verify: ${report.folder}: ${report.problems.join('; ')}\n`);
  return report.ok ? 0 : 1;
}

/** Bytes, or a number with K/M/G/T (powers of 1024), e.g. 8G. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(text.trim());
  if (!match) throw new UsageError(`--max-size ${JSON.stringify(text)} is not a size (bytes, or e.g. 800M, 8G)`);
  const power = ' KMGT'.indexOf(match[2].toUpperCase() || ' ');
  return Math.round(Number(match[1]) * 1024 ** power);
}

/** The models/ folder next to the bundle (dist/cli.js) or the project root when run from source. */
/** One self-rewriting line on a terminal; a line per tenth of the download when stderr is a file or pipe. */
class ProgressBar {
  private lastTenth = -1;
  private drawn = false;
  private readonly tty: boolean;

  constructor(private readonly out: NodeJS.WritableStream) {
    this.tty = (out as NodeJS.WriteStream).isTTY === true;
  }

  update(p: PullProgress): void {
    const fraction = p.totalBytes > 0 ? p.bytes / p.totalBytes : 1;
    const rate = p.bytesPerSecond > 0 ? `${formatBytes(p.bytesPerSecond)}/s` : '';
    const eta = p.etaSeconds !== undefined && p.bytes < p.totalBytes ? `ETA ${formatDuration(p.etaSeconds)}` : '';
    const status = [`${formatBytes(p.bytes)}/${formatBytes(p.totalBytes)}`, rate, eta, p.phase === 'verify' ? `checking ${p.file}` : p.file]
      .filter(Boolean)
      .join('  ');
    if (this.tty) {
      const width = 24;
      const filled = Math.round(fraction * width);
      this.out.write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(fraction * 100)}%  ${status}`);
      this.drawn = true;
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.out.write(`${tenth * 10}%  ${status}\n`);
    }
  }

  finish(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

function formatDuration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
