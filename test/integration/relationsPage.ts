// The relations panel's webview bundle alone in Debian chromium (no editor): the page the panel tests and the panel
// benchmark drive. The bundle is built by esbuild as for the extension, with media/webview.css and a stand-in for
// VS Code's webview API that records what the panel posts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './codeServer';

export const CHROMIUM = process.env.BIOM_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
}

async function relationsBundle(): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [join(repoRoot, 'webview', 'relations', 'main.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/** Some Dark Modern theme variables, so the page looks like the panel in the editor. */
const DARK_THEME = `:root {
  --vscode-foreground: #cccccc; --vscode-editor-background: #1f1f1f; --vscode-font-family: sans-serif;
  --vscode-font-size: 13px; --vscode-descriptionForeground: #9d9d9d; --vscode-focusBorder: #0078d4;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-button-secondaryBackground: #313131;
  --vscode-button-secondaryForeground: #cccccc; --vscode-dropdown-background: #313131; --vscode-dropdown-foreground: #cccccc;
  --vscode-errorForeground: #f85149; --vscode-list-activeSelectionBackground: #04395e; --vscode-list-activeSelectionForeground: #ffffff;
}`;

/**
 * A page running the relations webview. `window.posted` holds the messages it sent to the host; post host messages
 * with `page.evaluate((m) => window.postMessage(m, '*'), message)`.
 */
export async function openRelationsPage(browser: Browser, viewport: { width: number; height: number }): Promise<Page> {
  const css = readFileSync(join(repoRoot, 'media', 'webview.css'), 'utf8');
  const page = await browser.newPage({ viewport });
  await page.setContent(
    `<!DOCTYPE html><html><head><style>${DARK_THEME}</style><style>${css}</style></head><body><main id="app"></main></body></html>`,
  );
  // Functions compiled by tsx (esbuild keepNames) call a helper the page lacks.
  await page.evaluate('window.__name = (f) => f;');
  await page.evaluate(`(() => {
    window.posted = [];
    let saved;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.posted.push(m),
      getState: () => saved,
      setState: (s) => { saved = s; },
    });
  })()`);
  await page.addScriptTag({ content: await relationsBundle() });
  return page;
}
