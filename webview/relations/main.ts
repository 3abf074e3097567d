// Owns the relations panel UI: rows chemical — relation — gene with score, evidence and curation status, grouped by
// paragraph in a virtualized list; filters; click or Enter to reveal; accept / reject / change class per row.
import type {
  RelationClass,
  RelationCurationAction,
  RelationRow,
  RelationsHostMessage,
  RelationsWebviewMessage,
} from '../../src/shared/webviewProtocol';
import { connect, parseJsonText } from '../common/host';
import { formatScore, h, onActivate, replaceChildren, segments } from '../common/dom';
import { registerToolkit, setValue, valueOf } from '../common/toolkit';
import { VirtualList } from './virtualList';

interface State {
  /** The last data message, so a reloaded panel shows its rows before the host answers "ready". */
  last?: RelationsData;
  classFilter: string;
  minScore: number;
  /** Rows whose chemical or gene contains this text (case-insensitive); empty: all. */
  textFilter?: string;
}

type RelationsData = Extract<RelationsHostMessage, { type: 'relations' }>;

/** A list item: a paragraph header or a relation row. Estimates are the usual drawn heights (measured once drawn). */
type Item =
  | { kind: 'group'; key: string; estimate: number; title: string }
  | { kind: 'row'; key: string; estimate: number; row: RelationRow };

const GROUP_HEIGHT = 34;
const ROW_HEIGHT = 66;
const ALL = 'all';

registerToolkit();

let state: State = { classFilter: ALL, minScore: 0 };
/** The rows of `state.last`, parsed once per message. */
let rows: RelationRow[] = [];
let shownRows = 0;
/** The row index (in the list's items) that Tab lands on: the last one focused or revealed. */
let activeIndex = -1;
const app = document.getElementById('app') ?? document.body;
app.classList.add('relations-app');

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
const addRelation = h(
  'vscode-button',
  { appearance: 'secondary', 'data-testid': 'relation-add', title: 'Add a relation the model missed' },
  'Add relation…',
);
const controls = h('div', { class: 'controls' }, classFilter, minScoreLabel, minScore, textFilter, refresh, addRelation);
const status = h('div', { class: 'status', role: 'status' });
const listElement = h('div', {
  class: 'rows',
  role: 'list',
  'aria-label': 'Relations (arrow keys move between rows, Enter reveals, A accepts, R rejects)',
  'data-testid': 'relation-list',
});
replaceChildren(app, h('header', {}, title, subtitle), controls, status, listElement);
const list = new VirtualList<Item>(listElement, drawItem);

const host = connect<RelationsHostMessage, RelationsWebviewMessage, State>(onMessage, { type: 'ready' });
state = { ...state, ...host.state() };
setValue(minScore, String(state.minScore));
setValue(textFilter, state.textFilter ?? '');
textFilter.addEventListener('input', () => {
  state.textFilter = valueOf(textFilter).trim();
  save();
  if (state.last) renderRows(state.last, false);
});
if (state.last) showRelations(state.last);

classFilter.addEventListener('change', () => {
  state.classFilter = valueOf(classFilter) || ALL;
  save();
  if (state.last) renderRows(state.last, false);
});
minScore.addEventListener('input', () => {
  const value = Number.parseFloat(valueOf(minScore));
  state.minScore = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
  save();
  if (state.last) renderRows(state.last, false);
});
onActivate(refresh, () => host.post({ type: 'refresh' }));
onActivate(addRelation, () => {
  if (state.last) host.post({ type: 'addRelation', uri: state.last.document.uri });
});
listElement.addEventListener('keydown', onListKey);
listElement.addEventListener('focusin', (event) => {
  const index = list.indexOf(event.target as Element);
  if (index >= 0 && list.item(index)?.kind === 'row') setActive(index);
});

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
      rows = [];
      list.setItems([], true);
      return;
    case 'error':
      replaceChildren(status, h('span', { class: 'error' }, message.message));
      return;
  }
}

function showRelations(message: RelationsData): void {
  rows = parseJsonText(message.rows, []);
  subtitle.textContent = `${message.document.name} · model ${message.model}`;
  fillClassFilter(message.classes);
  renderRows(message, true);
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

/** Filters the rows and hands them, with a header per paragraph, to the virtualized list. `fresh`: new data. */
function renderRows(message: RelationsData, fresh: boolean): void {
  const needle = (state.textFilter ?? '').toLowerCase();
  const items: Item[] = [];
  let group: string | undefined;
  let shown = 0;
  for (const row of rows) {
    if (state.classFilter !== ALL && row.label !== state.classFilter) continue;
    if (row.score < state.minScore) continue;
    if (needle !== '' && !row.chemical.text.toLowerCase().includes(needle) && !row.gene.text.toLowerCase().includes(needle)) continue;
    if (row.group !== group) {
      group = row.group;
      items.push({ kind: 'group', key: `g\u0000${row.group}`, estimate: GROUP_HEIGHT, title: row.group });
    }
    items.push({ kind: 'row', key: `r\u0000${row.id}`, estimate: ROW_HEIGHT, row });
    shown++;
  }
  shownRows = shown;
  const hidden = rows.length - shown;
  replaceChildren(
    status,
    h('vscode-badge', {}, String(shown)),
    h('span', {}, ` relation${shown === 1 ? '' : 's'}${hidden > 0 ? ` (${hidden} hidden by the filters)` : ''}`),
    message.stale !== undefined &&
      h(
        'span',
        { class: 'stale-badge', 'data-testid': 'relations-stale', title: `Out of date: ${message.stale}. Refresh to extract again.` },
        'stale',
      ),
  );
  listElement.classList.toggle('stale', message.stale !== undefined);
  const activeKey = list.item(activeIndex)?.key;
  list.setItems(items, fresh);
  activeIndex = activeKey === undefined ? -1 : items.findIndex((i) => i.key === activeKey);
  if (rows.length === 0) {
    replaceChildren(status, h('span', {}, 'No chemical–gene relations found in this document.'));
  }
}

function drawItem(item: Item, index: number): HTMLElement {
  if (item.kind === 'group') {
    return h('div', { class: 'group', role: 'heading', 'aria-level': '2', 'data-testid': 'relation-group' }, item.title);
  }
  return rowElement(item.row, index);
}

const STATUS_WORDS: Record<NonNullable<RelationRow['status']>, string> = {
  suggested: 'suggested',
  accepted: 'accepted',
  rejected: 'rejected',
  added: 'added by you',
};

function rowElement(row: RelationRow, index: number): HTMLElement {
  const current = state.last;
  const rowStatus = row.status ?? 'suggested';
  const curate = (action: RelationCurationAction, label?: string): void => {
    if (!current) return;
    host.post({
      type: 'curate',
      uri: current.document.uri,
      chemical: row.chemical.span,
      gene: row.gene.span,
      action,
      ...(label === undefined ? {} : { label }),
    });
  };
  const accept = h(
    'button',
    {
      class: 'curate accept',
      type: 'button',
      'aria-pressed': String(rowStatus === 'accepted'),
      'data-testid': 'relation-accept',
      title: 'Accept (A)',
    },
    'Accept',
  );
  const reject = h(
    'button',
    {
      class: 'curate reject',
      type: 'button',
      'aria-pressed': String(rowStatus === 'rejected'),
      'data-testid': 'relation-reject',
      title: 'Reject (R)',
    },
    'Reject',
  );
  const classes = current?.classes ?? [];
  const labelSelect = h(
    'select',
    { class: 'curate set-label', 'aria-label': 'Change class', 'data-testid': 'relation-set-label', title: 'Change class' },
    ...classes.map((c) => h('option', { value: c.label, selected: c.label === row.label, title: c.words }, c.label)),
  );
  accept.addEventListener('click', () => curate('accept'));
  reject.addEventListener('click', () => curate('reject'));
  labelSelect.addEventListener('change', () => {
    if (labelSelect.value !== row.label) curate('setLabel', labelSelect.value);
  });
  const element = h(
    'div',
    {
      class: `row status-${rowStatus}`,
      role: 'listitem',
      tabindex: index === activeIndex || (activeIndex < 0 && isFirstRow(index)) ? '0' : '-1',
      'data-testid': 'relation-row',
      'data-status': rowStatus,
      'aria-label': `${row.chemical.text} ${row.words} ${row.gene.text}, ${row.label}, score ${formatScore(row.score)}, ${STATUS_WORDS[rowStatus]}`,
      title: 'Show both mentions in the editor',
    },
    h(
      'div',
      { class: 'pair' },
      h('mark', { class: 'mention chemical' }, row.chemical.text),
      h('span', { class: 'words' }, ` ${row.words} `),
      h('mark', { class: 'mention gene' }, row.gene.text),
      h('vscode-tag', { class: 'label' }, row.label),
      h('span', { class: 'score' }, formatScore(row.score)),
      h('span', { class: `curation-status ${rowStatus}`, 'data-testid': 'relation-status' }, STATUS_WORDS[rowStatus]),
      h('span', { class: 'curate-actions' }, accept, reject, labelSelect),
    ),
    h('div', { class: 'evidence' }, segments(row.evidence)),
  );
  // The row reveals; its buttons and class list act on their own (their clicks and keys do not reveal too).
  element.addEventListener('click', (event) => {
    if ((event.target as Element).closest('.curate')) return;
    reveal(row);
  });
  element.addEventListener('keydown', (event) => {
    if (event.target !== element) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      reveal(row);
    } else if (event.key === 'a' || event.key === 'A') {
      event.preventDefault();
      curate('accept');
    } else if (event.key === 'r' || event.key === 'R') {
      event.preventDefault();
      curate('reject');
    }
  });
  return element;
}

function isFirstRow(index: number): boolean {
  for (let i = 0; i < list.length; i++) if (list.item(i)?.kind === 'row') return i === index;
  return false;
}

function reveal(row: RelationRow): void {
  if (state.last) host.post({ type: 'reveal', uri: state.last.document.uri, spans: [row.chemical.span, row.gene.span] });
}

/** Roving tab stop: only the active row is in the Tab order, so Tab leaves the list instead of walking thousands of rows. */
function setActive(index: number): void {
  if (index === activeIndex) return;
  list.element(activeIndex)?.setAttribute('tabindex', '-1');
  activeIndex = index;
  list.element(index)?.setAttribute('tabindex', '0');
}

/** Arrow keys, Page Up/Down, Home and End move between rows (headers are skipped), scrolling the row into view. */
function onListKey(event: KeyboardEvent): void {
  const from = list.indexOf(event.target as Element);
  if (from < 0 || (event.target as Element).closest('.curate')) return;
  const page = Math.max(1, Math.floor(listElement.clientHeight / ROW_HEIGHT));
  const moves: Record<string, [number, number]> = {
    ArrowDown: [from + 1, 1],
    ArrowUp: [from - 1, -1],
    PageDown: [from + page, 1],
    PageUp: [from - page, -1],
    Home: [0, 1],
    End: [list.length - 1, -1],
  };
  const move = moves[event.key];
  if (!move || shownRows === 0) return;
  event.preventDefault();
  let [target] = move;
  const [, step] = move;
  target = Math.max(0, Math.min(list.length - 1, target));
  while (list.item(target)?.kind === 'group') target += step;
  if (target < 0 || target >= list.length) {
    // Past the last (or before the first) row: stay on the nearest row the other way.
    target = Math.max(0, Math.min(list.length - 1, target));
    while (list.item(target)?.kind === 'group') target -= step;
  }
  if (target < 0 || target >= list.length) return;
  setActive(target);
  list.show(target)?.focus({ preventScroll: true });
}
