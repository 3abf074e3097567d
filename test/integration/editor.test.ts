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
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Frame } from 'playwright-core';
import { defaultVsixPath, Editor, editorUnavailableReason, repoRoot, writeChemProtWorkspace } from './codeServer';

const skipReason =
  editorUnavailableReason() ??
  (existsSync(defaultVsixPath)
    ? undefined
    : `no VSIX at ${defaultVsixPath}: package the extension (npx @vscode/vsce package -o dist/biom-annotator.vsix) or set BIOM_VSIX`);

/** Selectors inside the webviews. The webview code sets these attributes; keep the two in step. */
const ui = {
  activityBarBiom: '.activitybar .action-item a[aria-label^="BioM"]',
  relationRow: '[data-testid="relation-row"]',
  qaQuestion: '[data-testid="qa-question"]',
  qaAnswer: '[data-testid="qa-answer"]',
  qaNoAnswer: '[data-testid="qa-no-answer"]',
  progressCancel: '.notifications-toasts .notification-toast .monaco-button',
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
  const { recognizeEntities } = await import('../../src/core/tasks/ner');
  const engine = new Engine();
  try {
    // An empty default means "the bundled model"; relative folders are relative to the extension (= repo root).
    const configured = settingDefault<string | string[]>('biom.models.ner', []);
    const first = (Array.isArray(configured) ? configured[0] : configured) || 'models/ner-albert';
    const folder = isAbsolute(first) ? first : join(repoRoot, first.replace(/^\$\{extensionPath\}[\\/]?/, ''));
    const model = await engine.load({ folder }, 'ner');
    const minScore = settingDefault('biom.ner.minScore', 0);
    const aggregation = settingDefault('biom.ner.aggregation', 'simple') as 'simple';
    // Same windowing as the extension's long-document path (stride over model-length windows).
    const entities = await recognizeEntities(model, text, { aggregation, stride: 64 });
    return entities.filter((e) => e.score >= minScore);
  } finally {
    await engine.dispose();
  }
}

function sortedTexts(items: { text: string }[]): string[] {
  return items.map((i) => i.text.trim()).sort();
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
    writeFileSync(join(workspace, 'hostile.txt'), hostileDocument);
    writeFileSync(join(workspace, 'large.txt'), megabyteDocument());
    editor = await Editor.start({ workspace, vsix: [defaultVsixPath], settings: { 'biom.live.enabled': false } });
    editor.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  after(async () => {
    await editor?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('1. Annotate Document decorates the entities the engine finds', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-abstract', () => e.openFile(`${abstract.pmid}.txt`));
    const expected = await engineEntities(abstract.text);
    await e.step('annotate', async () => {
      await e.runCommand(title('biom.annotateDocument'));
      await e.page.waitForFunction(
        () => document.querySelectorAll('.editor-group-container.active .monaco-editor [class*="ced-"]').length > 0,
        undefined,
        { timeout: 120_000 },
      );
    });
    await e.page.waitForTimeout(500); // debounce: let the last batch of decorations land
    const decorated = await e.decoratedTexts();
    await e.screenshot('01-annotate-document');
    assert.deepEqual(sortedTexts(decorated), sortedTexts(expected), 'decorated words = engine entities');
    const labels = new Set(expected.map((x) => x.label));
    assert.equal(new Set(decorated.map((d) => d.className)).size, labels.size, 'one decoration style per entity type');
  });

  it('2. Hovering an entity shows its type, score and search links', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    const entities = await engineEntities(abstract.text);
    const entity = entities.find((x) => /^[\w-]+$/.test(x.text) && x.text.length > 3) ?? entities[0];
    assert.ok(entity, 'the engine finds at least one entity in the abstract');
    const text = await e.step('hover', () => e.hover(entity.text));
    await e.screenshot('02-hover');
    assert.match(text, new RegExp(entity.label, 'i'));
    assert.match(text, /\d\.\d{2}|\d+(\.\d+)?\s?%/, 'a confidence');
    const links = (await e.hoverWidget().locator('a').allInnerTexts()).join(' | ');
    if (/chem/i.test(entity.label)) assert.match(links, /PubChem[\s\S]*ChEBI|ChEBI[\s\S]*PubChem/);
    else assert.match(links, /NCBI Gene[\s\S]*UniProt|UniProt[\s\S]*NCBI Gene/);
    await e.page.keyboard.press('Escape');
  });

  it('3. The relations panel lists pairs and a click selects both mentions', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-abstract', () => e.openFile(`${abstract.pmid}.txt`));
    await e.step('extract-relations', () => e.runCommand(title('biom.extractRelations')));
    const panel = await e.step('relations-panel', () => e.webviewFrame(hasElement(ui.relationRow), 120_000));
    const row = panel.locator(ui.relationRow).first();
    const rowText = await row.innerText();
    await e.screenshot('03-relations-panel');
    await e.step('click-relation', async () => {
      await row.click();
      await e.page.waitForFunction(
        () => /selected/.test(document.querySelector('[id="status.editor.selection"]')?.textContent ?? ''),
        undefined,
        { timeout: 10_000 },
      );
    });
    const pieces = await e.selectedPieces();
    await e.screenshot('03-relations-selected');
    assert.equal(pieces.length, 2, `both mentions selected, got ${JSON.stringify(pieces)}`);
    for (const piece of pieces) assert.ok(rowText.includes(piece.trim()), `"${piece}" appears in the row "${rowText}"`);
  });

  it('4. Sidebar QA answers a question and a click selects the answer', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-abstract', () => e.openFile(`${abstract.pmid}.txt`));
    await e.step('open-biom-sidebar', () => e.page.locator(ui.activityBarBiom).click());
    const qa = await e.step('qa-view', () => e.webviewFrame(hasElement(ui.qaQuestion), 30_000));
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
    let expected: EngineEntity[] = [];
    for (const sentence of candidates) {
      const found = (await engineEntities(before + sentence)).filter((x) => x.start >= before.length);
      if (found.length > 0) {
        typed = sentence;
        expected = found;
        break;
      }
    }
    assert.ok(typed, 'one candidate sentence has an entity the engine finds');
    await e.step('enable-live', () => e.runCommand(title('biom.toggleLiveAnnotation')));
    const decoratedBefore = sortedTexts(await e.decoratedTexts());
    await e.step('type-sentence', async () => {
      await e.focusEditor();
      await e.page.keyboard.press('Control+End');
      await e.page.keyboard.press('ArrowUp'); // the file ends with a newline: go back to the abstract's line
      await e.page.keyboard.press('End');
      await e.page.keyboard.insertText(typed);
      const want = expected.map((x) => x.text);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const now = (await e.decoratedTexts()).map((d) => d.text.trim());
        if (want.every((w) => now.filter((n) => n === w).length > decoratedBefore.filter((n) => n === w).length)) break;
        if (Date.now() > deadline) throw new Error(`live decorations for ${JSON.stringify(want)} did not appear; have ${JSON.stringify(now)}`);
        await e.page.waitForTimeout(250);
      }
    });
    await e.screenshot('05-live-typed');
    await e.step('undo', async () => {
      await e.page.keyboard.press('Control+Z');
      const deadline = Date.now() + 30_000;
      while (sortedTexts(await e.decoratedTexts()).join('\n') !== decoratedBefore.join('\n')) {
        if (Date.now() > deadline) throw new Error('decorations did not return to the state before typing');
        await e.page.waitForTimeout(250);
      }
    });
    assert.equal((await e.visibleText()).trim(), before.trim());
    await e.screenshot('05-live-undone');
    await e.runCommand(title('biom.toggleLiveAnnotation'));
  });

  it('6. A hostile document shows literally in the panels and runs nothing', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await e.step('open-hostile', () => e.openFile('hostile.txt'));
    await e.step('annotate', () => e.runCommand(title('biom.annotateDocument')));
    await e.step('relations', () => e.runCommand(title('biom.extractRelations')));
    const frames: Frame[] = [];
    frames.push(await e.step('relations-panel', () => e.webviewFrame(hasText('Relations'), 60_000).catch(() => e.webviewFrame())));
    await e.step('open-biom-sidebar', () => e.page.locator(ui.activityBarBiom).click());
    const qa = await e.step('qa-view', () => e.webviewFrame(hasElement(ui.qaQuestion), 30_000));
    frames.push(qa);
    await e.step('ask-hostile', async () => {
      const input = qa.locator(`${ui.qaQuestion} input, input${ui.qaQuestion}, textarea${ui.qaQuestion}`).first();
      await input.fill(hostileQuestion);
      await input.press('Enter');
      await qa.locator(`${ui.qaAnswer}, ${ui.qaNoAnswer}`).first().waitFor({ timeout: 120_000 });
    });
    await e.screenshot('06-hostile');
    assert.deepEqual(dialogs, [], 'no alert() ran');
    for (const frame of frames) {
      assert.equal(await frame.locator('img[src="x"], img[src$="/x"]').count(), 0, 'no <img> made from text');
      assert.equal(await frame.evaluate(() => (window as unknown as { biomPwned?: boolean }).biomPwned ?? false), false);
    }
    const qaText = await qa.locator('body').innerText();
    assert.ok(qaText.includes('<img src=x onerror='), 'the question/answer text shows the markup literally');
  });

  it('7. A 1 MB document: typing echoes while annotation runs, and cancel stops it', async (t) => {
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
    await e.step('cancel', async () => {
      await cancel.click();
      await cancel.waitFor({ state: 'hidden', timeout: 10_000 });
    });
    await e.screenshot('07-large-cancelled');
    await e.page.keyboard.press('Control+Z');
  });
});

function hasElement(selector: string): (frame: Frame) => Promise<boolean> {
  return async (frame) => (await frame.locator(selector).count()) > 0;
}

function hasText(text: string): (frame: Frame) => Promise<boolean> {
  return async (frame) => (await frame.locator('body').innerText()).includes(text);
}

const hostilePayload = '<img src=x onerror="window.biomPwned=true;alert(1)"></script><script>window.biomPwned=true</script>';
const hostileQuestion = `Which <img src=x onerror="window.biomPwned=true;alert(1)"> binds the receptor?`;
/** One sentence, so that whatever sentence a panel shows as evidence or context carries the markup. */
const hostileDocument =
  `Dextromethorphan ${hostilePayload} inhibits the sigma-1 receptor and dextrorphan blocks the NMDA receptor in mice.\n`;

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
