// Questions-view answers follow edits: a click after typing above an answer still selects the answer's words.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Engine } from '../../src/core/engine';
import { answerQuestion } from '../../src/core/tasks/qa';
import { mapSpans } from '../../src/core/text/changes';
import { answerViews, historyAfterEdits, newEntry } from '../../src/host/qaAnswers';
import { bundledModel, chemprotDevAbstracts } from '../helpers/paths';

describe('QA answers after edits (qa-albert)', () => {
  const engine = new Engine({ threads: 1 });
  after(() => engine.dispose());

  it('moves answers with text typed above them and marks an answer whose words were edited stale', async () => {
    const text = `${chemprotDevAbstracts()[0]}\n\n${chemprotDevAbstracts()[1]}`;
    const model = await engine.load({ folder: bundledModel('qa-albert') }, 'qa');
    const answers = await answerQuestion(model, 'What does the drug inhibit?', text, { topK: 3 });
    assert.ok(answers.length > 0);
    const entry = newEntry('What does the drug inhibit?', 'document', answerViews(text, answers));

    // 16 characters typed at the top of the document (the case).
    const typed = 'Reviewed today. ';
    const edited = typed + text;
    const [moved] = historyAfterEdits([entry], [{ start: 0, end: 0, insertedLength: typed.length }]) ?? [];
    assert.ok(moved);
    for (const [i, a] of moved.answers.entries()) {
      assert.equal(a.stale, undefined);
      assert.equal(edited.slice(a.span.start, a.span.end), entry.answers[i].text);
    }

    // The first answer's own words replaced: it keeps its place but is stale, the others still move.
    const hit = moved.answers[0].span;
    const [again] = historyAfterEdits([moved], [{ start: hit.start, end: hit.end, insertedLength: 3 }]) ?? [];
    assert.ok(again);
    assert.equal(again.answers[0].stale, true);
    for (const a of again.answers.slice(1)) {
      const [expected] = mapSpans(
        [moved.answers[again.answers.indexOf(a)].span],
        [{ start: hit.start, end: hit.end, insertedLength: 3 }],
        'drop',
      );
      if (expected) assert.deepEqual(a.span, { start: expected.start, end: expected.end });
      else assert.equal(a.stale, true);
    }

    // Typing after every answer moves nothing: the history is not rewritten on each keystroke.
    assert.equal(historyAfterEdits([again], [{ start: edited.length + 10, end: edited.length + 10, insertedLength: 1 }]), undefined);
  });
});
