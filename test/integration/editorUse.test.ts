// Real-editor scenarios of issue 15 that editor.test.ts does not cover: the entity colours in the dark, light and
// high-contrast themes (with the README screenshots), live mode on a long document with the relations panel open
// (only the edited sentence's pairs are classified again, counted from the BioM log), stale marking after a model
// change, and the model picker keeping itself open after a bad folder. The packaged extension (VSIX) in code-server.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it, type TestContext } from 'node:test';
import type { Frame } from 'playwright-core';
import { defaultVsixPath, Editor, editorUnavailableReason, repoRoot, screenshotDir, writeChemProtWorkspace } from './codeServer';
import { candidatePairs } from '../../src/core/tasks/relations';
import { splitSentences } from '../../src/core/text/sentences';
import type { Entity } from '../../src/core/types';

const skipReason =
  editorUnavailableReason() ??
  (existsSync(defaultVsixPath) ? undefined : `no VSIX at ${defaultVsixPath}: package the extension (npm run package) or set BIOM_VSIX`);
if (skipReason && process.env.BIOM_EDITOR_REQUIRED === '1') throw new Error(skipReason);

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    colors: { id: string; defaults: Record<string, string> }[];
  };
};

function title(id: string): string {
  const command = manifest.contributes.commands.find((c) => c.command === id);
  if (!command) throw new Error(`package.json contributes no command ${id}`);
  return command.category ? `${command.category}: ${command.title}` : command.title;
}

const ui = {
  relationRow: '[data-testid="relation-row"]',
  relationsStale: '[data-testid="relations-stale"]',
  liveIndicator: '.part.statusbar [id$="biom.status"] .codicon-eye',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickRows: '.quick-input-widget .quick-input-list .monaco-list-row',
} as const;

/** The themes of the README screenshots: label in the theme picker, the workbench class it sets, the colour defaults key. */
const THEMES = [
  { file: 'theme-dark', name: 'Dark Modern', workbenchClass: 'vs-dark', kind: 'dark' },
  { file: 'theme-light', name: 'Light Modern', workbenchClass: 'vs', kind: 'light' },
  { file: 'theme-high-contrast', name: 'Dark High Contrast', workbenchClass: 'hc-black', kind: 'highContrast' },
] as const;

/** "#f5b94240" -> "rgba(245, 185, 66, 0.25)" as getComputedStyle writes it (alpha to 2 decimals for comparing). */
function cssColour(hex: string): { rgb: string; alpha: number } {
  const h = hex.replace('#', '');
  const n = (i: number): number => Number.parseInt(h.slice(i, i + 2), 16);
  return { rgb: `${n(0)}, ${n(2)}, ${n(4)}`, alpha: h.length === 8 ? n(6) / 255 : 1 };
}

/** Chooses a colour theme as a person does (Preferences: Color Theme) and waits for the workbench to wear it. */
async function setTheme(e: Editor, name: string, workbenchClass: string): Promise<void> {
  await e.runCommand('Preferences: Color Theme');
  await e.page.locator(ui.quickInputBox).fill(name);
  const exact = new RegExp(`^\\s*${name}\\s*$`);
  await e.page
    .locator(ui.quickRows)
    .filter({ has: e.page.locator('.label-name', { hasText: exact }) })
    .first()
    .click({ timeout: 10_000 });
  await e.page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 20_000 });
}

/** The BioM output channel as the editor wrote it to disk (a LogOutputChannel: logs/<session>/…/BioM.log). */
function biomLog(e: Editor): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/BioM\.log$/.test(name)) found.push(path);
    }
  };
  const logs = join(e.userDataDir, 'logs');
  if (existsSync(logs)) walk(logs);
  return found.map((f) => readFileSync(f, 'utf8')).join('\n');
}

/** "…long.txt v7: 12 relations from re-electra (3 of 140 pairs classified in 1 sentences; the rest were cached)" */
const RELATIONS_LINE = /(\S+) v(\d+): (\d+) relations from \S+ \((\d+) of (\d+) pairs classified in (\d+) sentences/g;

function relationRuns(log: string): { version: number; pairsRerun: number; pairs: number; sentences: number }[] {
  return [...log.matchAll(RELATIONS_LINE)].map((m) => ({
    version: Number(m[2]),
    pairsRerun: Number(m[4]),
    pairs: Number(m[5]),
    sentences: Number(m[6]),
  }));
}

/** What the engine finds in `text` with the extension's defaults (bundled NER model, word-level max, min score). */
async function engineEntities(text: string): Promise<Entity[]> {
  const { Engine } = await import('../../src/core/engine');
  const { findEntities, localNerSource, shownEntities } = await import('../../src/core/pipeline');
  const properties = (manifest.contributes as unknown as { configuration: { properties: Record<string, { default?: unknown }> } })
    .configuration.properties;
  const aggregation = (properties['biom.ner.aggregation']?.default ?? 'max') as 'max';
  const minScore = Number(properties['biom.ner.minScore']?.default ?? 0.5);
  const engine = new Engine();
  try {
    const folder = join(repoRoot, 'models', 'ner-albert');
    const model = await engine.load({ folder }, 'ner');
    const { entities } = await findEntities(text, [localNerSource(model, { folder }, aggregation)], { aggregation });
    return shownEntities(entities, minScore);
  } finally {
    await engine.dispose();
  }
}

function hasElement(selector: string): (frame: Frame) => Promise<boolean> {
  return async (frame) => (await frame.locator(selector).count()) > 0;
}

/** Runs Annotate Document and waits for entity overlays in the editor. */
async function annotate(e: Editor): Promise<void> {
  await e.runCommand(title('biom.annotateDocument'));
  await e.page.waitForFunction(() => document.querySelectorAll('.monaco-editor .view-overlays .cdr[class*="ced-"]').length > 0, undefined, {
    timeout: 180_000,
  });
}

/** Opacity of the decorated text spans (stale results are drawn at 0.5). */
async function decoratedOpacities(e: Editor): Promise<number[]> {
  return e
    .activeEditor()
    .evaluate((root) =>
      [...root.querySelectorAll<HTMLElement>('.view-lines span[class*="ced-"]')].map((s) => Number(getComputedStyle(s).opacity)),
    );
}

describe('BioM in a real editor, in real use', { timeout: 1_200_000 }, () => {
  let editor: Editor | undefined;
  let work = '';
  let workspace = '';
  let longText = '';
  const pmid = '10064839';

  const skipped = (t: TestContext): boolean => {
    if (skipReason) t.skip(skipReason);
    return !!skipReason;
  };

  before(async () => {
    if (skipReason) return;
    work = mkdtempSync(join(tmpdir(), 'biom-editor-use-'));
    workspace = join(work, 'workspace');
    const tsv = join(repoRoot, 'test/fixtures/chemprot/development_abstracts.tsv');
    const docs = writeChemProtWorkspace(workspace, tsv, 30);
    // A long document: 30 abstracts, a blank line between them (one paragraph each).
    longText = `${docs.map((d) => d.text).join('\n\n')}\n`;
    writeFileSync(join(workspace, 'long.txt'), longText);
    // A folder that is not a model: a PyTorch checkpoint, which the picker should explain.
    mkdirSync(join(workspace, 'pytorch-checkpoint'));
    writeFileSync(join(workspace, 'pytorch-checkpoint', 'config.json'), '{"model_type": "albert"}');
    writeFileSync(join(workspace, 'pytorch-checkpoint', 'pytorch_model.bin'), 'not really weights');
    editor = await Editor.start({
      workspace,
      vsix: [defaultVsixPath],
      settings: { 'biom.live.enabled': false, 'biom.live.debounceMs': 300 },
      viewport: { width: 1280, height: 800 },
    });
  });

  beforeEach(async () => {
    if (skipReason || !editor) return;
    await editor.step('reset-layout', () => editor!.resetLayout());
  });

  after(async () => {
    await editor?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('entity colours resolve in the dark, light and high-contrast themes (README screenshots)', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-abstract', () => e.openFile(`${pmid}.txt`));
    await e.step('annotate', () => annotate(e));
    const chemical = manifest.contributes.colors.find((c) => c.id === 'biom.entity.chemical')!;
    const gene = manifest.contributes.colors.find((c) => c.id === 'biom.entity.gene')!;
    for (const theme of THEMES) {
      await e.step(`theme-${theme.file}`, async () => {
        await setTheme(e, theme.name, theme.workbenchClass);
        // Each entity kind's overlay shows that theme's default tint from package.json.
        const expected = [chemical, gene].map((c) => cssColour(c.defaults[theme.kind]));
        await e.page.waitForFunction(
          (colours) => {
            const seen = [...document.querySelectorAll('.monaco-editor .view-overlays .cdr[class*="ced-"]')].map(
              (o) => getComputedStyle(o).backgroundColor,
            );
            return colours.every(({ rgb, alpha }) =>
              seen.some((s) => {
                const m = /rgba?\(([^)]+)\)/.exec(s);
                if (!m) return false;
                const parts = m[1].split(',').map((p) => p.trim());
                return parts.slice(0, 3).join(', ') === rgb && Math.abs(Number(parts[3] ?? 1) - alpha) < 0.01;
              }),
            );
          },
          expected,
          { timeout: 20_000 },
        );
        await e.page.keyboard.press('Escape');
        // The editor with the annotated abstract, cropped: what the README shows.
        mkdirSync(screenshotDir, { recursive: true });
        const box = await e.activeEditor().boundingBox();
        assert.ok(box, 'the editor is on screen');
        await e.page.screenshot({
          path: join(screenshotDir, `${theme.file}.png`),
          clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 360) },
        });
      });
    }
    await setTheme(e, 'Dark Modern', 'vs-dark');
    if (process.env.BIOM_UPDATE_SCREENSHOTS === '1') {
      for (const theme of THEMES)
        copyFileSync(join(screenshotDir, `${theme.file}.png`), join(repoRoot, 'media', 'screenshots', `${theme.file}.png`));
    }
  });

  it('the model picker explains a bad folder and stays open; the model chosen next marks results stale until refreshed', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    const page = e.page;
    await e.step('open-abstract', () => e.openFile(`${pmid}.txt`));
    await e.step('extract-relations', () => e.runCommand(title('biom.extractRelations')));
    let panel = await e.step('relations-panel', () => e.webviewFrame(hasElement(ui.relationRow), 180_000));
    assert.equal(await panel.locator(ui.relationsStale).count(), 0, 'current relations carry no stale badge');
    const current = await decoratedOpacities(e);
    assert.ok(current.length > 0 && current.every((o) => o === 1), `current entities are drawn at full opacity: ${current.join(', ')}`);

    // (c) The picker: a PyTorch checkpoint folder first, then a usable ONNX folder, in the same picker.
    // code-server's folder dialog is a quick input: typing a path that ends in "/" opens that folder (its subfolders
    // are listed, files are not), and the dialog's OK button then takes the folder shown.
    const chooseFolder = async (folder: string, listed: readonly string[]): Promise<void> => {
      // By keyboard: the picker's long "Not usable: …" placeholder shows a hover over the rows after a bad choice.
      await page.locator(ui.quickInputBox).fill('Local folder');
      await page.locator(ui.quickRows, { hasText: 'Local folder…' }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      const ok = page.locator(`${ui.quickInput} .monaco-button`, { hasText: 'Use this model folder' }).first();
      await ok.waitFor({ timeout: 10_000 });
      await page.locator(ui.quickInputBox).fill(`${folder}/`);
      // Shown once the list holds the folder's subfolders and not the ones of the folder the dialog opened in.
      const shown = async (): Promise<boolean> => {
        const rows = (await page.locator(ui.quickRows).allInnerTexts()).map((r) => r.trim());
        return (
          rows.some((r) => r.includes('..')) &&
          listed.every((n) => rows.some((r) => r.includes(n))) &&
          !rows.some((r) => r.includes('pytorch-checkpoint'))
        );
      };
      const deadline = Date.now() + 10_000;
      while (!(await shown())) {
        if (Date.now() > deadline)
          throw new Error(`the dialog did not open ${folder}: ${(await page.locator(ui.quickRows).allInnerTexts()).join(' | ')}`);
        await page.waitForTimeout(200);
        // The dialog puts its default folder in the box once it has listed it: a path typed before that is replaced.
        if ((await page.locator(ui.quickInputBox).inputValue()) !== `${folder}/`) await page.locator(ui.quickInputBox).fill(`${folder}/`);
      }
      await ok.click();
    };
    await e.step('open-picker', async () => {
      await e.runCommand(title('biom.selectModel'));
      await page.locator(ui.quickRows, { hasText: 'Entities (NER)' }).first().click();
      await page.locator(ui.quickRows, { hasText: 'Local folder…' }).first().waitFor({ timeout: 10_000 });
    });
    await e.step('bad-folder', () => chooseFolder(join(workspace, 'pytorch-checkpoint'), []));
    const error = page.locator('.notification-toast', { hasText: 'pytorch-checkpoint' }).first();
    await e.step('error-shown', () => error.waitFor({ timeout: 20_000 }));
    const said = await error.innerText();
    assert.match(said, /pytorch_model\.bin|PyTorch/i, said);
    // The picker is open again, saying what was wrong, with the same choices.
    await e.step('picker-again', () => page.locator(ui.quickRows, { hasText: 'Local folder…' }).first().waitFor({ timeout: 10_000 }));
    const placeholder = (await page.locator(ui.quickInputBox).getAttribute('placeholder')) ?? '';
    assert.match(placeholder, /^Not usable: [\s\S]*Choose another model\.$/, placeholder);
    await e.screenshot('use-picker-error');
    const good = join(repoRoot, 'test', 'fixtures', 'models', 'ner-electra');
    await e.step('good-folder', () => chooseFolder(good, ['onnx']));
    await e.step('model-chosen', () => page.locator('.notification-toast', { hasText: 'now uses' }).first().waitFor({ timeout: 20_000 }));
    // The choice took effect: the extension says so, and (below) marks what the old model found as stale.
    const chosen = await page.locator('.notification-toast', { hasText: 'now uses' }).first().innerText();
    assert.ok(chosen.includes(good), chosen);

    // (b) The entities and relations on screen came from the old model: dimmed and badged until refreshed.
    await e.step('decorations-stale', () =>
      page.waitForFunction(
        () => {
          const spans = [...document.querySelectorAll<HTMLElement>('.monaco-editor .view-lines span[class*="ced-"]')];
          return spans.length > 0 && spans.every((s) => getComputedStyle(s).opacity === '0.5');
        },
        undefined,
        { timeout: 30_000 },
      ),
    );
    panel = await e.step('panel-stale', () => e.webviewFrame(hasElement(ui.relationsStale), 30_000));
    const why = (await panel.locator(ui.relationsStale).getAttribute('title')) ?? '';
    assert.match(why, /NER model is now .*ner-electra/, why);
    await e.screenshot('use-stale-after-model-change');

    await e.step('refresh', async () => {
      await e.focusEditor();
      await e.runCommand(title('biom.annotateDocument'));
      await page.waitForFunction(
        () => {
          const spans = [...document.querySelectorAll<HTMLElement>('.monaco-editor .view-lines span[class*="ced-"]')];
          return spans.length > 0 && spans.every((s) => getComputedStyle(s).opacity === '1');
        },
        undefined,
        { timeout: 180_000 },
      );
      // The panel follows re-annotation: relations are extracted again from the new model's entities.
      await e.webviewFrame(
        async (f) => (await f.locator(ui.relationRow).count()) > 0 && (await f.locator(ui.relationsStale).count()) === 0,
        180_000,
      );
    });
    await e.screenshot('use-refreshed');
    // Back to the bundled model (chosen from the same picker), which the scenarios after this one expect.
    await e.step('bundled-again', async () => {
      await e.runCommand(title('biom.selectModel'));
      await page.locator(ui.quickRows, { hasText: 'Entities (NER)' }).first().click();
      await page.locator(ui.quickInputBox).fill('ner-albert');
      await page.locator(ui.quickRows, { hasText: 'ner-albert' }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await page.locator('.notification-toast', { hasText: 'now uses the bundled model' }).first().waitFor({ timeout: 20_000 });
    });
  });
  it('live mode with the relations panel open: a one-line edit classifies only the edited sentence’s pairs again', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-long', () => e.openFile('long.txt'));
    await e.step('extract-relations', () => e.runCommand(title('biom.extractRelations')));
    const panel = await e.step('relations-panel', () => e.webviewFrame(hasElement(ui.relationRow), 600_000));
    // The sentence of the first relation row: it has at least one pair.
    const evidence = (await panel.locator(`${ui.relationRow} .evidence`).first().innerText()).trim();
    const sentence = splitSentences(longText).find((s) => longText.slice(s.start, s.end).includes(evidence));
    assert.ok(sentence, `the evidence "${evidence}" is a sentence of the document`);
    const coldRuns = relationRuns(biomLog(e));
    assert.ok(coldRuns.length > 0, 'the BioM log reports the relation run');
    // (Sentences shared with the abstract annotated before were cached then, so not every pair runs here either.)
    const cold = coldRuns[coldRuns.length - 1];

    await e.step('live-on', async () => {
      await e.runCommand(title('biom.toggleLiveAnnotation'));
      await e.page.locator(ui.liveIndicator).waitFor({ state: 'visible', timeout: 10_000 });
    });
    // Type a phrase at the start of that sentence (Go to Line/Column puts the cursor there).
    const before = longText.slice(0, sentence.start);
    const line = before.split('\n').length;
    const column = sentence.start - before.lastIndexOf('\n');
    const phrase = 'In this study, ';
    await e.step('type-in-sentence', async () => {
      await e.focusEditor();
      await e.page.keyboard.press('Control+G');
      await e.page.locator(ui.quickInputBox).fill(`:${line}:${column}`);
      await e.page.keyboard.press('Enter');
      await e.page.keyboard.type(phrase, { delay: 15 });
    });
    const edited = longText.slice(0, sentence.start) + phrase + longText.slice(sentence.start);
    const run = await e.step('relations-rerun', async () => {
      const deadline = Date.now() + 300_000;
      for (;;) {
        const runs = relationRuns(biomLog(e));
        const last = runs[runs.length - 1];
        if (last && last.version > cold.version) return last;
        if (Date.now() > deadline) throw new Error(`no relation run after the edit; log:\n${biomLog(e).slice(-2000)}`);
        await e.page.waitForTimeout(500);
      }
    });
    await e.screenshot('use-live-relations');
    // The pairs of the edited sentence, from the engine on the edited text: the only ones classified again.
    const editedSentence = { start: sentence.start, end: sentence.end + phrase.length };
    const entities = (await engineEntities(edited)).filter((x) => x.start >= editedSentence.start && x.end <= editedSentence.end);
    const expectedPairs = candidatePairs(edited, entities).length;
    t.diagnostic(
      `after the edit: ${run.pairsRerun} of ${run.pairs} pairs in ${run.sentences} sentence(s); the edited sentence has ${expectedPairs}`,
    );
    assert.equal(run.sentences, 1, 'one sentence classified again');
    assert.equal(run.pairsRerun, expectedPairs, 'exactly the edited sentence’s pairs');
    assert.ok(run.pairs > 10 * run.pairsRerun, `${run.pairs} pairs in the document, ${run.pairsRerun} classified again`);
    await e.step('live-off', async () => {
      await e.runCommand(title('biom.toggleLiveAnnotation'));
      await e.page.locator(ui.liveIndicator).waitFor({ state: 'detached', timeout: 10_000 });
    });
    await e.step('revert', () => e.runCommand('File: Revert File'));
  });
});
