import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/core/engine';
import { recognizeEntities } from '../../src/core/tasks/ner';
import { extractRelations } from '../../src/core/tasks/relations';
import { answerQuestion } from '../../src/core/tasks/qa';
import { InputError } from '../../src/core/errors';
import type { Entity } from '../../src/core/types';
import { bundledModel, fixtureModel } from '../helpers/paths';

const engine = new Engine();
after(() => engine.dispose());

const ABSTRACT = 'Gefitinib inhibits EGFR tyrosine kinase activity. Aspirin blocked COX-2 in platelets.';

const HOSTILE: Record<string, string> = {
  empty: '',
  whitespace: ' \t\n\r\n   \u00a0\u2003 ',
  nul: `Aspirin\u0000inhibits\u0000COX-2.\u0000`,
  'lone surrogates': `Aspirin \ud800 blocked \udc00COX-2 and \udbff\u0041 EGFR.`,
  crlf: 'Aspirin inhibits COX-2.\r\nGefitinib inhibits EGFR.\r\n\r\nCaffeine blocks A2A.\r\n',
  'long word': 'Aspirin ' + 'x'.repeat(20000) + ' inhibits COX-2.',
  'right-to-left': 'الأسبرين يثبط COX-2 في الصفائح الدموية. אספירין מעכב את EGFR.',
  emoji: '💊 Aspirin 👩‍🔬 inhibits 🧬 COX-2 🇩🇪 and 𝔾𝕖𝕗𝕚𝕥𝕚𝕟𝕚𝕓 blocks EGFR.',
};

/** Valid spans in order; token-level results ("none") may share a span (a Metaspace "▁" and the emoji after it). */
function checkEntities(text: string, entities: Entity[], where: string, tokens = false): void {
  let previousEnd = 0;
  let previousStart = 0;
  for (const e of entities) {
    assert.ok(0 <= e.start && e.start < e.end && e.end <= text.length, `${where}: span ${e.start}-${e.end} inside the text`);
    assert.equal(e.text, text.slice(e.start, e.end), `${where}: text is the source slice`);
    if (tokens) assert.ok(e.start >= previousStart, `${where}: sorted`);
    else assert.ok(e.start >= previousEnd, `${where}: sorted, no overlap`);
    assert.ok(e.score > 0 && e.score <= 1, `${where}: score is a probability`);
    // Never cut a surrogate pair in half.
    for (const at of [e.start, e.end]) {
      const before = text.charCodeAt(at - 1);
      assert.ok(
        !(before >= 0xd800 && before <= 0xdbff && at < text.length && (text.charCodeAt(at) & 0xfc00) === 0xdc00),
        `${where}: split pair at ${at}`,
      );
    }
    previousEnd = e.end;
    previousStart = e.start;
  }
}

for (const [name, text] of Object.entries(HOSTILE)) {
  test(`hostile input "${name}": NER (both tokenizer families), relations and QA give valid results`, async () => {
    for (const folder of [bundledModel('ner-albert'), fixtureModel('ner-electra')]) {
      const ner = await engine.load({ folder }, 'ner');
      for (const aggregation of ['none', 'simple', 'first', 'average', 'max'] as const) {
        const entities = await recognizeEntities(ner, text, { aggregation });
        checkEntities(text, entities, `${name} ${aggregation}`, aggregation === 'none');
      }
      checkEntities(text, await recognizeEntities(ner, text, { aggregation: 'max', stride: 32 }), `${name} stride`);
    }
    const ner = await engine.load({ folder: bundledModel('ner-albert') }, 'ner');
    const entities = await recognizeEntities(ner, text, { stride: 64 });
    const re = await engine.load({ folder: bundledModel('re-electra') }, 'relations');
    for (const r of await extractRelations(re, text, entities, { includeNegative: true })) {
      assert.ok(r.sentence.start <= Math.min(r.chemical.start, r.gene.start) && Math.max(r.chemical.end, r.gene.end) <= r.sentence.end);
    }
    const qa = await engine.load({ folder: bundledModel('qa-albert') }, 'qa');
    const answers = await answerQuestion(qa, 'What inhibits COX-2?', text, { topK: 3 });
    for (const a of answers) assert.equal(a.answer, text.slice(a.start, a.end));
    if (text.trim() === '') assert.deepEqual(answers, [], 'no answer in an empty context');
  });
}

test('hostile input: an empty question is a clear input error', async () => {
  const qa = await engine.load({ folder: bundledModel('qa-albert') }, 'qa');
  await assert.rejects(answerQuestion(qa, '  ', ABSTRACT), InputError);
});

test('hostile input: 1 MB of text is annotated in windows, offsets stay exact, and cancellation stops it', async (t) => {
  const unit = '💊 ' + ABSTRACT + ' ';
  const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
  assert.ok(text.length >= 1_000_000);
  const ner = await engine.load({ folder: bundledModel('ner-albert') }, 'ner');
  const controller = new AbortController();
  const cancelled = recognizeEntities(ner, text, { stride: 64, signal: controller.signal });
  setTimeout(() => controller.abort(), 200);
  await assert.rejects(cancelled, { name: 'CancelledError' });

  const entities = await recognizeEntities(ner, text, { stride: 64, batchSize: 16 });
  checkEntities(text, entities, '1 MB');
  const gefitinib = entities.filter((e) => e.text === 'Gefitinib');
  // Every repeat of the abstract is seen, but for the few where the tiny model labels "Gefitinib" differently after
  // a window boundary: measured 177 of 11,236 missed (ner-albert fp32, stride 64); a small margin above that.
  const repeats = Math.ceil(1_000_000 / unit.length);
  const missed = repeats - gefitinib.length;
  t.diagnostic(`Gefitinib found ${gefitinib.length} of ${repeats} times (${missed} missed)`);
  assert.ok(missed >= 0 && missed <= 200, `found ${gefitinib.length} of ${repeats}`);
  const last = gefitinib[gefitinib.length - 1];
  assert.equal(text.slice(last.start, last.end), 'Gefitinib');
  assert.ok(last.start > text.length - unit.length * 2, 'the end of the document is annotated');
});
