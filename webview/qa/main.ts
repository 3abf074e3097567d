// Owns the sidebar QA UI: question box, scope, top-k, answers with scores and sentences, per-document history.
import type { DocumentRef, QaEntry, QaHostMessage, QaScope, QaWebviewMessage } from '../../src/shared/webviewProtocol';
import { connect } from '../common/host';
import { formatScore, h, onActivate, replaceChildren, segments } from '../common/dom';
import { registerToolkit, setValue, valueOf } from '../common/toolkit';
import { LatestRequest } from '../common/requests';

interface State {
  draft: string;
  scope: QaScope;
  topK: number;
  /** The history entry on show, per document URI. */
  shown: Record<string, string>;
}

registerToolkit();

let state: State = { draft: '', scope: 'document', topK: 3, shown: {} };
let document_: DocumentRef | undefined;
let history: QaEntry[] = [];
const question_ = new LatestRequest();
const app = document.getElementById('app') ?? document.body;

const docLine = h('p', { class: 'subtitle', 'data-testid': 'qa-document' });
const question = h('vscode-text-field', {
  placeholder: 'Ask about this document…',
  'aria-label': 'Question',
  'data-testid': 'qa-question',
  maxlength: '2000',
});
const ask = h('vscode-button', { 'data-testid': 'qa-ask' }, 'Ask');
const scopeDocument = h('vscode-radio', { value: 'document' }, 'Document');
const scopeSelection = h('vscode-radio', { value: 'selection' }, 'Selection');
const scope = h('vscode-radio-group', { 'aria-label': 'Scope' }, h('label', { slot: 'label' }, 'Scope'), scopeDocument, scopeSelection);
const topK = h(
  'vscode-dropdown',
  { 'aria-label': 'Answers to show' },
  ...[1, 3, 5, 10].map((k) => h('vscode-option', { value: String(k) }, `top ${k}`)),
);
const status = h('div', { class: 'status', role: 'status' });
const results = h('section', { class: 'results', 'aria-label': 'Answers' });
const historyList = h('ol', { class: 'history' });
const clear = h('vscode-button', { appearance: 'icon', 'aria-label': 'Clear history', title: 'Clear history' }, '✕');
replaceChildren(
  app,
  docLine,
  h('div', { class: 'ask' }, question, ask),
  h('div', { class: 'controls' }, scope, topK),
  status,
  results,
  h('vscode-divider'),
  h('div', { class: 'history-head' }, h('h2', {}, 'History'), clear),
  historyList,
);

const host = connect<QaHostMessage, QaWebviewMessage, State>(onMessage, { type: 'ready' });
state = { ...state, ...host.state() };
setValue(question, state.draft);
setValue(topK, String(state.topK));
setValue(scope, state.scope);

question.addEventListener('input', () => {
  state.draft = valueOf(question);
  save();
});
// keydown is composed: it reaches the host element from the toolkit field's inner <input>.
question.addEventListener('keydown', (event) => {
  if ((event as KeyboardEvent).key === 'Enter') submit();
});
onActivate(ask, submit);
scope.addEventListener('change', () => {
  state.scope = valueOf(scope) === 'selection' ? 'selection' : 'document';
  save();
});
topK.addEventListener('change', () => {
  state.topK = Number.parseInt(valueOf(topK), 10) || 3;
  save();
});
onActivate(clear, () => host.post({ type: 'clearHistory' }));

function save(): void {
  host.saveState(state);
}

function submit(): void {
  const text = valueOf(question).trim();
  if (text === '') return;
  if (!document_) {
    replaceChildren(status, h('span', { class: 'error' }, 'Open a document to ask about.'));
    return;
  }
  host.post({ type: 'ask', requestId: question_.start(), question: text, scope: state.scope, topK: state.topK });
}

function onMessage(message: QaHostMessage): void {
  switch (message.type) {
    case 'document':
      document_ = message.document;
      history = message.history;
      question_.clear();
      docLine.textContent = message.document ? `Asking about ${message.document.name}` : 'No document open';
      setSelectionAvailable(message.hasSelection);
      replaceChildren(status);
      renderResults();
      renderHistory();
      return;
    case 'selection':
      setSelectionAvailable(message.hasSelection);
      return;
    case 'busy':
      question_.adopt(message.requestId);
      replaceChildren(status, h('vscode-progress-ring'), h('span', {}, 'Answering '), h('q', {}, message.question));
      return;
    case 'answered': {
      // An answer to a question a newer one replaced joins the history but does not take over the view.
      const current = question_.settle(message.requestId);
      history = [message.entry, ...history.filter((e) => e.id !== message.entry.id)];
      if (!current) {
        renderHistory();
        return;
      }
      if (document_) state.shown[document_.uri] = message.entry.id;
      save();
      replaceChildren(status);
      renderResults();
      renderHistory();
      return;
    }
    case 'error':
      // A failure of a replaced question (it was cancelled by the newer one) says nothing about the current one.
      if (message.requestId !== undefined && !question_.settle(message.requestId)) return;
      replaceChildren(status, h('span', { class: 'error' }, message.message));
      return;
  }
}

function setSelectionAvailable(available: boolean): void {
  if (available) scopeSelection.removeAttribute('disabled');
  else scopeSelection.setAttribute('disabled', '');
  scopeSelection.title = available ? 'Answer from the selected text' : 'Select text in the editor to ask about it';
}

function shownEntry(): QaEntry | undefined {
  const id = document_ ? state.shown[document_.uri] : undefined;
  return history.find((e) => e.id === id) ?? history[0];
}

function renderResults(): void {
  const entry = shownEntry();
  if (!entry || !document_) {
    replaceChildren(results);
    return;
  }
  const uri = document_.uri;
  // Older history entries (before the host decided this) have no flag: their answers are listed as they are.
  const confident = entry.confident !== false;
  replaceChildren(
    results,
    h('h2', { class: 'question' }, h('span', { class: 'q-mark' }, 'Q '), entry.question),
    h('p', { class: 'scope' }, entry.scope === 'selection' ? 'from the selection' : 'from the whole document'),
    !confident &&
      h(
        'p',
        { class: 'no-answer', 'data-testid': 'qa-no-answer' },
        `No answer above threshold (${formatScore(entry.threshold)}).${entry.answers.length > 0 ? ' Weak candidates:' : ''}`,
      ),
    h(
      'ol',
      { class: 'answers' },
      ...entry.answers.map((answer) => {
        // A stale answer's words were edited: listed dimmed with a badge, never selectable (it would select other words).
        const item = h(
          'li',
          {
            class: `${answer.score >= entry.threshold ? 'answer' : 'answer weak'}${answer.stale ? ' stale' : ''}`,
            tabindex: '0',
            'data-testid': 'qa-answer',
            'aria-disabled': answer.stale ? 'true' : 'false',
            title: answer.stale ? 'The text of this answer was edited: ask again' : 'Select the answer in the editor',
          },
          h(
            'div',
            { class: 'answer-head' },
            h('strong', {}, answer.text),
            answer.stale && h('span', { class: 'stale-badge', 'data-testid': 'qa-stale' }, 'stale'),
            h('span', { class: 'score' }, formatScore(answer.score)),
          ),
          h('div', { class: 'evidence' }, segments(answer.context)),
        );
        if (!answer.stale) onActivate(item, () => host.post({ type: 'reveal', uri, spans: [answer.span] }));
        return item;
      }),
    ),
  );
}

function renderHistory(): void {
  const current = shownEntry();
  replaceChildren(
    historyList,
    ...history.map((entry) => {
      const best = entry.answers[0];
      const item = h(
        'li',
        { class: entry === current ? 'history-item current' : 'history-item', tabindex: '0' },
        h('span', { class: 'history-question' }, entry.question),
        h('span', { class: 'history-answer' }, best ? `${best.text} (${formatScore(best.score)})` : 'no answer'),
      );
      onActivate(item, () => {
        if (!document_) return;
        state.shown[document_.uri] = entry.id;
        save();
        renderResults();
        renderHistory();
      });
      return item;
    }),
  );
  if (history.length === 0) historyList.append(h('li', { class: 'history-empty' }, 'Questions you ask about this document appear here.'));
}
