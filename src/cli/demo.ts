// Owns `biom demo`: annotates the bundled ChemProt abstract and prints entities, relations and one answer.
import { readFileSync } from 'node:fs';
import type { Engine } from '../core/engine';
import { DEFAULT_STRIDE, recognizeEntities } from '../core/tasks/ner';
import { CHEMPROT_CLASSES, extractRelations } from '../core/tasks/relations';
import { answerQuestion } from '../core/tasks/qa';
import type { Entity } from '../core/types';
import { defaultModel, sampleAbstract } from './defaults';

interface Io {
  stdout: NodeJS.WritableStream;
}

const COLOURS: Record<string, string> = { CHEMICAL: '\x1b[1;33m', GENE: '\x1b[1;36m' };
const RESET = '\x1b[0m';

/** The text with each entity wrapped in its colour and tagged with its type. */
export function highlight(text: string, entities: readonly Entity[], colour: boolean): string {
  let out = '';
  let at = 0;
  for (const e of entities) {
    const [open, close] = colour ? [COLOURS[e.label] ?? '\x1b[1;35m', RESET] : ['[', ']'];
    out += text.slice(at, e.start) + open + text.slice(e.start, e.end) + close + (colour ? '' : `/${e.label}`);
    at = e.end;
  }
  return out + text.slice(at);
}

export async function runDemo(engine: Engine, io: Io): Promise<number> {
  const text = readFileSync(sampleAbstract(), 'utf8').trim();
  const colour = (io.stdout as NodeJS.WriteStream).isTTY === true;
  const started = Date.now();
  const ner = await engine.load({ folder: defaultModel('ner') }, 'ner');
  const re = await engine.load({ folder: defaultModel('relations') }, 'relations');
  const qa = await engine.load({ folder: defaultModel('qa') }, 'qa');
  const entities = await recognizeEntities(ner, text, { aggregation: 'simple', stride: DEFAULT_STRIDE });
  const relations = await extractRelations(re, text, entities);
  const question = 'What is dextromethorphan O-demethylated into?';
  const answers = await answerQuestion(qa, question, text, { topK: 3 });
  const w = (s: string): boolean => io.stdout.write(s + '\n');
  w(`ChemProt abstract PMID 10064839 (bundled demo models: ner-albert, re-electra, qa-albert)\n`);
  w(highlight(text, entities, colour));
  const count = (label: string): number => entities.filter((e) => e.label === label).length;
  w(`\nEntities: ${entities.length} (${count('CHEMICAL')} chemical, ${count('GENE')} gene/protein)`);
  w(`\nRelations (${relations.length}):`);
  for (const r of relations.slice(0, 15)) {
    w(`  ${r.chemical.text} — ${CHEMPROT_CLASSES[r.label] ?? r.label} (${r.label}) — ${r.gene.text}   score ${r.score.toFixed(3)}`);
  }
  if (relations.length > 15) w(`  … and ${relations.length - 15} more`);
  w(`\nQ: ${question}`);
  for (const a of answers) w(`  A: ${JSON.stringify(a.answer)}  score ${a.score.toExponential(2)}  [${a.start}, ${a.end})`);
  w(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. The bundled models are tiny demonstration models; see README for real BioM models.`);
  return 0;
}
