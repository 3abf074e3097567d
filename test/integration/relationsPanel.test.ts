// The relations panel's webview in chromium with thousands of rows: only rows in view are in the DOM, filters still
// find every row, the keyboard moves through the whole list, a click reveals, and the curation buttons post the
// typed messages the host turns into curation commands (test/unit/relationCuration.test.ts).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RelationsHostMessage, RelationsWebviewMessage } from '../../src/shared/webviewProtocol';
import { generatedRows } from '../../bench/panelRender';
import { CHROMIUM, launchChromium, openRelationsPage } from './relationsPage';

const unavailable = existsSync(CHROMIUM) ? undefined : `chromium is not installed (${CHROMIUM}); run scripts/install-editor.sh`;
if (unavailable && process.env.BIOM_EDITOR_REQUIRED === '1') throw new Error(unavailable);

const rows = generatedRows(5000);
const message: RelationsHostMessage = {
  type: 'relations',
  document: { uri: 'file:///work/abstracts.txt', name: 'abstracts.txt' },
  rows: JSON.stringify(rows),
  classes: [
    { label: 'CPR:3', words: 'activates / upregulates' },
    { label: 'CPR:4', words: 'inhibits / downregulates' },
    { label: 'CPR:5', words: 'is an agonist of' },
    { label: 'CPR:6', words: 'is an antagonist of' },
    { label: 'CPR:9', words: 'is a substrate / product of' },
  ],
  model: 're-electra',
};
const ROW = '[data-testid="relation-row"]';

describe('relations panel webview with 5,000 rows', { skip: unavailable }, () => {
  let browser: Browser;
  let page: Page;
  const posted = (): Promise<RelationsWebviewMessage[]> => page.evaluate('window.posted') as Promise<RelationsWebviewMessage[]>;
  const shownCount = async (): Promise<string> => page.locator('[role="status"] vscode-badge').innerText();
  const focusedLabel = (): Promise<string | null> => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

  before(async () => {
    browser = await launchChromium();
    page = await openRelationsPage(browser, { width: 600, height: 800 });
    await page.evaluate((m) => window.postMessage(m, '*'), message);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="relation-row"]').length > 0);
  });
  after(async () => {
    await browser?.close();
  });

  it('draws only the rows in view, under paragraph headers, and counts all of them', async () => {
    assert.equal(await shownCount(), '5000');
    const inDom = await page.locator(ROW).count();
    assert.ok(inDom > 3 && inDom < 60, `${inDom} row elements in the DOM`);
    assert.match(await page.locator('[data-testid="relation-group"]').first().innerText(), /^¶ 1 · /);
  });

  it('scrolling to the end draws the last paragraph and its last row', async () => {
    await page.locator('[data-testid="relation-list"]').evaluate((list) => {
      list.scrollTop = list.scrollHeight;
    });
    const last = rows[rows.length - 1];
    await page.locator(ROW, { hasText: `In paragraph 200 the study of ${last.chemical.text} ` }).waitFor({ timeout: 5000 });
    assert.ok((await page.locator(ROW).count()) < 60);
  });

  it('the entity-text and class filters search all 5,000 rows, not only those drawn', async () => {
    const field = page.locator('[data-testid="relation-text-filter"] input');
    // GENE130 is in rows far down the list (i * 7 % 131 === 130), never drawn before the filter.
    const expected = rows.filter((r) => r.gene.text.toLowerCase().includes('gene130')).length;
    await field.fill('gene130');
    await page.waitForFunction((n) => document.querySelector('[role="status"] vscode-badge')?.textContent === String(n), expected);
    const texts = await page.locator(`${ROW} .pair`).allInnerTexts();
    assert.ok(texts.length > 0 && texts.every((t) => t.includes('GENE130')), texts.join('\n'));
    await field.fill('');
    await page.waitForFunction(() => document.querySelector('[role="status"] vscode-badge')?.textContent === '5000');
    const classFilter = page.locator('[data-testid="relation-class-filter"]');
    const setClass = (value: string) =>
      classFilter.evaluate((el, v) => {
        (el as HTMLElement & { value: string }).value = v;
        el.dispatchEvent(new Event('change'));
      }, value);
    await setClass('CPR:5');
    const agonists = rows.filter((r) => r.label === 'CPR:5').length;
    await page.waitForFunction((n) => document.querySelector('[role="status"] vscode-badge')?.textContent === String(n), agonists);
    const labels = await page.locator(`${ROW} .label`).allInnerTexts();
    assert.ok(labels.length > 0 && labels.every((l) => l === 'CPR:5'), labels.join(' '));
    await setClass('all');
    await page.waitForFunction(() => document.querySelector('[role="status"] vscode-badge')?.textContent === '5000');
  });

  it('keyboard: arrows move row by row across paragraph headers, End reaches the last row, Enter reveals it', async () => {
    await page.locator('[data-testid="relation-list"]').evaluate((list) => {
      list.scrollTop = 0;
    });
    // The list redraws on the scroll event's next frame: focus a row only after that, or the row focused is replaced.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.waitForFunction((row) => document.querySelector(row) !== null, ROW);
    await page.locator(ROW).first().focus();
    // 30 rows down: past the 25 rows of paragraph 1 and its header.
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowDown');
    assert.match((await focusedLabel()) ?? '', new RegExp(`^${rows[30].chemical.text} `));
    await page.keyboard.press('End');
    const last = rows[rows.length - 1];
    assert.match((await focusedLabel()) ?? '', new RegExp(`^${last.chemical.text} .* ${last.gene.text},`));
    const box = await page.locator(':focus').boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 800 + 1, `the last row is in view (${JSON.stringify(box)})`);
    await page.keyboard.press('Enter');
    const sent = (await posted()).at(-1);
    assert.deepEqual(sent, { type: 'reveal', uri: message.document.uri, spans: [last.chemical.span, last.gene.span] });
  });

  it('a click on a row reveals its two mentions; its buttons curate without revealing', async () => {
    await page.keyboard.press('Home');
    const target = rows[1]; // rows[0] is accepted in the generated data; row 1 is a suggestion
    await page.keyboard.press('ArrowDown');
    const row = page.locator(ROW, { hasText: `${target.chemical.text} ` }).first();
    assert.match((await focusedLabel()) ?? '', new RegExp(`^${target.chemical.text} `));
    const before = (await posted()).length;
    await row.locator('.evidence').click();
    await row.getByRole('button', { name: 'Reject' }).click();
    await row.getByRole('button', { name: 'Accept' }).click();
    await row.locator('select').selectOption('CPR:6');
    await row.press('r');
    const uri = message.document.uri;
    const pair = { chemical: target.chemical.span, gene: target.gene.span };
    assert.deepEqual((await posted()).slice(before), [
      { type: 'reveal', uri, spans: [target.chemical.span, target.gene.span] },
      { type: 'curate', uri, ...pair, action: 'reject' },
      { type: 'curate', uri, ...pair, action: 'accept' },
      { type: 'curate', uri, ...pair, action: 'setLabel', label: 'CPR:6' },
      { type: 'curate', uri, ...pair, action: 'reject' },
    ]);
    await page.getByRole('button', { name: 'Add relation…' }).click();
    assert.deepEqual((await posted()).at(-1), { type: 'addRelation', uri });
  });

  it('rows show their status; a rejected row is dimmed and struck through', async () => {
    await page.keyboard.press('Home');
    const statuses = await page.locator(ROW).evaluateAll((els) => els.slice(0, 14).map((e) => e.getAttribute('data-status')));
    assert.deepEqual(
      statuses.slice(0, 14),
      rows.slice(0, 14).map((r) => r.status),
    );
    const rejected = page.locator(`${ROW}[data-status="rejected"]`).first();
    assert.equal(await rejected.locator('[data-testid="relation-status"]').innerText(), 'rejected');
    const look = await rejected.evaluate((e) => ({
      opacity: getComputedStyle(e).opacity,
      line: getComputedStyle(e.querySelector('.evidence') as Element).textDecorationLine,
    }));
    assert.ok(Number(look.opacity) < 1, `dimmed (${look.opacity})`);
    assert.equal(look.line, 'line-through');
    const accepted = page.locator(`${ROW}[data-status="accepted"]`).first();
    assert.equal(await accepted.getByRole('button', { name: 'Accept' }).getAttribute('aria-pressed'), 'true');
  });
});
