// Curation in a real editor (issue 11): the packaged extension in code-server, driven through Chromium like a curator
// — lightbulb, keys, palette — with every decision checked in the .ann file beside the text, read by a brat reader
// written here from the brat standoff spec (not the extension's). Screenshots go to test-results/screenshots/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it, type TestContext } from 'node:test';
import { defaultVsixPath, Editor, editorUnavailableReason, repoRoot, screenshotDir, writeChemProtWorkspace } from './codeServer';

const skipReason =
  editorUnavailableReason() ??
  (existsSync(defaultVsixPath) ? undefined : `no VSIX at ${defaultVsixPath}: package the extension (npm run package) or set BIOM_VSIX`);
if (skipReason && process.env.BIOM_EDITOR_REQUIRED === '1') throw new Error(skipReason);

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string; title: string; category?: string }[] };
};

function title(id: string): string {
  const c = manifest.contributes.commands.find((x) => x.command === id);
  if (!c) throw new Error(`package.json contributes no command ${id}`);
  return `${c.category}: ${c.title}`;
}

interface AnnEntity {
  id: string;
  type: string;
  start: number;
  end: number;
  text: string;
  status?: string;
}

/**
 * brat standoff, from its documentation: "T1<TAB>Type START END<TAB>text" with character offsets (code points),
 * attributes "A1<TAB>Name T1 Value". Only what these scenarios look at.
 */
function readAnn(path: string): AnnEntity[] {
  const entities = new Map<string, AnnEntity>();
  const statuses = new Map<string, string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const t = /^(T\d+)\t(\S+) (\d+) (\d+)\t(.*)$/.exec(line);
    if (t) entities.set(t[1], { id: t[1], type: t[2], start: Number(t[3]), end: Number(t[4]), text: t[5] });
    const a = /^A\d+\tStatus (T\d+) (\S+)$/.exec(line);
    if (a) statuses.set(a[1], a[2]);
  }
  return [...entities.values()].map((e) => ({ ...e, status: statuses.get(e.id) }));
}

/** Code-point offsets (brat) to the text's slice. */
function slice(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join('');
}

async function until<T>(what: string, read: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = read();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Saves test-results/screenshots/<name>.png: the element's box widened by `pad`, at most `maxHeight` tall. */
async function clipAround(
  locator: import('playwright-core').Locator,
  name: string,
  pad: { left: number; top: number; right: number; bottom: number },
  maxHeight = 600,
): Promise<void> {
  const box = await locator.first().boundingBox();
  assert.ok(box, `${name}: nothing to capture`);
  const x = Math.max(0, box.x - pad.left);
  const y = Math.max(0, box.y - pad.top);
  const clip = { x, y, width: box.width + pad.left + pad.right, height: Math.min(maxHeight, box.height + pad.top + pad.bottom) };
  await locator.page().screenshot({ path: join(screenshotDir, `${name}.png`), clip });
}

describe('Curation in a real editor', { timeout: 900_000 }, () => {
  let editor: Editor | undefined;
  let work = '';
  let workspace = '';
  let docs: { pmid: string; file: string; text: string }[] = [];
  let doc: { pmid: string; file: string; text: string };
  const annOf = (d: { file: string }) => d.file.replace(/\.txt$/, '.ann');

  const skipped = (t: TestContext): boolean => {
    if (skipReason) t.skip(skipReason);
    return !!skipReason;
  };

  /** Puts one cursor at a UTF-16 offset of the (one-line) document with Go to Line/Column. */
  const cursorAt = async (offset: number): Promise<void> => {
    const e = editor!;
    await e.focusEditor();
    await e.page.keyboard.press('Control+G');
    await e.page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 5_000 });
    await e.page.keyboard.type(`1:${offset + 1}`);
    await e.page.keyboard.press('Enter');
    await e.page.waitForFunction(
      (col) => document.querySelector('[id="status.editor.selection"]')?.textContent?.includes(`Col ${col}`),
      offset + 1,
      {
        timeout: 5_000,
      },
    );
  };

  /** Selects [start, end) of the one-line document. */
  const select = async (start: number, end: number): Promise<void> => {
    await cursorAt(start);
    for (let i = start; i < end; i++) await editor!.page.keyboard.press('Shift+ArrowRight');
  };

  /**
   * Quick Open that waits until the filter has applied (the first row is the file) before Enter: right after Ctrl+P
   * the list shows recently opened files, where Enter would open the most recent one instead.
   */
  const open = async (name: string): Promise<void> => {
    const e = editor!;
    await e.step('open', async () => {
      await e.page.keyboard.press('Control+P');
      const widget = e.page.locator('.quick-input-widget');
      await widget.waitFor({ state: 'visible', timeout: 10_000 });
      await e.page.locator('.quick-input-widget .quick-input-box input').fill(name);
      await e.page.waitForFunction(
        (file) =>
          document.querySelector('.quick-input-widget .quick-input-list .monaco-list-row .label-name')?.textContent?.trim() === file,
        name,
        { timeout: 15_000 },
      );
      await e.page.keyboard.press('Enter');
      await e.page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
      await e.activeEditor().locator('.view-line').first().waitFor({ timeout: 15_000 });
    });
  };

  /** Picks `label` in an open quick pick (type picker, export steps); a next quick pick may open right after. */
  const pick = async (label: string): Promise<void> => {
    const page = editor!.page;
    const widget = page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
    const title = page.locator('.quick-input-widget .quick-input-title');
    const before = (await title.textContent()) ?? '';
    await page.locator('.quick-input-widget .quick-input-box input').fill(label);
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (previous) => {
        const w = document.querySelector<HTMLElement>('.quick-input-widget');
        const shown = w && w.style.display !== 'none' && w.offsetParent !== null;
        return !shown || (document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? '') !== previous;
      },
      before,
      { timeout: 5_000 },
    );
  };

  /** BioM output log: one "<file> vN: K entities from" line per NER run. */
  const nerRuns = (name: string): number => {
    const e = editor!;
    const logs: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (/BioM\.log$/.test(entry)) logs.push(readFileSync(path, 'utf8'));
      }
    };
    walk(join(e.userDataDir, 'logs'));
    const pattern = new RegExp(`${name.replace('.', '\\.')} v\\d+: \\d+ entities from`, 'g');
    return logs.reduce((n, log) => n + (log.match(pattern)?.length ?? 0), 0);
  };

  /**
   * Annotates the active document and waits for its decorations; returns a decorated word and its offset (a model
   * run alone writes no .ann: its suggestions can be found again, so the first decision creates the file).
   */
  const annotate = async (d: { text: string }): Promise<{ word: string; start: number }> => {
    const e = editor!;
    await e.step('annotate', () => e.runCommand(title('biom.annotateDocument')));
    await e.step('decorated', () =>
      e.page.waitForFunction(
        () => document.querySelectorAll('.editor-group-container.active .monaco-editor [class*="ced-"]').length > 0,
        undefined,
        { timeout: 120_000 },
      ),
    );
    const words = (await e.decoratedTexts()).map((x) => x.text.trim()).filter((w) => /^[A-Za-z][\w-]{3,}$/.test(w));
    for (const word of words) {
      const start = d.text.search(new RegExp(`(?<![\\w-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`));
      if (start >= 0) return { word, start };
    }
    throw new Error(`no decorated whole word found in ${JSON.stringify(words)}`);
  };

  before(async () => {
    if (skipReason) return;
    work = mkdtempSync(join(tmpdir(), 'biom-curation-'));
    workspace = join(work, 'workspace');
    docs = writeChemProtWorkspace(workspace, join(repoRoot, 'test/fixtures/chemprot/development_abstracts.tsv'), 6);
    doc = docs[0];
    editor = await Editor.start({
      workspace,
      vsix: [defaultVsixPath],
      settings: { 'biom.live.enabled': false, 'editor.lightbulb.enabled': 'on' },
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

  it('1. accepts a suggestion through the lightbulb (Ctrl+.), and the .ann says so', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await open(`${doc.pmid}.txt`);
    const target = await annotate(doc);
    assert.ok(!existsSync(annOf(doc)), 'a model run alone writes no .ann');
    await cursorAt(target.start + 1);
    await e.step('lightbulb', async () => {
      await e.page.keyboard.press('Control+.');
      await e.page.locator('.action-widget').waitFor({ state: 'visible', timeout: 10_000 });
    });
    await e.screenshot('curation-lightbulb-full');
    const menu = await e.page.locator('.action-widget').innerText();
    assert.match(menu, /Accept "/);
    assert.match(menu, /Reject "/);
    assert.match(menu, /Change type of/);
    await clipAround(e.page.locator('.action-widget'), 'curation-lightbulb', { left: 240, top: 50, right: 420, bottom: 60 });
    await e.step('choose-accept', async () => {
      // The preferred action (Accept) is the focused row: Enter applies it, as a curator would.
      const focused = e.page.locator('.action-widget .monaco-list-row.focused');
      assert.match(await focused.innerText(), /Accept "/);
      await e.page.keyboard.press('Enter');
    });
    const entities = await e.step('ann-accepted', () =>
      until(
        'accepted in .ann',
        () =>
          existsSync(annOf(doc)) &&
          readAnn(annOf(doc)).some((x) => x.start === target.start && x.status === 'accepted') &&
          readAnn(annOf(doc)),
      ),
    );
    assert.equal(entities.find((x) => x.start === target.start)?.text, target.word);
    assert.ok(entities.filter((x) => x.status === 'suggested').length > 0, 'the other suggestions are kept with their status');
    // The hover says what was decided and offers the other actions as links.
    const hover = await e.step('hover', () => e.hover(target.word));
    assert.match(hover, /Curation: accepted/);
    assert.match(hover, /Reject \(Alt\+X\)/);
    assert.doesNotMatch(hover, /Accept \(Alt\+A\)/);
    await e.page.keyboard.press('Escape');
    // Every line's offsets still read its text.
    const text = readFileSync(doc.file, 'utf8');
    for (const x of readAnn(annOf(doc))) assert.equal(slice(text, x.start, x.end), x.text, x.id);
  });

  it('2. rejects every mention of one text; 3. adds an entity from a selection; 4. changes a type; 5. undo and redo', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await open(`${doc.pmid}.txt`);
    const before = readAnn(annOf(doc));
    const byText = new Map<string, AnnEntity[]>();
    for (const x of before) byText.set(`${x.type}|${x.text}`, [...(byText.get(`${x.type}|${x.text}`) ?? []), x]);
    const repeated = [...byText.values()].sort((a, b) => b.length - a.length)[0];
    await cursorAt(repeated[0].start + 1);
    await e.step('reject-same', () => e.runCommand(title('biom.curation.rejectSame')));
    await e.step('ann-rejected', () =>
      until('all rejected', () => repeated.every((r) => readAnn(annOf(doc)).find((x) => x.id === r.id)?.status === 'rejected')),
    );

    // 3. Add: a word no entity covers, selected, Alt+N, type CHEMICAL.
    const taken = (i: number) => readAnn(annOf(doc)).some((x) => x.start <= i && i < x.end);
    const words = [...doc.text.matchAll(/[A-Za-z]{6,}/g)].filter((m) => !taken(m.index ?? 0) && !taken((m.index ?? 0) + m[0].length - 1));
    const word = words[0];
    const start = word.index ?? 0;
    await select(start, start + word[0].length);
    await e.step('add-entity', async () => {
      await e.page.keyboard.press('Alt+N');
      await pick('CHEMICAL');
    });
    const added = await e.step('ann-added', () =>
      until('added entity', () =>
        readAnn(annOf(doc)).find((x) => x.start === start && x.end === start + word[0].length && x.status === 'added'),
      ),
    );
    assert.equal(added.type, 'CHEMICAL');
    assert.equal(added.text, word[0]);

    // 4. Change type with Alt+K.
    await cursorAt(start + 1);
    await e.step('change-type', async () => {
      await e.page.keyboard.press('Alt+K');
      await pick('GENE-N');
    });
    await e.step('ann-type', () => until('GENE-N', () => readAnn(annOf(doc)).find((x) => x.id === added.id)?.type === 'GENE-N'));

    // 5. Undo (Alt+U) restores CHEMICAL; redo (Alt+Shift+U) GENE-N again. Ctrl+Z is left to text undo.
    await e.step('undo', () => e.page.keyboard.press('Alt+U'));
    await e.step('ann-undone', () =>
      until('CHEMICAL again', () => readAnn(annOf(doc)).find((x) => x.id === added.id)?.type === 'CHEMICAL'),
    );
    await e.step('redo', () => e.page.keyboard.press('Alt+Shift+U'));
    await e.step('ann-redone', () => until('GENE-N again', () => readAnn(annOf(doc)).find((x) => x.id === added.id)?.type === 'GENE-N'));
    // The README's curated document: suggestions tinted, decisions bordered, rejected struck through (shown on demand).
    await e.runCommand(title('biom.curation.toggleRejected'));
    await cursorAt(doc.text.length);
    await clipAround(e.activeEditor().locator('.view-lines'), 'curation-document', { left: 10, top: 10, right: 10, bottom: 10 }, 420);
    await e.runCommand(title('biom.curation.toggleRejected'));
  });

  it('6. closing and reopening shows the curated annotations at once, with no model run', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    const runs = nerRuns(`${doc.pmid}.txt`);
    assert.ok(runs >= 1, 'the document was annotated once before');
    const saved = readFileSync(annOf(doc), 'utf8');
    await open(`${doc.pmid}.txt`);
    const shown = await e.step('decorated', async () => {
      await e.page.waitForFunction(
        () => document.querySelectorAll('.editor-group-container.active .monaco-editor [class*="ced-"]').length > 0,
        undefined,
        { timeout: 15_000 },
      );
      return e.decoratedTexts();
    });
    const accepted = readAnn(annOf(doc)).filter((x) => x.status !== 'rejected');
    assert.ok(shown.length > 0 && accepted.some((x) => shown.some((s) => s.text.includes(x.text))), 'curated entities drawn');
    assert.equal(nerRuns(`${doc.pmid}.txt`), runs, 'no model ran on reopening');
    assert.equal(readFileSync(annOf(doc), 'utf8'), saved, 'reopening does not rewrite the .ann');
  });

  it('7. editing text above annotations keeps the saved .ann offsets right', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await open(`${doc.pmid}.txt`);
    await cursorAt(0);
    await e.step('type-above', async () => {
      await e.page.keyboard.type('Reviewed today. ', { delay: 10 });
      await e.page.keyboard.press('Control+S');
    });
    await e.step('saved', () => until('text saved', () => readFileSync(doc.file, 'utf8').startsWith('Reviewed today. ')));
    const check = () => {
      const text = readFileSync(doc.file, 'utf8');
      const entities = readAnn(annOf(doc));
      return entities.length > 0 && entities.every((x) => slice(text, x.start, x.end) === x.text) && entities;
    };
    const entities = await e.step('ann-shifted', () => until('.ann offsets follow the edit', check));
    assert.ok(entities.every((x) => x.start >= 'Reviewed today. '.length));
  });

  it('8. an .ann changed on disk is reloaded into the open editor', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await open(`${doc.pmid}.txt`);
    const before = readAnn(annOf(doc));
    const victim = before.find((x) => x.status === 'suggested' || x.status === 'accepted');
    assert.ok(victim);
    const count = async () => (await e.decoratedTexts()).filter((d) => d.text.trim() === victim.text).length;
    const shownBefore = await count();
    // Another annotator rejects it (what a git pull would bring).
    const ann = readFileSync(annOf(doc), 'utf8').replace(new RegExp(`^(A\\d+\\tStatus ${victim.id}) \\S+$`, 'm'), '$1 rejected');
    assert.notEqual(ann, readFileSync(annOf(doc), 'utf8'));
    writeFileSync(annOf(doc), ann);
    await e.step('hidden', async () => {
      const deadline = Date.now() + 15_000;
      while ((await count()) >= shownBefore && Date.now() < deadline) await e.page.waitForTimeout(250);
      assert.equal(await count(), shownBefore - 1, 'the entity rejected on disk is hidden in the editor');
    });
    await e.step('status-count', async () => {
      await e.page.waitForFunction(
        () => /to review|all reviewed/.test(document.querySelector('.part.statusbar [id$="biom.status"]')?.textContent ?? ''),
        undefined,
        {
          timeout: 10_000,
        },
      );
    });
    // The editor keeps the file's decision: a later action writes it back with the rejection in it.
    await cursorAt(0);
    await e.page.keyboard.press('Alt+J');
    await e.page.keyboard.press('Alt+A');
    await e.step('ann-keeps-theirs', () =>
      until('their rejection kept', () => readAnn(annOf(doc)).find((x) => x.id === victim.id)?.status === 'rejected'),
    );
  });

  it('9. killing the worker mid-curation loses nothing', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    const other = docs[1];
    await open(`${other.pmid}.txt`);
    const first = await annotate(other);
    await cursorAt(first.start + 1);
    await e.page.keyboard.press('Alt+A');
    const suggestions = await e.step('ann-created', () =>
      until(
        '.ann created by the first decision',
        () => existsSync(annOf(other)) && readAnn(annOf(other)).length > 1 && readAnn(annOf(other)),
      ),
    );
    const victim = suggestions.find((x) => x.status === 'suggested');
    assert.ok(victim);
    await e.step('annotate-again', () => e.runCommand(title('biom.annotateDocument')));
    // The worker is the node process running dist/worker.js of the installed extension.
    const pids = execFileSync('pgrep', ['-f', 'dist/worker.js'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
    assert.ok(pids.length > 0, 'the worker runs');
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await cursorAt(victim.start + 1);
    await e.page.keyboard.press('Alt+X');
    const after = await e.step('ann-complete', () =>
      until(
        'decision written',
        () => readAnn(annOf(other)).find((x) => x.id === victim.id)?.status === 'rejected' && readAnn(annOf(other)),
      ),
    );
    assert.equal(after.length, suggestions.length, 'every annotation is still in the .ann');
    const text = readFileSync(other.file, 'utf8');
    for (const x of after) assert.equal(slice(text, x.start, x.end), x.text);
  });

  it('10. the Entities view groups the document by type and text', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await open(`${doc.pmid}.txt`);
    await e.step('view', () => e.runCommand('BioM: Focus on Entities View'));
    const view = e.page.locator('.pane', { has: e.page.locator('.pane-header', { hasText: /Entities/i }) });
    await e.step('rows', () => view.locator('.monaco-list-row').first().waitFor({ timeout: 10_000 }));
    // Room for the tree in the screenshot: the Questions view folds away.
    const questions = e.page.locator('.pane-header', { hasText: /Questions/i }).first();
    if ((await questions.getAttribute('aria-expanded')) === 'true') await questions.click();
    // A text group opens on its mentions; clicking one puts one cursor on it.
    const group = view.locator('.monaco-list-row', { hasText: /accepted/ }).first();
    await group.click();
    await e.page.keyboard.press('ArrowRight');
    const mention = view.locator('.monaco-list-row', { hasText: /^\s*accepted/ }).first();
    await e.step('mention-row', () => mention.waitFor({ timeout: 5_000 }));
    await mention.click();
    await e.step('revealed', () =>
      e.page.waitForFunction(
        () => /Ln \d+, Col \d+$/.test((document.querySelector('[id="status.editor.selection"]')?.textContent ?? '').trim()),
        undefined,
        {
          timeout: 10_000,
        },
      ),
    );
    assert.doesNotMatch(await e.selectionStatus(), /selected/, 'one cursor, no selection');
    const rows = await view.locator('.monaco-list-row').allInnerTexts();
    const types = new Set(
      readAnn(annOf(doc))
        .filter((x) => x.status !== 'rejected')
        .map((x) => x.type),
    );
    for (const type of types)
      assert.ok(
        rows.some((r) => r.includes(type)),
        `${type} in ${JSON.stringify(rows)}`,
      );
    const sidebar = await e.page.locator('.part.sidebar').boundingBox();
    assert.ok(sidebar);
    await e.page.screenshot({
      path: join(screenshotDir, 'curation-entities-view.png'),
      clip: { x: sidebar.x, y: sidebar.y, width: sidebar.width + 520, height: sidebar.height },
    });
  });
  it('11. a malformed .ann: one message naming file and line, the valid lines shown, the file untouched', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    const bad = docs[2];
    const word = /[A-Za-z]{5,}/.exec(bad.text);
    assert.ok(word);
    const start = word.index;
    const content = [
      `T1\tCHEMICAL ${start} ${start + word[0].length}\t${word[0]}`,
      'T2 this line is not brat',
      `T3\tGENE ${bad.text.length + 50} ${bad.text.length + 60}\tpast the end`,
      'A1\tStatus T1 accepted',
      '',
    ].join('\n');
    writeFileSync(annOf(bad), content);
    await open(`${bad.pmid}.txt`);
    const toast = e.page.locator('.notification-toast', { hasText: `${bad.pmid}.ann line 2` });
    await e.step('message', () => toast.first().waitFor({ timeout: 15_000 }));
    assert.match(await toast.first().innerText(), /valid lines are shown/);
    await e.step('valid-line-shown', () =>
      e.page.waitForFunction(
        () => document.querySelectorAll('.editor-group-container.active .monaco-editor [class*="ced-"]').length > 0,
        undefined,
        { timeout: 10_000 },
      ),
    );
    assert.ok(
      (await e.decoratedTexts()).some((d) => d.text.trim() === word[0]),
      `"${word[0]}" decorated`,
    );
    assert.equal(readFileSync(annOf(bad), 'utf8'), content, 'the file is untouched');
    await e.dismissNotifications();
  });

  it('12. exports the folder to brat, decisions only, with a summary', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    const out = join(work, 'export');
    mkdirSync(out, { recursive: true });
    await open(`${doc.pmid}.txt`);
    await e.step('export', () => e.runCommand(title('biom.curation.export')));
    await pick('Every curated document of the folder');
    await pick('brat');
    await pick('Accepted and added only');
    await e.step('folder-dialog', async () => {
      const input = e.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ timeout: 10_000 });
      // The simple folder dialog fills in its default folder once it has listed it; typing before that is overwritten.
      for (let attempt = 0; attempt < 10; attempt++) {
        await input.fill(`${out}/`);
        await e.page.waitForTimeout(400);
        if ((await input.inputValue()) === `${out}/`) break;
      }
      await e.page
        .locator('.quick-input-widget .monaco-button', { hasText: /Export Here|OK/ })
        .first()
        .click();
    });
    const toast = e.page.locator('.notification-toast', { hasText: /exported \d+ documents/ });
    await e.step('summary', () => toast.first().waitFor({ timeout: 15_000 }));
    const summary = await toast.first().innerText();
    const anns = readdirSync(out).filter((f) => f.endsWith('.ann'));
    assert.ok(anns.length >= 2, `pairs written: ${anns.join(', ')}`);
    for (const name of anns) {
      const text = readFileSync(join(out, name.replace(/\.ann$/, '.txt')), 'utf8');
      const entities = readAnn(join(out, name));
      for (const x of entities) {
        assert.ok(x.status === undefined || x.status === 'accepted' || x.status === 'added', `${name} ${x.id}: ${x.status}`);
        assert.equal(slice(text, x.start, x.end), x.text);
      }
    }
    assert.match(summary, new RegExp(`exported ${anns.length} documents`));
  });
  it('13. Compare Model with Curated shows P/R/F1 per type for the document', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    await open(`${doc.pmid}.txt`);
    await e.step('compare', () => e.runCommand(title('biom.curation.compareModel')));
    await pick('This document');
    const frame = await e.step('preview', () =>
      e.webviewFrame(async (f) => (await f.locator('h1', { hasText: 'Model vs curated' }).count()) > 0, 30_000),
    );
    const table = await frame.locator('table').innerText();
    assert.match(table, /precision/);
    assert.match(table, /entities, exact span and type/);
    const types = new Set(
      readAnn(annOf(doc))
        .filter((x) => x.status !== 'suggested')
        .map((x) => x.type),
    );
    for (const type of types) assert.ok(table.includes(type), `${type} in the table`);
  });
  it('14. an .ann changed on disk while decisions are unsaved: both kept, one warning with Compare', async (t) => {
    if (skipped(t)) return;
    const e = editor!;
    const settingsFile = join(e.userDataDir, 'User', 'settings.json');
    const settings = readFileSync(settingsFile, 'utf8');
    // Decisions wait for the document's save, so the file on disk can change while one is unsaved.
    writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(settings), 'biom.curation.autoSave': false }, null, 2));
    try {
      const d = docs[3];
      await e.page.waitForTimeout(1_000);
      await open(`${d.pmid}.txt`);
      const first = await annotate(d);
      await cursorAt(first.start + 1);
      await e.page.keyboard.press('Alt+A');
      await e.page.waitForFunction(
        () => /to review|all reviewed/.test(document.querySelector('.part.statusbar [id$="biom.status"]')?.textContent ?? ''),
        undefined,
        {
          timeout: 10_000,
        },
      );
      assert.ok(!existsSync(annOf(d)), 'nothing written yet (autoSave off)');
      // Another annotator's file arrives.
      const theirs = `T1\tCHEMICAL ${first.start} ${first.start + first.word.length}\t${first.word}\nA1\tStatus T1 rejected\n`;
      writeFileSync(annOf(d), theirs);
      const toast = e.page.locator('.notification-toast', { hasText: /changed on disk while you had unsaved curation actions/ });
      await e.step('conflict-warning', () => toast.first().waitFor({ timeout: 15_000 }));
      assert.ok((await toast.first().innerText()).includes('Compare'));
      const conflicts = readdirSync(workspace).filter((f) => f.startsWith(`${d.pmid}.`) && f.endsWith('.conflict.ann'));
      assert.equal(conflicts.length, 1, 'ours kept beside theirs');
      const ours = readAnn(join(workspace, conflicts[0]));
      assert.ok(
        ours.some((x) => x.start === first.start && x.status === 'accepted'),
        'our acceptance is in the conflict copy',
      );
      assert.equal(readFileSync(annOf(d), 'utf8'), theirs, 'their file is not overwritten');
      await e.step('compare', async () => {
        await toast.first().locator('.monaco-button', { hasText: 'Compare' }).click();
        await e.page.locator('.tab.active', { hasText: /on disk/ }).waitFor({ timeout: 10_000 });
      });
    } finally {
      writeFileSync(settingsFile, settings);
    }
  });
});
