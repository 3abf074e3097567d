// Readers of the golden reference files (test/fixtures/golden, made by tools/make_goldens.py) for tests that need an
// expectation computed outside the engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from 'tokenizers';
import { fixture, fixtureModel } from './paths';

export interface GoldenEntity {
  entity?: string;
  entity_group?: string;
  score: number;
  /** Code points (Python string indices). */
  start: number;
  end: number;
  /** The same span in UTF-16 code units, computed by the reference script. */
  start_utf16: number;
  end_utf16: number;
  index?: number;
}

export interface GoldenNer {
  texts: string[];
  long_text: string;
  results: Record<'none' | 'simple' | 'first' | 'average' | 'max', GoldenEntity[][]>;
  long: Record<string, GoldenEntity[]>;
}

export interface GoldenAnswer {
  score: number;
  start: number;
  end: number;
  start_utf16: number;
  end_utf16: number;
  answer: string;
  window: number;
  start_token: number;
  end_token: number;
}

export interface GoldenQa {
  params: { top_k: number; doc_stride: number; max_seq_len: number; max_answer_len: number };
  inputs: { question: string; context: string }[];
  results: GoldenAnswer[][];
}

export const goldenNer = (name: 'ner-albert' | 'ner-electra'): GoldenNer =>
  JSON.parse(readFileSync(fixture('golden', `${name}.json`), 'utf8')) as GoldenNer;

export const goldenQa = (): GoldenQa => JSON.parse(readFileSync(fixture('golden', 'qa-albert.json'), 'utf8')) as GoldenQa;

const BLANK_LINE = /(\r\n|\r|\n)[ \t]*(\r\n|\r|\n)/;

/**
 * Indices of golden texts that are one paragraph (no blank line) and fit one model window, counted with the
 * tokenizers package directly: on these the reference's single-window result is the whole-document result.
 */
export async function oneWindowTexts(name: 'ner-albert' | 'ner-electra', golden: GoldenNer, maxLength = 512): Promise<number[]> {
  const tokenizer = Tokenizer.fromFile(join(fixtureModel(name), 'tokenizer.json'));
  tokenizer.disableTruncation();
  const out: number[] = [];
  for (const [i, text] of golden.texts.entries()) {
    if (text.trim() === '' || BLANK_LINE.test(text)) continue;
    if ((await tokenizer.encode(text)).getLength() <= maxLength) out.push(i);
  }
  return out;
}

/** Golden entities of one text as the engine reports them: [label, start, end] in UTF-16, then the score. */
export const expectedSpans = (entities: readonly GoldenEntity[]): [string, number, number][] =>
  entities.map((e) => [(e.entity ?? e.entity_group)!, e.start_utf16, e.end_utf16]);

/** Indices of golden QA inputs whose question and context fit one window of `max_seq_len` tokens. */
export async function oneWindowQuestions(golden: GoldenQa, tokenizerJson: string): Promise<number[]> {
  const tokenizer = Tokenizer.fromFile(tokenizerJson);
  tokenizer.disableTruncation();
  const out: number[] = [];
  for (const [i, { question, context }] of golden.inputs.entries()) {
    if ((await tokenizer.encode(question, context)).getLength() <= golden.params.max_seq_len) out.push(i);
  }
  return out;
}
