// The part of a text the golden reference actually tokenized (see the note in README "Parity with Hugging Face").
import { Tokenizer } from 'tokenizers';
import { OffsetMap } from '../../src/core/text/offsets';

/**
 * The reference ran tokenizers 0.23.2, whose truncation "early exit" (huggingface/tokenizers#1990, bug #2091)
 * stops tokenizing a sequence after the word in which it reaches `maxLength` tokens, so its stride windows only
 * cover that prefix. Returns that prefix of `text` (the whole text when it is shorter).
 */
export async function referencePrefix(tokenizerJson: string, text: string, maxLength: number): Promise<string> {
  const tokenizer = Tokenizer.fromFile(tokenizerJson);
  tokenizer.disableTruncation();
  tokenizer.disablePadding();
  const encoding = await tokenizer.encode(text, null, { addSpecialTokens: false });
  if (encoding.getLength() <= maxLength) return text;
  const words = encoding.getWordIds();
  let end = maxLength;
  while (end < encoding.getLength() && words[end] === words[end - 1]) end++;
  if (end >= encoding.getLength()) return text;
  return text.slice(0, new OffsetMap(text).toUtf16(encoding.getOffsets()[end - 1][1]));
}
