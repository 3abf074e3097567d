// Owns cutting a sentence into plain and marked pieces for the webviews (evidence sentences, answers in context).
import type { OffsetSpan, TextSegment } from '../shared/webviewProtocol';

/** Splits `sentence` (starting at document offset `sentenceStart`) into plain and marked segments. */
export function segmentText(
  sentence: string,
  sentenceStart: number,
  marks: readonly { span: OffsetSpan; mark: NonNullable<TextSegment['mark']> }[],
): TextSegment[] {
  const inside = marks
    .map((m) => ({ start: m.span.start - sentenceStart, end: m.span.end - sentenceStart, mark: m.mark }))
    .filter((m) => m.start >= 0 && m.end <= sentence.length && m.start < m.end)
    .sort((a, b) => a.start - b.start);
  const segments: TextSegment[] = [];
  let at = 0;
  for (const m of inside) {
    if (m.start < at) continue; // overlapping marks: the first one wins, the text is never duplicated
    if (m.start > at) segments.push({ text: sentence.slice(at, m.start) });
    segments.push({ text: sentence.slice(m.start, m.end), mark: m.mark });
    at = m.end;
  }
  if (at < sentence.length) segments.push({ text: sentence.slice(at) });
  return segments;
}
