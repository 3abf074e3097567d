// Owns the relations panel UI: rows chemical — relation — gene with score and evidence, filters, click to reveal.
import type { RelationClass, RelationRow, RelationsHostMessage, RelationsWebviewMessage } from '../../src/shared/webviewProtocol';
import { connect } from '../common/host';
import { formatScore, h, onActivate, replaceChildren, segments } from '../common/dom';
import { registerToolkit, setValue, valueOf } from '../common/toolkit';

interface State {
  /** The last data message, so a reloaded panel shows its rows before the host answers "ready". */
  last?: Extract<RelationsHostMessage, { type: 'relations' }>;
  classFilter: string;
  minScore: number;
  /** Rows whose chemical or gene contains this text (case-insensitive); empty: all. */
  textFilter?: string;
}

/** Rows drawn at first and per "Show more": thousands of rows stay quick to filter and draw. */
const PAGE_ROWS = 300;
let shownLimit = PAGE_ROWS;

const ALL = 'all';

registerToolkit();

let state: State = { classFilter: ALL, minScore: 0 };
const app = document.getElementById('app') ?? document.body;

const title = h('h1', {}, 'Relations');
const subtitle = h('p', { class: 'subtitle' });
const classFilter = h('vscode-dropdown', { 'aria-label': 'Relation class', 'data-testid': 'relation-class-filter' });
const minScore = h('vscode-text-field', {
  type: 'number',
  min: '0',
  max: '1',
  step: '0.05',
  size: '5',
  'aria-label': 'Minimum score',
  'data-testid': 'relation-min-score',
});
// A label beside the field, not in its "start" slot: the slot is an icon's width and wrapped the text under the value.
const minScoreLabel = h('span', { class: 'field-label', 'aria-hidden': 'true' }, 'score ≥');
const textFilter = h('vscode-text-field', {
  placeholder: 'entity text',
  'aria-label': 'Filter by entity text',
  'data-testid': 'relation-text-filter',
});
const refresh = h('vscode-button', { appearance: 'secondary', 'data-testid': 'relation-refresh' }, 'Refresh');
const controls = h('div', { class: 'controls' }, classFilter, minScoreLabel, minScore, textFilter, refresh);
const status = h('div', { class: 'status', role: 'status' });
const list = h('div', { class: 'rows', role: 'list' });
replaceChildren(app, h('header', {}, title, subtitle), controls, status, list);

const host = connect<RelationsHostMessage, RelationsWebviewMessage, State>(onMessage, { type: 'ready' });
state = { ...state, ...host.state() };
setValue(minScore, String(state.minScore));
setValue(textFilter, state.textFilter ?? '');
textFilter.addEventListener('input', () => {
  state.textFilter = valueOf(textFilter).trim();
  shownLimit = PAGE_ROWS;
  save();
  if (state.last) renderRows(state.last);
});
if (state.last) showRelations(state.last);

classFilter.addEventListener('change', () => {
  state.classFilter = valueOf(classFilter) || ALL;
  save();
  if (state.last) renderRows(state.last);
});
minScore.addEventListener('input', () => {
  const value = Number.parseFloat(valueOf(minScore));
  state.minScore = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
  save();
  if (state.last) renderRows(state.last);
});
onActivate(refresh, () => host.post({ type: 'refresh' }));

function save(): void {
  host.saveState(state);
}

function onMessage(message: RelationsHostMessage): void {
  switch (message.type) {
    case 'relations':
      state.last = message;
      save();
      showRelations(message);
      return;
    case 'busy':
      replaceChildren(status, h('vscode-progress-ring'), h('span', {}, message.message));
      if (message.document) subtitle.textContent = message.document.name;
      return;
    case 'empty':
      state.last = undefined;
      save();
      subtitle.textContent = '';
      replaceChildren(status, h('span', {}, message.message));
      replaceChildren(list);
      return;
    case 'error':
      replaceChildren(status, h('span', { class: 'error' }, message.message));
      return;
  }
}

function showRelations(message: Extract<RelationsHostMessage, { type: 'relations' }>): void {
  subtitle.textContent = `${message.document.name} · model ${message.model}`;
  fillClassFilter(message.classes);
  renderRows(message);
}

function fillClassFilter(classes: readonly RelationClass[]): void {
  const options = [
    h('vscode-option', { value: ALL }, 'All classes'),
    ...classes.map((c) => h('vscode-option', { value: c.label }, `${c.label} — ${c.words}`)),
  ];
  replaceChildren(classFilter, ...options);
  if (!classes.some((c) => c.label === state.classFilter)) state.classFilter = ALL;
  setValue(classFilter, state.classFilter);
}

function renderRows(message: Extract<RelationsHostMessage, { type: 'relations' }>): void {
  const needle = (state.textFilter ?? '').toLowerCase();
  const shown = message.rows.filter(
    (r) =>
      (state.classFilter === ALL || r.label === state.classFilter) &&
      r.score >= state.minScore &&
      (needle === '' || r.chemical.text.toLowerCase().includes(needle) || r.gene.text.toLowerCase().includes(needle)),
  );
  const hidden = message.rows.length - shown.length;
  replaceChildren(
    status,
    h('vscode-badge', {}, String(shown.length)),
    h('span', {}, ` relation${shown.length === 1 ? '' : 's'}${hidden > 0 ? ` (${hidden} hidden by the filters)` : ''}`),
    message.stale !== undefined &&
      h(
        'span',
        { class: 'stale-badge', 'data-testid': 'relations-stale', title: `Out of date: ${message.stale}. Refresh to extract again.` },
        'stale',
      ),
  );
  list.classList.toggle('stale', message.stale !== undefined);
  // Rows come grouped by paragraph; a header starts each group. Only the first `shownLimit` rows are drawn.
  const elements: HTMLElement[] = [];
  let group: string | undefined;
  for (const row of shown.slice(0, shownLimit)) {
    if (row.group !== group) {
      group = row.group;
      elements.push(h('div', { class: 'group', role: 'heading', 'aria-level': '2', 'data-testid': 'relation-group' }, row.group ?? ''));
    }
    elements.push(rowElement(message.document.uri, row));
  }
  if (shown.length > shownLimit) {
    const more = h(
      'vscode-button',
      { appearance: 'secondary', 'data-testid': 'relation-more' },
      `Show ${Math.min(PAGE_ROWS, shown.length - shownLimit)} more of ${shown.length - shownLimit}`,
    );
    onActivate(more, () => {
      shownLimit += PAGE_ROWS;
      renderRows(message);
    });
    elements.push(more);
  }
  replaceChildren(list, ...elements);
  if (message.rows.length === 0) {
    replaceChildren(status, h('span', {}, 'No chemical–gene relations found in this document.'));
  }
}

function rowElement(uri: string, row: RelationRow): HTMLElement {
  const element = h(
    'div',
    { class: 'row', role: 'listitem', tabindex: '0', 'data-testid': 'relation-row', title: 'Select both mentions in the editor' },
    h(
      'div',
      { class: 'pair' },
      h('mark', { class: 'mention chemical' }, row.chemical.text),
      h('span', { class: 'words' }, ` ${row.words} `),
      h('mark', { class: 'mention gene' }, row.gene.text),
      h('vscode-tag', { class: 'label' }, row.label),
      h('span', { class: 'score' }, formatScore(row.score)),
    ),
    h('div', { class: 'evidence' }, segments(row.evidence)),
  );
  onActivate(element, () => host.post({ type: 'reveal', uri, spans: [row.chemical.span, row.gene.span] }));
  return element;
}
