// Long documents are read piece by piece so memory stays flat (issue 9, item 8): QA never tokenizes more than one
// piece at a time, relations give exactly the whole-text result, NER offsets stay right. The memory itself is
// measured by `npm run bench:huge` (bench/hugeInputs.ts).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Engine } from '../../src/core/engine';
import { answerQuestion } from '../../src/core/tasks/qa';
import { extractRelations } from '../../src/core/tasks/relations';
import { extractRelationsSegmented, recognizeEntitiesSegmented } from '../../src/core/tasks/segmented';
import { recognizeEntities } from '../../src/core/tasks/ner';
import { textSegments } from '../../src/core/text/segments';
import { bundledModel, chemprotDevAbstracts } from '../helpers/paths';

const engine = new Engine({ threads: 1 });
after(() => engine.dispose());
const text = chemprotDevAbstracts().slice(0, 8).join(' ');
const PIECE = 2500;

describe('long documents', () => {
  it('QA tokenizes at most one piece of a long context at a time and its answers point into the context', async () => {
    const qa = await engine.load({ folder: bundledModel('qa-albert') }, 'qa');
    let longest = 0;
    const spy = new Proxy(qa.tokenizer, {
      get(target, key) {
        if (key === 'encodePairWindows') {
          return (question: string, context: string, ...rest: [number, number]) => {
            longest = Math.max(longest, context.length);
            return target.encodePairWindows(question, context, ...rest);
          };
        }
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const answers = await answerQuestion({ ...qa, tokenizer: spy }, 'What inhibits the enzyme?', text, { topK: 5, segmentChars: PIECE });
    assert.ok(text.length > 4 * PIECE);
    assert.ok(longest <= PIECE + PIECE / 4, `longest context tokenized at once: ${longest} characters`);
    assert.equal(answers.length, 5);
    for (const a of answers) assert.equal(text.slice(a.start, a.end), a.answer);
    assert.deepEqual(new Set(answers.map((a) => `${a.start}:${a.end}`)).size, 5, 'no answer twice from overlapping pieces');
  });

  it('relations piece by piece are exactly the relations of the whole text', async () => {
    const ner = await engine.load({ folder: bundledModel('ner-albert') }, 'ner');
    const re = await engine.load({ folder: bundledModel('re-electra') }, 'relations');
    const entities = (await recognizeEntities(ner, text, { stride: 64 })).filter((e) => e.score > 0.3);
    const whole = await extractRelations(re, text, entities, { includeNegative: true });
    const pieces = await extractRelationsSegmented(re, text, entities, { includeNegative: true }, PIECE);
    assert.ok(whole.length > 10, `${whole.length} pairs`);
    assert.deepEqual(pieces, whole);
  });

  it('NER piece by piece keeps offsets into the whole text and reads every piece', async () => {
    const ner = await engine.load({ folder: bundledModel('ner-albert') }, 'ner');
    const pieces = await recognizeEntitiesSegmented(ner, text, { stride: 64 }, PIECE);
    const whole = await recognizeEntities(ner, text, { stride: 64 });
    for (const e of pieces) assert.equal(text.slice(e.start, e.end), e.text);
    for (const segment of textSegments(text, PIECE)) {
      assert.ok(
        pieces.some((e) => e.start >= segment.start && e.end <= segment.end),
        `entities in ${segment.start}-${segment.end}`,
      );
    }
    // Windows fall elsewhere than in the whole text, and the tiny model is sensitive to its context: close, not equal.
    assert.ok(Math.abs(pieces.length - whole.length) <= whole.length / 4, `${pieces.length} vs ${whole.length}`);
  });
});
