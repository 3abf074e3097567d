// Owns `biom demo`: annotates the bundled ChemProt abstract and prints entities, relations and one answer.
import { readFileSync } from 'node:fs';
import type { Engine } from '../core/engine';
import { CHEMPROT_CLASSES } from '../core/tasks/relations';
import { answerQuestion } from '../core/tasks/qa';
import { entityKind, type EntityKind } from '../core/labels';
import { annotateText, DEFAULT_AGGREGATION, DEFAULT_MIN_SCORE, localPipeline } from '../core/pipeline';
import type { Entity } from '../core/types';
import { defaultModel, sampleAbstract } from './defaults';
import type { CommandIo } from './io';

const COLOURS: Record<EntityKind, string> = { chemical: '\x1b[1;33m', gene: '\x1b[1;36m', other: '\x1b[1;35m' };
const RESET = '\x1b[0m';

/** The text with each entity wrapped in its colour and tagged with its type. */
export function highlight(text: string, entities: readonly Entity[], colour: boolean): string {
  let out = '';
  let at = 0;
  for (const e of entities) {
    const [open, close] = colour ? [COLOURS[entityKind(e.label)], RESET] : ['[', ']'];
    out += text.slice(at, e.start) + open + text.slice(e.start, e.end) + close + (colour ? '' : `/${e.label}`);
    at = e.end;
  }
  return out + text.slice(at);
}

export async function runDemo(engine: Engine, io: Pick<CommandIo, 'stdout'>): Promise<number> {
  const text = readFileSync(sampleAbstract(), 'utf8').trim();
  const colour = (io.stdout as NodeJS.WriteStream).isTTY === true;
  const started = Date.now();
  const ner = await engine.load({ folder: defaultModel('ner') }, 'ner');
  const re = await engine.load({ folder: defaultModel('relations') }, 'relations');
  const qa = await engine.load({ folder: defaultModel('qa') }, 'qa');
  // The editor's defaults: a word-level aggregation and the minScore it shows.
  const { entities, relations = [] } = await annotateText(
    text,
    localPipeline(ner, re, { aggregation: DEFAULT_AGGREGATION, minScore: DEFAULT_MIN_SCORE }),
  );
  const question = 'What is dextromethorphan O-demethylated into?';
  const answers = await answerQuestion(qa, question, text, { topK: 3 });
  const w = (s: string): boolean => io.stdout.write(s + '\n');
  w(`ChemProt abstract PMID 10064839 (bundled demo models: ner-albert, re-electra, qa-albert)\n`);
  w(highlight(text, entities, colour));
  const count = (kind: EntityKind): number => entities.filter((e) => entityKind(e.label) === kind).length;
  w(`\nEntities: ${entities.length} (${count('chemical')} chemical, ${count('gene')} gene/protein)`);
  w(`\nRelations (${relations.length}):`);
  for (const r of relations.slice(0, 15)) {
    w(`  ${r.chemical.text} — ${CHEMPROT_CLASSES[r.label] ?? r.label} (${r.label}) — ${r.gene.text}   score ${r.score.toFixed(3)}`);
  }
  if (relations.length > 15) w(`  … and ${relations.length - 15} more`);
  w(`\nQ: ${question}`);
  for (const a of answers) w(`  A: ${JSON.stringify(a.answer)}  score ${a.score.toExponential(2)}  [${a.start}, ${a.end})`);
  w(
    `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. The bundled models are tiny demonstration models; see README for real BioM models.`,
  );
  return 0;
}
