// Benchmark for issue 15: the relations panel with 5,000 rows. The real webview bundle (webview/relations/main.ts,
// built with esbuild as for the extension) runs in Debian chromium through playwright-core; the rows arrive as the real
// protocol message (postMessage, structured clone) and the time runs from posting it until the frame with the rows
// is painted. `npm run bench:panel`; also part of `npm run bench`.
//
// "Painted": the app handles the message, then a requestAnimationFrame callback runs before the next paint, and a
// MessageChannel task queued from it runs once that frame is done; the clock stops there.
import { existsSync } from 'node:fs';
import type { RelationRow, RelationsHostMessage } from '../src/shared/webviewProtocol';
import { CHROMIUM, launchChromium, openRelationsPage } from '../test/integration/relationsPage';

export interface PanelBench {
  /** Median ms from the 'relations' message (5,000 rows) to the painted frame. */
  relations_panel_render_ms: number;
  /** Median ms from typing a filter (entity text) to the painted frame. */
  relations_panel_filter_ms: number;
  /** Row elements in the DOM after the render: a virtualized list draws only what is in view. */
  relations_panel_rows_in_dom: number;
  relations_panel_rows: number;
}

const CLASSES = [
  { label: 'CPR:3', words: 'activates / upregulates' },
  { label: 'CPR:4', words: 'inhibits / downregulates' },
  { label: 'CPR:5', words: 'is an agonist of' },
  { label: 'CPR:6', words: 'is an antagonist of' },
  { label: 'CPR:9', words: 'is a substrate / product of' },
];

/** `count` rows in 200 paragraph groups, shaped like relationRows' output on a file of abstracts. */
export function generatedRows(count: number, variant = 0): RelationRow[] {
  const rows: RelationRow[] = [];
  const perGroup = Math.ceil(count / 200);
  for (let i = 0; i < count; i++) {
    const g = Math.floor(i / perGroup);
    const chemical = `compound-${variant}-${i % 97}`;
    const gene = `GENE${(i * 7) % 131}`;
    const c = CLASSES[i % CLASSES.length];
    const before = `In paragraph ${g + 1} the study of `;
    const middle = ` showed that it ${c.words} the receptor `;
    const after = ` in rat cortical neurons at micromolar concentrations, as measured by binding assays.`;
    const start = i * 400;
    rows.push({
      id: `${start}:${start + chemical.length}:${start + 60}:${start + 60 + gene.length}:${c.label}`,
      label: c.label,
      words: c.words,
      score: 0.5 + ((i * 37) % 50) / 100,
      chemical: { text: chemical, span: { start, end: start + chemical.length } },
      gene: { text: gene, span: { start: start + 60, end: start + 60 + gene.length } },
      evidence: [{ text: before }, { text: chemical, mark: 'chemical' }, { text: middle }, { text: gene, mark: 'gene' }, { text: after }],
      group: `¶ ${g + 1} · Abstract ${g + 1}: effects of compounds on receptor binding in the rat brain…`,
      status: i % 11 === 0 ? 'accepted' : i % 13 === 0 ? 'rejected' : 'suggested',
    });
  }
  return rows;
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function runPanelBench(rowCount = 5000, reps = 5): Promise<PanelBench | { relations_panel_skipped: string }> {
  if (!existsSync(CHROMIUM)) return { relations_panel_skipped: `chromium not found at ${CHROMIUM}` };
  const browser = await launchChromium();
  try {
    // A panel beside the editor: 600 × 900 CSS pixels.
    const page = await openRelationsPage(browser, { width: 600, height: 900 });
    const render: number[] = [];
    const filter: number[] = [];
    let inDom = 0;
    for (let k = 0; k <= reps; k++) {
      const message: RelationsHostMessage = {
        type: 'relations',
        document: { uri: 'file:///bench/abstracts.txt', name: 'abstracts.txt' },
        rows: JSON.stringify(generatedRows(rowCount, k)),
        classes: CLASSES,
        model: 're-electra',
      };
      const ms = await page.evaluate(paintedAfter, { message, filter: undefined });
      // The first run warms up the page (toolkit components, fonts); it is not counted.
      if (k > 0) render.push(ms);
      inDom = await page.locator('[data-testid="relation-row"]').count();
      const shown = await page.locator('[role="status"] vscode-badge').innerText();
      if (shown !== String(rowCount)) throw new Error(`panel shows ${shown} relations, expected ${rowCount}`);
      const filterMs = await page.evaluate(paintedAfter, { message: undefined, filter: `compound-${k}-4` });
      if (k > 0) filter.push(filterMs);
      await page.evaluate(paintedAfter, { message: undefined, filter: '' });
    }
    return {
      relations_panel_render_ms: Math.round(median(render) * 10) / 10,
      relations_panel_filter_ms: Math.round(median(filter) * 10) / 10,
      relations_panel_rows_in_dom: inDom,
      relations_panel_rows: rowCount,
    };
  } finally {
    await browser.close();
  }
}

/** In the page: posts the message (or types the filter) and resolves with the ms until that frame was painted. */
function paintedAfter(input: { message: unknown; filter: string | undefined }): Promise<number> {
  return new Promise((resolve) => {
    const start = performance.now();
    const done = (): void => {
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now() - start);
        channel.port2.postMessage(undefined);
      });
    };
    if (input.message !== undefined) {
      // Listeners run in order: the app's (added when its script ran) handles the message before this one.
      window.addEventListener('message', done, { once: true });
      window.postMessage(input.message, '*');
    } else {
      const field = document.querySelector('[data-testid="relation-text-filter"]') as HTMLElement & { value: string };
      field.value = input.filter ?? '';
      field.dispatchEvent(new Event('input'));
      done();
    }
  });
}

if (process.argv[1]?.endsWith('panelRender.ts')) {
  void runPanelBench().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
