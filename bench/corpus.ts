// Corpus-scale benchmark (`npm run bench:corpus`): generates a gzipped PubMed XML file of 100,000 articles in /tmp
// (ChemProt abstracts under fresh PMIDs), streams it through the reader in a child process and reports peak RSS and
// documents/s; then annotates a subset with the bundled models (one onnxruntime thread: documents/s per core).
// BENCH_ARTICLES (100000) and BENCH_ANNOTATE_DOCS (100) change the sizes; 0 skips a part.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { join } from 'node:path';
import { pubmedArticle, pubmedSet } from '../test/fixtures/corpus/make';

const root = join(__dirname, '..');
const dir = '/tmp/biom-bench-corpus';

async function generate(path: string, articles: number): Promise<void> {
  const rows = readFileSync(join(root, 'test', 'fixtures', 'chemprot', 'development_abstracts.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const gzip = createGzip({ level: 1 });
  const file = createWriteStream(path);
  gzip.pipe(file);
  const [head, tail] = pubmedSet(['\u0000']).split('\u0000');
  gzip.write(head);
  for (let i = 0; i < articles; i++) {
    const [, title, abstract] = rows[i % rows.length];
    if (!gzip.write(pubmedArticle({ pmid: String(40_000_000 + i), title, abstract }) + '\n')) await once(gzip, 'drain');
  }
  gzip.end(tail);
  await once(file, 'close');
}

/** Runs this file in `mode` in a child process and returns the JSON it prints. */
function child(mode: string, file: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', __filename, mode, file], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`${mode} exited ${code}`)),
    );
  });
}

const peakMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

async function readOnly(file: string): Promise<void> {
  const { readCorpusFile } = await import('../src/core/formats/corpusReader');
  const started = performance.now();
  let documents = 0;
  let chars = 0;
  for await (const r of readCorpusFile(file)) {
    if (r.kind === 'document') {
      documents++;
      chars += r.document.text.length;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ documents, chars, seconds, documentsPerSecond: Math.round(documents / seconds), peakRssMb: peakMb() }));
}

async function annotate(file: string, relations: boolean): Promise<void> {
  const { runCli } = await import('../src/cli/main');
  const out = join(dir, relations ? 'shards-re' : 'shards-ner');
  rmSync(out, { recursive: true, force: true });
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  const started = performance.now();
  const code = await runCli(['annotate', '--shard-out', out, '--threads', '1', ...(relations ? [] : ['--no-relations']), file], {
    stdout: sink,
    stderr: sink,
  });
  const seconds = (performance.now() - started) / 1000;
  const manifest = JSON.parse(readFileSync(join(out, `${file.split('/').pop()}.manifest.json`), 'utf8')) as {
    counts: { documents: number };
    timings: { seconds: number };
  };
  console.log(
    JSON.stringify({
      code,
      documents: manifest.counts.documents,
      seconds,
      shardSeconds: manifest.timings.seconds,
      documentsPerSecond: Math.round((manifest.counts.documents / manifest.timings.seconds) * 100) / 100,
      peakRssMb: peakMb(),
    }),
  );
}

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  if (mode === '--read') return readOnly(file);
  if (mode === '--annotate-ner') return annotate(file, false);
  if (mode === '--annotate-re') return annotate(file, true);

  mkdirSync(dir, { recursive: true });
  const articles = Number(process.env.BENCH_ARTICLES ?? 100_000);
  const subset = Number(process.env.BENCH_ANNOTATE_DOCS ?? 100);
  const results: Record<string, unknown> = {};
  if (articles > 0) {
    const big = join(dir, `pubmed-${articles}.xml.gz`);
    if (!existsSync(big)) {
      const t = performance.now();
      await generate(big, articles);
      console.error(
        `generated ${big} (${(statSync(big).size / 1e6).toFixed(1)} MB gzipped) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
    }
    results.read = { file: big, gzippedMb: Math.round(statSync(big).size / 1e5) / 10, ...(await child('--read', big)) };
    console.error('read', JSON.stringify(results.read));
  }
  if (subset > 0) {
    const small = join(dir, `pubmed-${subset}.xml.gz`);
    if (!existsSync(small)) await generate(small, subset);
    results.annotateNer = await child('--annotate-ner', small);
    console.error('annotate (NER, 1 thread)', JSON.stringify(results.annotateNer));
    results.annotateNerRe = await child('--annotate-re', small);
    console.error('annotate (NER + relations, 1 thread)', JSON.stringify(results.annotateNerRe));
  }
  console.log(JSON.stringify(results, null, 1));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
