// Real-editor harness: code-server (VS Code in a browser) driven by Debian chromium through playwright-core.
//
// What the DOM of the VS Code 1.99 workbench (code-server 4.99.4) looks like, as the helpers below rely on it:
// - Editor text: `.monaco-editor .view-lines > .view-line`, one element per *visual* line (word wrap splits a
//   model line into several), only the lines in the viewport are rendered. Text is in `span > span.mtkN`.
// - TextEditorDecorationType properties split into generated CSS classes named `ced-<key>-<n>`:
//   backgroundColor / border / outline  -> `className`: an absolutely positioned empty div in `.view-overlays`
//                                          (`div.cdr.ced-…`), one per visual line piece. It holds no text, so
//                                          the covered characters are found by geometry (`textUnderOverlays`).
//   color / fontStyle / textDecoration   -> `inlineClassName`: the text span itself in `.view-lines` gets the
//                                          `ced-…` class (`inlineDecorations`).
//   before / after with contentText      -> an extra empty span in `.view-lines` with a `ced-…` class whose CSS
//                                          `::before/::after { content: "…" }` shows the text (`pseudoContent`).
// - Selection: `.view-overlays .selected-text` divs (read with `selectedText`), status bar item
//   `#status\.editor\.selection` ("Ln 1, Col 5 (12 selected)").
// - Hover widget: `.monaco-editor .monaco-hover` (class `hidden` while closed), content in `.monaco-hover-content`.
// - Quick input (F1, Ctrl+P): `.quick-input-widget`, input `.quick-input-box input`, rows
//   `.quick-input-list .monaco-list-row` (aria-label = label text).
// - Webviews (same origin as the workbench in code-server): `iframe.webview` (src …/webview/browser/pre/index.html?id=…)
//   holding an iframe (id `active-frame`, name attribute "pending-frame", src …/pre/fake.html?id=…) that holds the
//   extension's HTML. `webviewFrame()` returns that inner frame; Playwright locators pierce open shadow roots
//   (webview-ui-toolkit components), e.g. `frame.locator('vscode-text-field input')`.
// Page-side helpers below run in the browser (page.evaluate), hence the DOM types.
/// <reference lib="dom" />
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const toolsDir = process.env.BIOM_TOOLS_DIR ?? join(repoRoot, '.tools');
export const codeServerBin = join(toolsDir, 'code-server', 'node_modules', '.bin', 'code-server');
export const chromiumPath = process.env.BIOM_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
export const defaultVsixPath = process.env.BIOM_VSIX ?? join(repoRoot, 'dist', 'biom-annotator.vsix');

/** Why the real editor cannot run here, or undefined when code-server and chromium are installed. */
export function editorUnavailableReason(): string | undefined {
  if (!existsSync(codeServerBin)) return `code-server is not installed (${codeServerBin}); run scripts/install-editor.sh`;
  if (!existsSync(chromiumPath)) return `chromium is not installed (${chromiumPath}); run scripts/install-editor.sh`;
  return undefined;
}

/** Flags of every code-server start here: loopback only, no login, no telemetry, update check or trust prompt. */
export function serverArgs(dirArgs: readonly string[], port: number): string[] {
  return [
    ...dirArgs,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
}

/** Settings that keep the first-run UI (welcome page, trust prompt, notifications, telemetry) out of the way. */
export const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'files.hotExit': 'off',
  'chat.commandCenter.enabled': false,
  // The whole abstract visible at once: Monaco only renders the lines in the viewport.
  'editor.wordWrap': 'on',
  // The minimap paints decorations a second time; keep the DOM to one copy.
  'editor.minimap.enabled': false,
  'editor.hover.delay': 200,
  'editor.fontSize': 14,
};

export interface EditorOptions {
  /** Folder opened as the workspace. */
  workspace: string;
  /** VSIX files installed with `code-server --install-extension` before the server starts. */
  vsix?: string[];
  /** Unpacked extension folders copied as-is into the extensions dir (no packaging needed). */
  extensionFolders?: string[];
  /** Extra user settings, merged over `quietSettings`. */
  settings?: Record<string, unknown>;
  viewport?: { width: number; height: number };
  /** Keep the temporary user-data and extensions dirs after close (for debugging). */
  keepProfile?: boolean;
}

export interface Timings {
  installExtensionsMs: number;
  serverReadyMs: number;
  workbenchReadyMs: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}:\n${log()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms:\n${log()}`);
}

/** Servers still running, killed if the test process is interrupted (their process groups outlive us otherwise). */
const liveServers = new Set<ChildProcess>();
let signalHandlersInstalled = false;
function killOnExit(server: ChildProcess): void {
  liveServers.add(server);
  server.once('exit', () => liveServers.delete(server));
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  const killAll = () => {
    for (const s of liveServers) {
      try {
        if (s.pid) process.kill(-s.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/** A running code-server with one browser page on its workbench. Always `close()` it (also on failure). */
export class Editor {
  readonly timings: Timings = { installExtensionsMs: 0, serverReadyMs: 0, workbenchReadyMs: 0 };
  private server?: ChildProcess;
  private browser?: Browser;
  private serverLog = '';
  private readonly consoleLog: string[] = [];
  private closed = false;
  page!: Page;
  url = '';

  private constructor(
    readonly options: EditorOptions,
    readonly profileDir: string,
  ) {}

  get userDataDir(): string {
    return join(this.profileDir, 'user-data');
  }
  get extensionsDir(): string {
    return join(this.profileDir, 'extensions');
  }

  /** Installs extensions, starts code-server on a free port, opens the workspace in chromium. */
  static async start(options: EditorOptions): Promise<Editor> {
    const reason = editorUnavailableReason();
    if (reason) throw new Error(reason);
    const editor = new Editor(options, mkdtempSync(join(tmpdir(), 'biom-editor-')));
    try {
      await editor.launch();
      return editor;
    } catch (error) {
      await editor.screenshot('FAILED-start').catch(() => undefined);
      await editor.close();
      throw error;
    }
  }

  private async launch(): Promise<void> {
    const { options } = this;
    mkdirSync(join(this.userDataDir, 'User'), { recursive: true });
    mkdirSync(this.extensionsDir, { recursive: true });
    writeFileSync(join(this.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...options.settings }, null, 2));
    const configFile = join(this.profileDir, 'config.yaml');
    writeFileSync(configFile, 'auth: none\ncert: false\n');
    const dirArgs = ['--config', configFile, '--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir];

    const installStart = Date.now();
    for (const vsix of options.vsix ?? []) {
      const result = spawnSync(codeServerBin, [...dirArgs, '--install-extension', vsix, '--force'], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      if (result.status !== 0) {
        throw new Error(`installing ${vsix} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
      }
    }
    for (const folder of options.extensionFolders ?? []) {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
        publisher: string;
        name: string;
        version: string;
      };
      const target = join(this.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
      spawnSync('cp', ['-r', folder, target]);
    }
    this.timings.installExtensionsMs = Date.now() - installStart;

    const port = await freePort();
    const serverStart = Date.now();
    this.server = spawn(
      codeServerBin,
      [...serverArgs(dirArgs, port), '--ignore-last-opened'],
      // Own process group, so close() ends code-server together with its extension host and watchers.
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSCODE_PROXY_URI: '' } },
    );
    const append = (chunk: Buffer) => {
      this.serverLog = (this.serverLog + chunk.toString()).slice(-20_000);
    };
    this.server.stdout?.on('data', append);
    this.server.stderr?.on('data', append);
    killOnExit(this.server);
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/healthz`, 60_000, this.server, () => this.serverLog);
    this.timings.serverReadyMs = Date.now() - serverStart;

    this.browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
    const context = await this.browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    this.page = await context.newPage();
    this.page.on('console', (m) => this.consoleLog.push(`[${m.type()}] ${m.text()}`));
    this.page.on('pageerror', (e) => this.consoleLog.push(`[pageerror] ${e.message}`));
    this.url = `${base}/?folder=${encodeURIComponent(resolve(options.workspace))}`;
    const workbenchStart = Date.now();
    await this.page.goto(this.url);
    await this.waitForWorkbench();
    this.timings.workbenchReadyMs = Date.now() - workbenchStart;
  }

  /** Waits until the workbench is interactive: the explorer shows the workspace and the status bar is up. */
  async waitForWorkbench(timeoutMs = 90_000): Promise<void> {
    const page = this.page;
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
    await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
    await this.dismissNotifications();
  }

  /** Closes toasts (e.g. "extension recommendations") that could cover what a screenshot should show. */
  async dismissNotifications(): Promise<void> {
    const page = this.page;
    const toasts = page.locator('.notification-toast-container');
    if ((await toasts.count()) > 0) {
      await page.keyboard.press('Escape').catch(() => undefined);
      await this.executeQuick('>Notifications: Clear All Notifications').catch(() => undefined);
    }
  }

  /** Opens the command palette (F1), types `title`, runs the row whose label matches exactly (or the first). */
  async runCommand(title: string, options: { timeoutMs?: number } = {}): Promise<void> {
    await this.executeQuick(`>${title}`, options.timeoutMs);
  }

  private async openQuickInput(): Promise<void> {
    const page = this.page;
    const widget = page.locator('.quick-input-widget');
    if (!(await widget.isVisible())) {
      await this.focusEditorOrWorkbench();
      await page.keyboard.press('F1');
    }
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
  }

  private async executeQuick(value: string, timeoutMs = 15_000): Promise<void> {
    const page = this.page;
    await this.openQuickInput();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(value);
    const label = value.replace(/^>/, '').trim();
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    // Exactly this label, so "BioM: Annotate Document" never picks a longer title that contains it.
    const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    const match = rows.filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
    try {
      await match.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      const seen = await rows.allInnerTexts().catch(() => []);
      await page.keyboard.press('Escape');
      throw new Error(`command "${label}" not found in the palette; rows: ${JSON.stringify(seen.slice(0, 10))}`);
    }
    await match.click();
    await page
      .locator('.quick-input-widget')
      .waitFor({ state: 'hidden', timeout: 5_000 })
      .catch(() => undefined);
  }

  private async focusEditorOrWorkbench(): Promise<void> {
    const editorText = this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    if (await editorText.isVisible().catch(() => false)) return;
    await this.page
      .locator('.monaco-workbench')
      .click({ position: { x: 5, y: 5 }, force: true })
      .catch(() => undefined);
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits until its text is rendered. */
  async openFile(relativePath: string): Promise<void> {
    const page = this.page;
    await this.focusEditorOrWorkbench();
    await page.keyboard.press('Control+P');
    const widget = page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(relativePath);
    const name = relativePath.split('/').pop() ?? relativePath;
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      has: page.locator('.label-name', { hasText: name }),
    });
    await row.first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
    await this.activeEditor().locator('.view-line').first().waitFor({ timeout: 15_000 });
  }

  /** The Monaco editor of the active editor group. */
  activeEditor() {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Rendered text of the active editor: visual lines in screen order, wrapped lines joined without a break. */
  async visibleText(): Promise<string> {
    return this.activeEditor().evaluate((root) => {
      const lines = [...root.querySelectorAll<HTMLElement>('.view-lines .view-line')];
      lines.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      // Monaco renders spaces as U+00A0 in the DOM.
      return lines.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')).join('');
    });
  }

  /**
   * Clicks into the editor text (so key presses go to the document) and waits until the editor has focus. The
   * click lands on the top-left of the *visible* text area: `.view-lines` itself starts above the viewport when
   * the editor is scrolled, so a point relative to it can be off screen or under another part.
   */
  async focusEditor(): Promise<void> {
    const point = await this.activeEditor().evaluate((root) => {
      const guard = (root.querySelector('.overflow-guard') ?? root).getBoundingClientRect();
      const text = (root.querySelector('.view-lines') ?? root).getBoundingClientRect();
      return { x: Math.max(text.left, guard.left) + 4, y: Math.max(text.top, guard.top) + 4 };
    });
    await this.page.mouse.click(point.x, point.y);
    await this.page.locator('.editor-group-container.active .monaco-editor.focused').first().waitFor({ timeout: 5_000 });
  }

  /**
   * Brings the workbench back to one empty editor group with no side bars, panel, hover, quick input or toasts,
   * so a scenario does not depend on what the one before it left open (webview panels beside the editor, a
   * sidebar view, a scrolled editor). A dirty editor is closed without saving.
   */
  async resetLayout(): Promise<void> {
    const page = this.page;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await this.dismissNotifications();
    const visible = (selector: string) =>
      page
        .locator(selector)
        .first()
        .isVisible()
        .catch(() => false);
    if ((await page.locator('.editor-group-container').count()) > 1 || (await page.locator('.tabs-container .tab').count()) > 0) {
      await this.runCommand('View: Close All Editor Groups');
      const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: /Don.t Save/ });
      await dontSave
        .first()
        .click({ timeout: 1_500 })
        .catch(() => undefined);
    }
    if (await visible('.part.sidebar')) await this.runCommand('View: Close Primary Side Bar');
    if (await visible('.part.auxiliarybar')) await this.runCommand('View: Hide Secondary Side Bar');
    if (await visible('.part.panel')) await this.runCommand('View: Hide Panel');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.tabs-container .tab').length === 0 && document.querySelectorAll('.editor-group-container').length === 1,
      undefined,
      { timeout: 10_000 },
    );
  }

  /**
   * Texts covered by decoration overlays (`backgroundColor`/`border` decorations), grouped by their `ced-…` class.
   * Pieces of one decoration split by word wrap are joined. Only what is in the viewport can be read.
   */
  async textUnderOverlays(classPattern = /^ced-/): Promise<DecoratedText[]> {
    return this.activeEditor().evaluate(readOverlayText, {
      source: classPattern.source,
      flags: classPattern.flags,
      overlaySelector: '.view-overlays .cdr',
    });
  }

  /** Texts of `inlineClassName` decorations (`color`, `textDecoration`, … ): the spans themselves carry the class. */
  async inlineDecorations(classPattern = /^ced-/): Promise<DecoratedText[]> {
    return this.activeEditor().evaluate(
      (root, { source, flags }) => {
        const pattern = new RegExp(source, flags);
        const out: { className: string; text: string }[] = [];
        const lines = [...root.querySelectorAll<HTMLElement>('.view-lines .view-line')];
        lines.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
        let last: { className: string; text: string; end: Element | null } | undefined;
        for (const line of lines) {
          for (const span of line.querySelectorAll<HTMLElement>('span[class]')) {
            const cls = [...span.classList].find((c) => pattern.test(c));
            if (!cls || !span.textContent) continue;
            const text = span.textContent.replace(/\u00a0/g, ' ');
            // Adjacent spans of one decoration (tokenization splits them) are joined.
            if (last && last.className === cls && last.end === span.previousElementSibling) {
              last.text += text;
              last.end = span;
            } else {
              last = { className: cls, text, end: span };
              out.push(last);
            }
          }
        }
        return out.map(({ className, text }) => ({ className, text }));
      },
      { source: classPattern.source, flags: classPattern.flags },
    );
  }

  /** `contentText` of `before`/`after` decorations in the editor, as the browser renders them. */
  async pseudoContent(): Promise<DecoratedText[]> {
    return this.activeEditor().evaluate((root) => {
      const out: { className: string; text: string }[] = [];
      for (const span of root.querySelectorAll<HTMLElement>('.view-lines span[class*="ced-"]')) {
        for (const pseudo of ['::before', '::after']) {
          const content = getComputedStyle(span, pseudo).content;
          if (content && content !== 'none' && content !== 'normal') {
            out.push({ className: [...span.classList].find((c) => c.startsWith('ced-')) ?? '', text: content.replace(/^"|"$/g, '') });
          }
        }
      }
      return out;
    });
  }

  /** The selected text in the active editor, read from the selection overlay. */
  async selectedText(): Promise<string> {
    return (await this.selectedPieces()).join('');
  }

  /** Each selection (multi-cursor: several) as text, in screen order. */
  async selectedPieces(): Promise<string[]> {
    const pieces = await this.activeEditor().evaluate(readOverlayText, {
      source: '^selected-text$',
      flags: '',
      overlaySelector: '.view-overlays .selected-text',
    });
    return pieces.map((p) => p.text);
  }

  /** Decorated texts whatever the decoration style: overlays (background/border) if any, else inline spans. */
  async decoratedTexts(): Promise<DecoratedText[]> {
    const overlays = await this.textUnderOverlays();
    return overlays.length > 0 ? overlays : this.inlineDecorations();
  }

  /** Status bar text of the selection item, e.g. "Ln 1, Col 5 (12 selected)". */
  async selectionStatus(): Promise<string> {
    return (await this.page.locator('[id="status.editor.selection"]').innerText()).trim();
  }

  /** Moves the mouse over the first rendered occurrence of `word` and returns the hover widget's text. */
  async hover(word: string, timeoutMs = 15_000): Promise<string> {
    const page = this.page;
    const box = await this.activeEditor().evaluate((root, needle) => {
      for (const line of root.querySelectorAll<HTMLElement>('.view-lines .view-line')) {
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = (node.textContent ?? '').replace(/\u00a0/g, ' ');
          const at = text.indexOf(needle);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + needle.length);
          const r = range.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }
      }
      return undefined;
    }, word);
    if (!box) throw new Error(`"${word}" is not rendered in one piece in the active editor`);
    // Moving away first makes a second hover on the same word open again.
    await page.mouse.move(box.x, box.y + 200);
    await page.mouse.move(box.x, box.y, { steps: 4 });
    const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content');
    await hover.first().waitFor({ state: 'visible', timeout: timeoutMs });
    // Providers answer asynchronously; wait for the "Loading..." placeholder to go.
    await page.waitForFunction(
      () => {
        const el = document.querySelector('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content');
        return !!el && !/Loading\.\.\./.test((el as HTMLElement).innerText);
      },
      undefined,
      { timeout: timeoutMs },
    );
    // The widget fades in; a screenshot taken before the fade ends shows the text behind it through the hover.
    await hover
      .first()
      .evaluate((el) => {
        const widget = el.closest('.monaco-hover') ?? el;
        return Promise.all(widget.getAnimations({ subtree: true }).map((a) => a.finished.catch(() => undefined)));
      })
      .catch(() => undefined);
    return hover.first().innerText();
  }

  /** The hover widget element (for links: `hoverWidget().locator('a')`). */
  hoverWidget() {
    return this.page.locator('.monaco-editor .monaco-hover:not(.hidden)').first();
  }

  /**
   * The inner frame of a visible webview (panel or view) holding the extension's HTML. `predicate` picks one
   * when several webviews are open, by a marker in its DOM, e.g. `(f) => f.locator('[data-testid="qa-question"]')
   * .count().then((n) => n > 0)`.
   */
  async webviewFrame(predicate?: (frame: Frame) => Promise<boolean>, timeoutMs = 20_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        const parent = frame.parentFrame();
        const inner = /\/pre\/fake\.html/.test(frame.url()) || frame.name() === 'active-frame';
        if (!inner || !parent || !/webview/.test(parent.url())) continue;
        if (frame.isDetached()) continue;
        // A hidden view or a panel in a background tab keeps its iframe; only what the user can see counts.
        const outer = await parent.frameElement().catch(() => undefined);
        if (!outer || !(await outer.isVisible().catch(() => false))) continue;
        const ready = await frame
          .evaluate(() => document.readyState === 'complete' && !!document.body?.childElementCount)
          .catch(() => false);
        if (!ready) continue;
        if (!predicate || (await predicate(frame).catch(() => false))) return frame;
      }
      await this.page.waitForTimeout(250);
    }
    const urls = this.page.frames().map((f) => `${f.name()} ${f.url()}`);
    throw new Error(`no matching webview frame within ${timeoutMs} ms; frames:\n${urls.join('\n')}`);
  }

  /** Saves a full-window PNG under test-results/screenshots/ and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotDir, { recursive: true });
    const file = join(screenshotDir, `${safeName(name)}.png`);
    if (!this.page) throw new Error('no page to capture');
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Runs one scenario step; on failure saves `FAILED-<name>.png` and rethrows with the step name, the last
   * browser console lines and the end of the code-server log, so a CI failure says where it stopped.
   */
  async step<T>(name: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      const shot = await this.screenshot(`FAILED-${name}`).catch(() => '(no screenshot)');
      const message = error instanceof Error ? error.message : String(error);
      const wrapped = new Error(
        `step "${name}" failed: ${message}\nscreenshot: ${shot}\n--- browser console (last 20) ---\n` +
          `${this.consoleLog.slice(-20).join('\n')}\n--- code-server log (end) ---\n${this.serverLog.slice(-3000)}`,
      );
      (wrapped as Error & { cause?: unknown }).cause = error;
      throw wrapped;
    }
  }

  logs(): { server: string; console: string[] } {
    return { server: this.serverLog, console: [...this.consoleLog] };
  }

  private killServer(): void {
    const pid = this.server?.pid;
    if (pid && this.server?.exitCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** Closes the browser, kills code-server's process group and removes the temporary profile. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.browser?.close().catch(() => undefined);
    this.killServer();
    if (!this.options.keepProfile) rmSync(this.profileDir, { recursive: true, force: true });
  }
}

export interface DecoratedText {
  className: string;
  text: string;
}

/**
 * Runs in the page: the characters of `.view-lines` whose centres lie inside overlay elements (matching
 * `overlaySelector` with a class matching the pattern), one entry per overlay element, joined across wraps.
 */
function readOverlayText(
  root: Element,
  { source, flags, overlaySelector }: { source: string; flags: string; overlaySelector: string },
): { className: string; text: string }[] {
  const pattern = new RegExp(source, flags);
  const lines = [...root.querySelectorAll<HTMLElement>('.view-lines .view-line')]
    .map((el) => ({ el, rect: el.getBoundingClientRect() }))
    .sort((a, b) => a.rect.top - b.rect.top);
  // Character boxes of every rendered visual line.
  const chars = lines.map(({ el, rect }) => {
    const boxes: { ch: string; x: number; right: number }[] = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (let i = 0; i < text.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const r = range.getBoundingClientRect();
        boxes.push({ ch: text[i] === '\u00a0' ? ' ' : text[i], x: r.left + r.width / 2, right: r.right });
      }
    }
    return { top: rect.top, bottom: rect.bottom, boxes };
  });
  const pieces: { className: string; text: string; line: number; startsLine: boolean; endsLine: boolean; left: number }[] = [];
  for (const overlay of root.querySelectorAll<HTMLElement>(overlaySelector)) {
    const className = [...overlay.classList].find((c) => pattern.test(c));
    if (!className) continue;
    const r = overlay.getBoundingClientRect();
    if (r.width === 0) continue;
    const midY = r.top + r.height / 2;
    const line = chars.findIndex((l) => midY >= l.top && midY < l.bottom);
    if (line < 0) continue;
    const boxes = chars[line].boxes;
    const inside = boxes.map((b, i) => ({ b, i })).filter(({ b }) => b.x >= r.left && b.x <= r.right);
    if (inside.length === 0) continue;
    const text = inside.map(({ b }) => b.ch).join('');
    pieces.push({
      className,
      text,
      line,
      left: r.left,
      startsLine: inside[0].i === 0,
      endsLine: inside[inside.length - 1].i === boxes.length - 1,
    });
  }
  pieces.sort((a, b) => a.line - b.line || a.left - b.left);
  const out: { className: string; text: string }[] = [];
  let previous: (typeof pieces)[number] | undefined;
  for (const piece of pieces) {
    const joins =
      previous && previous.className === piece.className && previous.endsLine && piece.startsLine && piece.line === previous.line + 1;
    if (joins) out[out.length - 1].text += piece.text;
    else out.push({ className: piece.className, text: piece.text });
    previous = piece;
  }
  return out;
}

/** Writes ChemProt abstracts (pmid, title, abstract; text = title + " " + abstract) as `<pmid>.txt` files. */
export function writeChemProtWorkspace(folder: string, tsvPath: string, limit = Infinity): { pmid: string; file: string; text: string }[] {
  mkdirSync(folder, { recursive: true });
  const rows = readFileSync(tsvPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0);
  const out: { pmid: string; file: string; text: string }[] = [];
  for (const row of rows.slice(0, limit)) {
    const [pmid, title, abstract] = row.split('\t');
    if (!pmid || title === undefined || abstract === undefined) continue;
    const text = `${title} ${abstract}`;
    const file = join(folder, `${pmid}.txt`);
    writeFileSync(file, `${text}\n`);
    out.push({ pmid, file, text });
  }
  return out;
}
