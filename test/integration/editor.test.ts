// The seven real-editor scenarios of issue 5: the packaged BioM extension (VSIX) in code-server, driven through
// chromium like a person, asserting on what is on screen (editor DOM, hover widget, webview frames), with a
// screenshot per scenario in test-results/screenshots/. Every scenario skips, with the reason, until the VSIX exists.
//
// Contract with the extension (src/extension, webview/): command titles come from package.json
// contributes.commands; the webviews mark what the tests click with the data-testid attributes in `ui` below.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { after, before, beforeEach, describe, it, type TestContext } from 'node:test';
import type { Frame } from 'playwright-core';
import { defaultVsixPath, Editor, editorUnavailableReason, repoRoot, writeChemProtWorkspace } from './codeServer';
import { normalizeDocument } from '../../src/core/normalize/bundled';

const skipReason =
  editorUnavailableReason() ??
  (existsSync(defaultVsixPath) ? undefined : `no VSIX at ${defaultVsixPath}: package the extension (npm run package) or set BIOM_VSIX`);
// CI sets BIOM_EDITOR_REQUIRED=1: there a missing editor or VSIX fails instead of skipping the scenarios.
if (skipReason && process.env.BIOM_EDITOR_REQUIRED === '1') throw new Error(skipReason);

/** Selectors inside the webviews. The webview code sets these attributes; keep the two in step. */
const ui = {
  relationRow: '[data-testid="relation-row"]',
  /** Present in the relations panel whether or not it has rows. */
  relationPanel: '[data-testid="relation-class-filter"]',
  qaQuestion: '[data-testid="qa-question"]',
  qaAnswer: '[data-testid="qa-answer"]',
  qaNoAnswer: '[data-testid="qa-no-answer"]',
  progressCancel: '.notifications-toasts .notification-toast .monaco-button',
  /** The BioM status bar item shows an eye while live mode is on. */
  liveIndicator: '.part.statusbar [id$="biom.status"] .codicon-eye',
} as const;

interface Manifest {
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    configuration?: { properties?: Record<string, { default?: unknown }> } | { properties?: Record<string, { default?: unknown }> }[];
  };
}
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;

/** The command palette label of a command id ("Category: Title"), as package.json contributes it. */
function title(id: string): string {
  const command = manifest.contributes?.commands?.find((c) => c.command === id);
  if (!command) throw new Error(`package.json contributes no command ${id}`);
  return command.category ? `${command.category}: ${command.title}` : command.title;
}

function settingDefault<T>(key: string, fallback: T): T {
  const configuration = manifest.contributes?.configuration;
  const sections = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
  for (const section of sections) {
    const property = section.properties?.[key];
    if (property && 'default' in property) return property.default as T;
  }
  return fallback;
}

interface EngineEntity {
  label: string;
  score: number;
  start: number;
  end: number;
  text: string;
}

/**
 * What the engine finds in `text` with the extension's default settings: the reference the decorations must match.
 * Imported lazily so that this file loads (and skips) while the core API is still moving.
 */
async function engineEntities(text: string): Promise<EngineEntity[]> {
  const { Engine } = await import('../../src/core/engine');
  const { findEntities, localNerSource, shownEntities: aboveMinScore } = await import('../../src/core/pipeline');
  const engine = new Engine();
  try {
    // An empty default means "the bundled model"; relative folders are relative to the extension (= repo root).
    const configured = settingDefault<string | string[]>('biom.models.ner', []);
    const first = (Array.isArray(configured) ? configured[0] : configured) || 'models/ner-albert';
    const folder = isAbsolute(first) ? first : join(repoRoot, first.replace(/^\$\{extensionPath\}[\\/]?/, ''));
    const model = await engine.load({ folder }, 'ner');
    const minScore = settingDefault('biom.ner.minScore', 0);
    const aggregation = settingDefault('biom.ner.aggregation', 'max') as 'max';
    // The core pipeline the extension runs through its worker: paragraphs, windows, word edges, merge, minScore.
    const { entities } = await findEntities(text, [localNerSource(model, { folder }, aggregation)], { aggregation });
    return aboveMinScore(entities, minScore);
  } finally {
    await engine.dispose();
  }
}

function sortedTexts(items: { text: string }[]): string[] {
  return items.map((i) => i.text.trim()).sort();
}

/**
 * Engine entities as the editor shows them: Monaco draws touching ranges of one decoration type as one highlight
 * (e.g. the chemicals "aler" + "t(1)" read as one "alert(1)"), so such neighbours of one label are joined.
 */
function asShown(entities: EngineEntity[], text: string): ShownEntity[] {
  const out: ShownEntity[] = [];
  for (const e of [...entities].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && last.label === e.label && e.start <= last.end) {
      last.end = Math.max(last.end, e.end);
      last.text = text.slice(last.start, last.end);
    } else out.push({ label: e.label, start: e.start, end: e.end, text: e.text });
  }
  return out;
}

type ShownEntity = Omit<EngineEntity, 'score'>;

/** The engine's entities for `text`, joined as the editor draws them: what the decorations must match. */
async function shownEntities(text: string): Promise<ShownEntity[]> {
  return asShown(await engineEntities(text), text);
}

/**
 * Polls the decorated texts of the active editor until they equal `expected` (as sorted lists, duplicates
 * included) and returns them; past the deadline it returns the last reading, for the caller's assertion to show.
 */
async function settledDecorations(e: Editor, expected: { text: string }[], timeoutMs = 30_000): Promise<string[]> {
  const want = sortedTexts(expected).join('\n');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = sortedTexts(await e.decoratedTexts());
    if (now.join('\n') === want || Date.now() > deadline) return now;
    await e.page.waitForTimeout(250);
  }
}

/** Runs "BioM: Annotate Document" on the active editor and waits until its decorations equal the engine's. */
async function annotateDocument(e: Editor, expected: { text: string }[]): Promise<string[]> {
  await e.step('annotate', async () => {
    await e.runCommand(title('biom.annotateDocument'));
    await e.page.waitForFunction(
      () => document.querySelectorAll('.editor-group-container.active .monaco-editor [class*="ced-"]').length > 0,
      undefined,
      { timeout: 120_000 },
    );
  });
  return settledDecorations(e, expected);
}

/** Runs "BioM: Toggle Live Annotation" and waits until the status bar shows live mode on (eye) or off. */
async function toggleLive(e: Editor, on: boolean): Promise<void> {
  await e.runCommand(title('biom.toggleLiveAnnotation'));
  await e.page.locator(ui.liveIndicator).waitFor({ state: on ? 'visible' : 'detached', timeout: 10_000 });
}

/** Shows the BioM "Questions" view (its focus command always shows it; the activity bar icon toggles). */
async function showQaView(e: Editor): Promise<Frame> {
  await e.step('open-qa-view', () => e.runCommand('BioM: Focus on Questions View'));
  return e.step('qa-view', () => e.webviewFrame(hasElement(ui.qaQuestion), 30_000));
}

describe('BioM extension in a real editor', { timeout: 900_000 }, () => {
  let editor: Editor | undefined;
  let work = '';
  let workspace = '';
  let abstract: { pmid: string; text: string };
  const dialogs: string[] = [];

  const skipped = (t: TestContext): boolean => {
    if (skipReason) t.skip(skipReason);
    return !!skipReason;
  };

  before(async () => {
    if (skipReason) return;
    work = mkdtempSync(join(tmpdir(), 'biom-editor-'));
    workspace = join(work, 'workspace');
    const docs = writeChemProtWorkspace(workspace, join(repoRoot, 'test/fixtures/chemprot/development_abstracts.tsv'), 20);
    abstract = docs.find((d) => d.pmid === '10064839') ?? docs[0];
    writeFileSync(join(workspace, hostileFile), hostileDocument);
    writeFileSync(join(workspace, 'large.txt'), megabyteDocument());
    editor = await Editor.start({ workspace, vsix: [defaultVsixPath], settings: { 'biom.live.enabled': false } });
    editor.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  // Each scenario starts from one empty editor group, whatever the one before it left open or scrolled.
  beforeEach(async () => {
    if (skipReason || !editor) return;
    await editor.step('reset-layout', () => editor!.resetLayout());
  });

  after(async () => {
    await editor?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('1. Annotate Document decorates the entities the engine finds', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-abstract', () => e.openFile(`${abstract.pmid}.txt`));
    const expected = await shownEntities(abstract.text);
    const decoratedTexts = await annotateDocument(e, expected);
    const decorated = await e.decoratedTexts();
    await e.screenshot('01-annotate-document');
    assert.deepEqual(decoratedTexts, sortedTexts(expected), 'decorated words = engine entities');
    assert.deepEqual(sortedTexts(decorated), sortedTexts(expected), 'decorated words = engine entities');
    const labels = new Set(expected.map((x) => x.label));
    assert.equal(new Set(decorated.map((d) => d.className)).size, labels.size, 'one decoration style per entity type');
  });

  it('2. Hovering an entity shows its type, score and its record or search links', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-abstract', () => e.openFile(`${abstract.pmid}.txt`));
    const entities = await shownEntities(abstract.text);
    const entity = entities.find((x) => /^[\w-]+$/.test(x.text) && x.text.length > 3) ?? entities[0];
    assert.ok(entity, 'the engine finds at least one entity in the abstract');
    assert.deepEqual(await annotateDocument(e, entities), sortedTexts(entities), 'decorated words = engine entities');
    const text = await e.step('hover', () => e.hover(entity.text));
    await e.screenshot('02-hover');
    assert.match(text, new RegExp(entity.label, 'i'));
    assert.match(text, /\d\.\d{2}|\d+(\.\d+)?\s?%/, 'a confidence');
    const links = (await e.hoverWidget().locator('a').allInnerTexts()).join(' | ');
    // With biom.normalization.enabled (default) a mention linked to a record shows the record's id, not search links.
    const ids = normalizeDocument(abstract.text, [{ ...entity, score: 1 }], {})[0].ids ?? [];
    if (ids.length > 0) assert.ok(links.includes(ids[0].id), `${links} names ${ids[0].id}`);
    else if (/chem/i.test(entity.label)) assert.match(links, /PubChem[\s\S]*ChEBI|ChEBI[\s\S]*PubChem/);
    else assert.match(links, /NCBI Gene[\s\S]*UniProt|UniProt[\s\S]*NCBI Gene/);
    await e.page.keyboard.press('Escape');
  });

  it('3. The relations panel lists pairs; a click reveals both mentions and leaves one cursor', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-abstract', () => e.openFile(`${abstract.pmid}.txt`));
    await e.step('extract-relations', () => e.runCommand(title('biom.extractRelations')));
    const panel = await e.step('relations-panel', () => e.webviewFrame(hasElement(ui.relationRow), 120_000));
    const row = panel.locator(ui.relationRow).first();
    const rowText = await row.innerText();
    // The evidence sentence shows both mentions highlighted (a visible background, not transparent).
    const evidenceMarks = await row
      .locator('.evidence mark')
      .evaluateAll((marks) => marks.map((m) => ({ text: m.textContent ?? '', background: getComputedStyle(m).backgroundColor })));
    assert.equal(evidenceMarks.length, 2, `two highlighted mentions in the evidence, got ${JSON.stringify(evidenceMarks)}`);
    for (const mark of evidenceMarks) {
      assert.ok(!/^(transparent|rgba\(0, 0, 0, 0\))$/.test(mark.background), `"${mark.text}" is highlighted (${mark.background})`);
    }
    await e.screenshot('03-relations-panel');
    const mentions = evidenceMarks.map((m) => m.text);
    const count = (text: string, word: string): number => text.split(word).length - 1;
    await e.step('click-relation', async () => {
      await row.click();
      await e.page.waitForFunction(
        () => /Ln \d+, Col \d+/.test(document.querySelector('[id="status.editor.selection"]')?.textContent ?? ''),
        undefined,
        { timeout: 10_000 },
      );
    });
    await e.screenshot('03-relations-revealed');
    const status = await e.selectionStatus();
    assert.doesNotMatch(status, /selected|selections/, `one cursor, no selection: "${status}"`);
    assert.deepEqual(
      (await e.selectedPieces()).filter((p) => p.trim()),
      [],
      'nothing selected',
    );
    // The case: the next keystroke must not overwrite both mentions ("Z inhibits Z-ABL").
    const before = await e.visibleText();
    await e.step('type-after-click', async () => {
      // The click focused the editor; clicking into it would move the cursor the row put there.
      await e.page.locator('.editor-group-container.active .monaco-editor.focused').first().waitFor({ timeout: 5_000 });
      await e.page.keyboard.type('Z');
      await e.activeEditor().locator('.view-line', { hasText: 'Z' }).first().waitFor({ timeout: 5_000 });
    });
    const after = await e.visibleText();
    for (const m of mentions) assert.equal(count(after, m), count(before, m), `"${m}" is still in the text after typing`);
    await e.page.keyboard.press('Control+Z');
  });

  it('4. Sidebar QA answers a question and a click selects the answer', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-abstract', () => e.openFile(`${abstract.pmid}.txt`));
    const qa = await showQaView(e);
    await e.step('ask', async () => {
      const input = qa.locator(`${ui.qaQuestion} input, input${ui.qaQuestion}, textarea${ui.qaQuestion}`).first();
      await input.fill('What does dextrorphan bind to?');
      await input.press('Enter');
      await qa.locator(`${ui.qaAnswer}, ${ui.qaNoAnswer}`).first().waitFor({ timeout: 120_000 });
    });
    await e.screenshot('04-qa-answers');
    const answers = qa.locator(ui.qaAnswer);
    assert.ok((await answers.count()) > 0, 'answers listed (top-k, even if weak)');
    const answerText = await answers.first().innerText();
    await e.step('click-answer', async () => {
      await answers.first().click();
      await e.page.waitForFunction(
        () => /selected/.test(document.querySelector('[id="status.editor.selection"]')?.textContent ?? ''),
        undefined,
        { timeout: 10_000 },
      );
    });
    const selected = (await e.selectedText()).trim();
    await e.screenshot('04-qa-answer-selected');
    assert.ok(selected.length > 0 && answerText.includes(selected), `selection "${selected}" is the answer "${answerText}"`);
    // 16 characters typed above the answer (the case): a click still selects the answer's words.
    await e.step('edit-above', async () => {
      await e.focusEditor();
      await e.page.keyboard.press('Control+Home');
      await e.page.keyboard.type('Reviewed today. ', { delay: 10 });
      await e.activeEditor().locator('.view-line', { hasText: 'Reviewed today.' }).first().waitFor({ timeout: 5_000 });
    });
    await e.step('click-answer-after-edit', async () => {
      await answers.first().click();
      await e.page.waitForFunction(
        () => /selected/.test(document.querySelector('[id="status.editor.selection"]')?.textContent ?? ''),
        undefined,
        { timeout: 10_000 },
      );
    });
    const again = (await e.selectedText()).trim();
    assert.equal(again, selected, 'the same words are selected after the edit above them');
    // Typing stops the undo group at each space: undo until the typed words are gone, so the next scenario starts
    // from the file as it is on disk.
    await e.focusEditor();
    await e.step('undo-edit-above', async () => {
      for (let i = 0; i < 10 && (await e.activeEditor().locator('.view-line', { hasText: 'Reviewed today' }).count()) > 0; i++) {
        await e.page.keyboard.press('Control+Z');
      }
      for (let i = 0; i < 10 && (await e.activeEditor().locator('.view-line', { hasText: 'Reviewed' }).count()) > 0; i++) {
        await e.page.keyboard.press('Control+Z');
      }
    });
    assert.equal(await e.activeEditor().locator('.view-line', { hasText: 'Reviewed' }).count(), 0, 'the edit is undone');
  });

  it('5. Live mode decorates typed text without a command, and undo removes it', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-abstract', () => e.openFile(`${abstract.pmid}.txt`));
    // A sentence the engine decorates when appended (the tiny test models miss many chemicals).
    const candidates = [
      ' Dextromethorphan inhibits the sigma-1 receptor.',
      ' Haloperidol binds the dopamine D2 receptor.',
      ' Aspirin inhibits cyclooxygenase-2.',
      ' Morphine activates the mu-opioid receptor.',
    ];
    const before = abstract.text;
    let typed = '';
    let expectedAfter: ShownEntity[] = [];
    for (const sentence of candidates) {
      const all = await shownEntities(before + sentence);
      if (all.some((x) => x.start >= before.length)) {
        typed = sentence;
        expectedAfter = all;
        break;
      }
    }
    assert.ok(typed, 'one candidate sentence has an entity the engine finds');
    const typedEntities = expectedAfter.filter((x) => x.start >= before.length).map((x) => x.text);
    const expectedBefore = await shownEntities(before);
    // Annotated first, so that what appears after typing can only come from live mode re-annotating.
    assert.deepEqual(await annotateDocument(e, expectedBefore), sortedTexts(expectedBefore), 'annotated before typing');
    // The toggle writes the setting; typing before it took effect would be typing with live mode off.
    await e.step('enable-live', () => toggleLive(e, true));
    try {
      await e.step('type-sentence', async () => {
        await e.focusEditor();
        await e.page.keyboard.press('Control+End');
        await e.page.keyboard.press('ArrowUp'); // the file ends with a newline: go back to the abstract's line
        await e.page.keyboard.press('End');
        await e.page.keyboard.insertText(typed);
        await e.page.waitForFunction(
          (want) => {
            const root = document.querySelector('.editor-group-container.active .monaco-editor');
            const lines = [...(root?.querySelectorAll<HTMLElement>('.view-lines .view-line') ?? [])];
            lines.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
            return lines
              .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '))
              .join('')
              .includes(want);
          },
          typed.trim(),
          { timeout: 5_000 },
        );
      });
      const typedDecorations = await e.step('live-decorations', () => settledDecorations(e, expectedAfter));
      await e.screenshot('05-live-typed');
      assert.deepEqual(
        typedDecorations,
        sortedTexts(expectedAfter),
        `without a command, decorated words = engine entities of the edited text (typed: ${JSON.stringify(typedEntities)})`,
      );
      await e.step('undo', async () => {
        // The editor may keep the typed sentence as several undo stops (it arrives as one input event per character).
        for (let i = 0; i < 20 && (await e.visibleText()).trim() !== before.trim(); i++) {
          await e.page.keyboard.press('Control+Z');
          await e.page.waitForTimeout(50);
        }
      });
      const undoneDecorations = await settledDecorations(e, expectedBefore);
      assert.equal((await e.visibleText()).trim(), before.trim(), 'undo restores the text');
      await e.screenshot('05-live-undone');
      assert.deepEqual(undoneDecorations, sortedTexts(expectedBefore), 'undo restores the decorations of the original text');
    } finally {
      await e.step('disable-live', () => toggleLive(e, false));
    }
  });

  it('6. A hostile document shows literally in the panels and runs nothing', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-hostile', () => e.openFile(hostileFile));
    const expected = await shownEntities(hostileDocument.trimEnd());
    assert.deepEqual(await annotateDocument(e, expected), sortedTexts(expected), 'decorated words = engine entities');
    assert.ok((await e.visibleText()).includes(hostilePayload), 'the editor shows the markup as text');
    await e.step('relations', () => e.runCommand(title('biom.extractRelations')));
    const relations = await e.step('relations-panel', async () => {
      const frame = await e.webviewFrame(hasElement(ui.relationPanel), 60_000);
      // The panel names the document: its file name is markup too.
      await frame.waitForFunction((name) => document.body.innerText.includes(name), hostileFile, { timeout: 60_000 });
      return frame;
    });
    const qa = await showQaView(e);
    await e.step('ask-hostile', async () => {
      const input = qa.locator(`${ui.qaQuestion} input, input${ui.qaQuestion}, textarea${ui.qaQuestion}`).first();
      await input.fill(hostileQuestion);
      await input.press('Enter');
      await qa.locator(`${ui.qaAnswer}, ${ui.qaNoAnswer}`).first().waitFor({ timeout: 120_000 });
    });
    await e.page.waitForTimeout(300); // an onerror handler would have fired by now
    await e.screenshot('06-hostile');
    assert.deepEqual(dialogs, [], 'no alert() ran');
    for (const [name, frame] of [
      ['workbench', e.page.mainFrame()],
      ['relations panel', relations],
      ['QA view', qa],
    ] as const) {
      assert.equal(await frame.locator('img[src="x"], img[src$="/x"]').count(), 0, `no <img> made from text in the ${name}`);
      assert.equal(
        await frame.evaluate(() => (window as unknown as { biomPwned?: boolean }).biomPwned ?? false),
        false,
        `nothing ran in the ${name}`,
      );
    }
    assert.ok((await relations.locator('body').innerText()).includes(hostileFile), 'the relations panel shows the file name literally');
    const qaText = await qa.locator('body').innerText();
    assert.ok(qaText.includes(hostileQuestion), 'the QA view shows the question literally');
    assert.ok(qaText.includes(hostileFile), 'the QA view shows the file name literally');
    const answers = qa.locator(ui.qaAnswer);
    assert.ok((await answers.count()) > 0, 'answers listed (top-k, even if weak)');
    // The document is one sentence, so every answer's context sentence carries the markup.
    assert.ok((await answers.first().innerText()).includes('</script><script>'), 'the answer context shows the markup literally');
  });

  it('7. A 1 MB document: typing echoes while annotation runs, and cancel keeps the paragraphs that finished', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-large', () => e.openFile('large.txt'));
    await e.step('annotate-start', () => e.runCommand(title('biom.annotateDocument')));
    const cancel = e.page.locator(ui.progressCancel, { hasText: 'Cancel' }).first();
    await e.step('progress-shown', () => cancel.waitFor({ state: 'visible', timeout: 30_000 }));
    await e.screenshot('07-large-progress');
    const echoMs = await e.step('typing-echoes', async () => {
      await e.focusEditor();
      await e.page.keyboard.press('Control+Home');
      const started = Date.now();
      await e.page.keyboard.type('ECHO', { delay: 20 });
      await e.activeEditor().locator('.view-line', { hasText: 'ECHO' }).first().waitFor({ timeout: 5_000 });
      return Date.now() - started;
    });
    t.diagnostic(`typing echoed in ${echoMs} ms during annotation`);
    assert.ok(echoMs < 2_000, `typing echoed in ${echoMs} ms`);
    // Some paragraphs finish first (each worker call of ~16,000 characters is kept as it completes).
    await e.step('some-progress', () =>
      e.page.waitForFunction(
        () => /annotating ([2-9]|\d\d)%/.test(document.querySelector('.part.statusbar [id$="biom.status"]')?.textContent ?? ''),
        undefined,
        { timeout: 180_000 },
      ),
    );
    await e.step('cancel', async () => {
      await cancel.click();
      await cancel.waitFor({ state: 'hidden', timeout: 10_000 });
    });
    const summary = e.page.locator('.notification-toast', { hasText: 'cancelled: kept' }).first();
    await e.step('cancel-summary', () => summary.waitFor({ state: 'visible', timeout: 30_000 }));
    const said = await summary.innerText();
    await e.screenshot('07-large-cancelled');
    const kept = /kept (\d+) entities from the (\d+) of (\d+) paragraphs that finished \((\d+)%\)/.exec(said);
    assert.ok(kept, said);
    assert.ok(Number(kept[1]) > 0 && Number(kept[2]) > 0 && Number(kept[2]) < Number(kept[3]), said);
    await e.step('kept-decorations', async () => {
      await e.focusEditor();
      await e.page.keyboard.press('Control+Home');
      await e.page.waitForFunction(() => document.querySelectorAll('.view-overlays [class*="ced-"]').length > 0, undefined, {
        timeout: 10_000,
      });
    });
    await e.page.keyboard.press('Control+Z');
  });
});

function hasElement(selector: string): (frame: Frame) => Promise<boolean> {
  return async (frame) => (await frame.locator(selector).count()) > 0;
}

function hasText(text: string): (frame: Frame) => Promise<boolean> {
  return async (frame) => (await frame.locator('body').innerText()).includes(text);
}

/** A file name is document text too (tab, panel titles): markup, and legal on Linux. */
const hostileFile = '<img src=x onerror=alert(1)>.txt';
const hostilePayload = '<img src=x onerror="window.biomPwned=true;alert(1)"></script><script>window.biomPwned=true</script>';
const hostileQuestion = `Which <img src=x onerror="window.biomPwned=true;alert(1)"> binds the receptor?`;
/** One sentence, so that whatever sentence a panel shows as evidence or context carries the markup. */
const hostileDocument = `Dextromethorphan ${hostilePayload} inhibits the sigma-1 receptor and dextrorphan blocks the NMDA receptor in mice.\n`;

/** About 1 MB of real abstracts, one per line. */
function megabyteDocument(): string {
  const rows = readFileSync(join(repoRoot, 'test/fixtures/chemprot/development_abstracts.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [, title, text] = l.split('\t');
      return `${title} ${text}`;
    });
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 1_000_000; i++) {
    const line = rows[i % rows.length];
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}
