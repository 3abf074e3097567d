// Owns the first look at a slow model's results: before a large model works through a whole visible paragraph
// (BioM-ALBERT-xxlarge needs ~8 s for one abstract on 2 cores), the first visible sentences are run on their own so
// decorations appear within a second or two; the exact paragraph result replaces them when it comes (no 'vscode').
import { join } from 'node:path';
import type { ModelRef } from '../core/engine';
import { LARGE_MODEL_BYTES, modelFileBytes } from '../core/runtime/sessionPolicy';
import { splitSentences } from '../core/text/sentences';
import type { Span } from '../core/types';

/** About a sentence or two: ~45 tokens, about a second at the xxlarge shape's ~50 tokens/s here. */
export const PREVIEW_CHARS = 200;

/** Only models whose model file is large get a preview; small models finish a paragraph faster than a preview pays. */
export function needsPreview(models: readonly ModelRef[], bytesOf: (path: string) => number = modelFileBytes): boolean {
  return models.some((m) => bytesOf(join(m.folder, 'onnx', m.quantized ? 'model_quantized.onnx' : 'model.onnx')) >= LARGE_MODEL_BYTES);
}

/**
 * The sentences to run first: from the first sentence that starts inside the visible ranges (or contains their start),
 * whole sentences up to PREVIEW_CHARS (at least one). Undefined when nothing is visible or the visible text is blank.
 */
export function previewSpan(text: string, visible: readonly Span[]): Span | undefined {
  const first = visible.filter((r) => r.end > r.start && r.start < text.length).sort((a, b) => a.start - b.start)[0];
  if (!first) return undefined;
  const sentences = splitSentences(text).filter((s) => s.end > first.start && s.start < first.end);
  if (sentences.length === 0) return undefined;
  const start = sentences[0].start;
  let end = sentences[0].end;
  for (const s of sentences.slice(1)) {
    if (s.end - start > PREVIEW_CHARS) break;
    end = s.end;
  }
  return text.slice(start, end).trim() === '' ? undefined : { start, end };
}
