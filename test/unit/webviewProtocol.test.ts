// Messages from the webviews are checked before the host acts on them; the HTML shell carries a strict CSP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_QUESTION_LENGTH, parseQaWebviewMessage, parseRelationsWebviewMessage } from '../../src/host/webviewMessages';
import { segmentText } from '../../src/host/segments';
import { LatestRequest } from '../../webview/common/requests';
import { contentSecurityPolicy, createNonce, webviewHtml } from '../../src/extension/webviewHtml';
import { addToHistory, answerViews, hasConfidentAnswer, HISTORY_PER_DOCUMENT, newEntry } from '../../src/host/qaAnswers';

describe('messages from the relations webview', () => {
  it('accepts ready, refresh and a reveal of one or two spans', () => {
    assert.deepEqual(parseRelationsWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseRelationsWebviewMessage({ type: 'refresh' }), { type: 'refresh' });
    const reveal = {
      type: 'reveal',
      uri: 'file:///a.txt',
      spans: [
        { start: 1, end: 4 },
        { start: 9, end: 12 },
      ],
    };
    assert.deepEqual(parseRelationsWebviewMessage(reveal), reveal);
  });

  it('drops extra fields', () => {
    assert.deepEqual(parseRelationsWebviewMessage({ type: 'ready', command: 'workbench.action.terminal.new' }), { type: 'ready' });
  });

  it('refuses malformed messages', () => {
    const bad: unknown[] = [
      null,
      'ready',
      [],
      { type: 'runCommand' },
      { type: 'reveal', uri: 'file:///a', spans: [] },
      { type: 'reveal', uri: 'file:///a', spans: [{ start: 5, end: 2 }] },
      { type: 'reveal', uri: 'file:///a', spans: [{ start: -1, end: 2 }] },
      { type: 'reveal', uri: 'file:///a', spans: [{ start: 0.5, end: 2 }] },
      {
        type: 'reveal',
        uri: 'file:///a',
        spans: [
          { start: 0, end: 1 },
          { start: 0, end: 1 },
          { start: 0, end: 1 },
        ],
      },
      { type: 'reveal', uri: 42, spans: [{ start: 0, end: 1 }] },
      { type: 'reveal', spans: [{ start: 0, end: 1 }] },
    ];
    for (const message of bad) assert.equal(parseRelationsWebviewMessage(message), undefined, JSON.stringify(message));
  });
});

describe('messages from the QA webview', () => {
  it('accepts a question with scope and top-k, trimmed', () => {
    assert.deepEqual(parseQaWebviewMessage({ type: 'ask', requestId: 4, question: '  What binds?  ', scope: 'selection', topK: 3 }), {
      type: 'ask',
      requestId: 4,
      question: 'What binds?',
      scope: 'selection',
      topK: 3,
    });
    assert.deepEqual(parseQaWebviewMessage({ type: 'clearHistory' }), { type: 'clearHistory' });
  });

  it('keeps a hostile question as text (it is data, never markup)', () => {
    const question = 'Which <img src=x onerror=alert(1)> </script> binds?';
    assert.equal(
      (parseQaWebviewMessage({ type: 'ask', requestId: 1, question, scope: 'document', topK: 1 }) as { question: string }).question,
      question,
    );
  });

  it("shows only the reply to the question still awaited: a replaced question's answer or failure is not current", () => {
    const latest = new LatestRequest();
    const first = latest.start();
    const second = latest.start(); // asked again before the first answer came
    assert.equal(latest.settle(first), false, 'the first (cancelled) question fails or answers late: not shown');
    assert.equal(latest.busy, true);
    assert.equal(latest.settle(second), true);
    assert.equal(latest.busy, false);
    assert.equal(latest.settle(second), false, 'a reply counts once');
    // A question asked from a command (host ids are negative) replaces the webview's own.
    const third = latest.start();
    latest.adopt(-1);
    assert.equal(latest.settle(third), false);
    assert.equal(latest.settle(-1), true);
    assert.equal(latest.settle(undefined), false);
  });

  it('refuses empty or huge questions, unknown scopes and bad top-k', () => {
    const bad: unknown[] = [
      { type: 'ask', requestId: 1, question: '   ', scope: 'document', topK: 3 },
      { type: 'ask', requestId: 1, question: 'x'.repeat(MAX_QUESTION_LENGTH + 1), scope: 'document', topK: 3 },
      { type: 'ask', requestId: 1, question: 'q', scope: 'workspace', topK: 3 },
      { type: 'ask', requestId: 1, question: 'q', scope: 'document', topK: 0 },
      { type: 'ask', requestId: 1, question: 'q', scope: 'document', topK: 2.5 },
      { type: 'ask', requestId: 1, question: 'q', scope: 'document', topK: 1000 },
      { type: 'ask', requestId: 1, question: 7, scope: 'document', topK: 3 },
      // Replies are matched to questions by id: a question without a usable one is refused.
      { type: 'ask', question: 'q', scope: 'document', topK: 3 },
      { type: 'ask', requestId: 0, question: 'q', scope: 'document', topK: 3 },
      { type: 'ask', requestId: -2, question: 'q', scope: 'document', topK: 3 },
      { type: 'ask', requestId: 1.5, question: 'q', scope: 'document', topK: 3 },
      { type: 'ask', requestId: '1', question: 'q', scope: 'document', topK: 3 },
    ];
    for (const message of bad) assert.equal(parseQaWebviewMessage(message), undefined, JSON.stringify(message).slice(0, 80));
  });
});

describe('text segments for highlighting', () => {
  it('splits a sentence into plain and marked pieces that join back to the sentence', () => {
    const sentence = 'DM binds </script><img src=x> receptors.';
    const segments = segmentText(sentence, 100, [
      { span: { start: 100, end: 102 }, mark: 'chemical' },
      { span: { start: 130, end: 139 }, mark: 'gene' },
    ]);
    assert.equal(segments.map((s) => s.text).join(''), sentence);
    assert.deepEqual(
      segments.filter((s) => s.mark).map((s) => [s.text, s.mark]),
      [
        ['DM', 'chemical'],
        ['receptors', 'gene'],
      ],
    );
  });

  it('never duplicates text when marks overlap or fall outside the sentence', () => {
    const segments = segmentText('abcdef', 0, [
      { span: { start: 1, end: 4 }, mark: 'chemical' },
      { span: { start: 2, end: 5 }, mark: 'gene' },
      { span: { start: 4, end: 99 }, mark: 'gene' },
    ]);
    assert.equal(segments.map((s) => s.text).join(''), 'abcdef');
  });
});

describe('webview HTML shell', () => {
  it('has a CSP with default-src none, scripts by nonce only, styles and fonts from the webview origin', () => {
    const csp = contentSecurityPolicy('https://webview.example', 'abc123');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.match(csp, /style-src https:\/\/webview\.example 'nonce-abc123'/);
    assert.match(csp, /font-src https:\/\/webview\.example/);
    assert.match(csp, /img-src https:\/\/webview\.example/);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
  });

  it('every script carries the nonce, and nonces are fresh', () => {
    const nonce = createNonce();
    assert.notEqual(nonce, createNonce());
    assert.ok(nonce.length >= 16);
    const html = webviewHtml({
      title: 'BioM Relations',
      cspSource: 'https://webview.example',
      nonce,
      scriptUri: 'https://webview.example/dist/webview/relations.js',
      styleUris: ['https://webview.example/media/webview.css'],
    });
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0].includes(`nonce="${nonce}"`));
    assert.ok(!/<script[^>]*>[^<]+<\/script>/.test(html), 'no inline script body');
  });
});

describe('QA answers and history', () => {
  const text = 'Intro sentence. Dextrorphan binds the sigma-1 receptor. Outro.';
  const start = text.indexOf('sigma-1 receptor');

  it('shows each answer in its sentence, the answer marked', () => {
    const [view] = answerViews(text, [{ answer: 'sigma-1 receptor', score: 0.6, start, end: start + 16 }]);
    assert.equal(view.context.map((s) => s.text).join(''), 'Dextrorphan binds the sigma-1 receptor.');
    assert.deepEqual(view.context.find((s) => s.mark === 'answer')?.text, 'sigma-1 receptor');
    assert.deepEqual(view.span, { start, end: start + 16 });
  });

  it('an entry whose best answer is below the threshold has no confident answer', () => {
    const weak = newEntry('q', 'document', answerViews(text, [{ answer: 'Intro', score: 0.01, start: 0, end: 5 }]));
    assert.equal(hasConfidentAnswer(weak), false);
    assert.equal(hasConfidentAnswer(newEntry('q', 'document', [])), false);
    // The webview shows "No answer above threshold" from this flag; it does not decide it again.
    assert.equal(weak.confident, false);
    const strong = newEntry('q', 'document', answerViews(text, [{ answer: 'sigma-1 receptor', score: 0.6, start, end: start + 16 }]));
    assert.equal(strong.confident, true);
  });

  it('history is per document, newest first, and bounded', () => {
    let history = {};
    for (let i = 0; i < HISTORY_PER_DOCUMENT + 5; i++) history = addToHistory(history, 'a', newEntry(`q${i}`, 'document', []));
    history = addToHistory(history, 'b', newEntry('other', 'document', []));
    const forA = (history as Record<string, { question: string }[]>).a;
    assert.equal(forA.length, HISTORY_PER_DOCUMENT);
    assert.equal(forA[0].question, `q${HISTORY_PER_DOCUMENT + 4}`);
    assert.equal((history as Record<string, unknown[]>).b.length, 1);
  });
});
