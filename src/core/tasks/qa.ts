// Owns extractive QA: question + context windows -> start/end logits -> best spans (transformers v4 pipeline rules).
import type { Answer } from '../types';
import { InputError, throwIfAborted } from '../errors';
import { OffsetMap } from '../text/offsets';
import type { TextTokenizer, Window } from '../tokenize/tokenizer';
import type { SessionRunner } from '../runtime/onnxSession';
import { softmax } from '../math';
import { spanOutputs } from '../models/contract';
import { SEGMENT_CHARS, textSegments } from '../text/segments';
import { answersByPiece } from './segmented';

export interface QaModel {
  tokenizer: TextTokenizer;
  session: SessionRunner;
  maxLength: number;
}

export interface QaOptions {
  topK?: number;
  /** Context tokens shared by consecutive windows. */
  docStride?: number;
  /** Window length in tokens (question, context and special tokens). */
  maxSeqLen?: number;
  /** Longest answer in tokens. */
  maxAnswerLen?: number;
  batchSize?: number;
  /** Contexts longer than this are read piece by piece (default SEGMENT_CHARS); smaller values are for tests. */
  segmentChars?: number;
  signal?: AbortSignal;
}

export interface ScoredSpan extends Answer {
  window: number;
  startToken: number;
  endToken: number;
}

const MASKED = -10000;

/** Answers to `question` found in `context`, best first; offsets are UTF-16 into `context`. */
export async function answerQuestion(model: QaModel, question: string, context: string, options: QaOptions = {}): Promise<ScoredSpan[]> {
  const topK = options.topK ?? 3;
  const maxSeqLen = Math.min(options.maxSeqLen ?? 384, model.maxLength);
  const docStride = options.docStride ?? 128;
  const maxAnswerLen = options.maxAnswerLen ?? 30;
  if (question.trim() === '') throw new InputError('the question is empty');
  if (!Number.isInteger(topK) || topK < 1) throw new InputError(`top-k must be a positive integer, got ${topK}`);
  const batchSize = options.batchSize ?? 4;
  const [startName, endName] = spanOutputs(model.session.outputNames);
  const segmentChars = options.segmentChars ?? SEGMENT_CHARS;
  if (textSegments(context, segmentChars).length === 1) {
    const answers = await answerSegment(context, 0, 0);
    // Stable sort: equal scores keep window order, as the reference does.
    answers.sort((a, b) => b.score - a.score);
    return answers.slice(0, topK);
  }
  // A very long context is read piece by piece (pieces overlap, so an answer across a boundary is still seen);
  // windows exist for one piece at a time and only the best topK answers are kept, so memory does not grow with it.
  let windowBase = 0;
  return answersByPiece(
    context,
    topK,
    segmentChars,
    async (piece, offset) => {
      const found = await answerSegment(piece, offset, windowBase);
      windowBase += found.windows;
      return found;
    },
    options.signal,
  );

  /** Answers of every window of one piece of the context; offsets shifted by `offset` into the whole context. */
  async function answerSegment(piece: string, offset: number, windowBase: number): Promise<ScoredSpan[] & { windows: number }> {
    const windows = await model.tokenizer.encodePairWindows(question, piece, maxSeqLen, docStride);
    const map = new OffsetMap(piece);
    const answers: ScoredSpan[] = [];
    for (let i = 0; i < windows.length; i += batchSize) {
      throwIfAborted(options.signal);
      const batch = windows.slice(i, i + batchSize);
      const out = await model.session.run(batch, model.tokenizer.info.padId, options.signal);
      const start = out[startName];
      const end = out[endName];
      const length = start.dims[1];
      batch.forEach((window, b) => {
        const found = spansOfWindow(
          window,
          start.data.subarray(b * length, b * length + window.ids.length),
          end.data.subarray(b * length, b * length + window.ids.length),
          topK,
          maxAnswerLen,
        );
        for (const f of found) {
          const s = map.toUtf16(window.offsets[f.startToken][0]);
          const e = map.toUtf16(window.offsets[f.endToken][1]);
          answers.push({
            answer: piece.slice(s, e),
            score: f.score,
            start: offset + s,
            end: offset + e,
            window: windowBase + i + b,
            startToken: f.startToken,
            endToken: f.endToken,
          });
        }
      });
    }
    return Object.assign(answers, { windows: windows.length });
  }
}

function maskedSoftmax(logits: Float32Array, allowed: boolean[]): Float64Array {
  return softmax(Float64Array.from(logits, (v, k) => (allowed[k] ? v : MASKED)));
}

/**
 * Best spans of one window: softmax over context tokens (CLS kept, as the reference keeps it for the null score),
 * score = p_start * p_end for start <= end < start + maxAnswerLen, spans on CLS dropped.
 */
function spansOfWindow(
  window: Window,
  startLogits: Float32Array,
  endLogits: Float32Array,
  topK: number,
  maxAnswerLen: number,
): { score: number; startToken: number; endToken: number }[] {
  const n = window.ids.length;
  const allowed = window.sequenceIds.map((s, k) => s === 1 || k === 0);
  const pStart = maskedSoftmax(startLogits, allowed);
  const pEnd = maskedSoftmax(endLogits, allowed);
  // Only the best topK spans are kept (a window has ~n × maxAnswerLen candidates; a 1 MB document, thousands of
  // windows). The reference ranks with numpy argsort(-scores) over the flattened matrix: ties go to the lower index,
  // which is the order spans are visited in here, so a later span must be strictly better to pass an earlier one.
  const best: { score: number; startToken: number; endToken: number }[] = [];
  for (let s = 1; s < n; s++) {
    if (pStart[s] === 0) continue;
    for (let e = s; e < Math.min(n, s + maxAnswerLen); e++) {
      const score = pStart[s] * pEnd[e];
      if (score <= 0 || (best.length === topK && score <= best[topK - 1].score)) continue;
      let at = best.length;
      while (at > 0 && best[at - 1].score < score) at--;
      best.splice(at, 0, { score, startToken: s, endToken: e });
      if (best.length > topK) best.pop();
    }
  }
  return best.filter((c) => window.sequenceIds[c.startToken] === 1 && window.sequenceIds[c.endToken] === 1);
}
