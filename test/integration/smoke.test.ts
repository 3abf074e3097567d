// Smoke test of the real-editor harness: code-server serves the workbench, a ChemProt abstract opens and shows its
// text, and a small probe extension's decorations, hover, webview and selection are read back the way the BioM
// scenarios (editor.test.ts) read them. Run: npm run test:editor (or node --import tsx --test this file).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Editor, editorUnavailableReason, repoRoot, writeChemProtWorkspace } from './codeServer';

const unavailable = editorUnavailableReason();
// CI sets BIOM_EDITOR_REQUIRED=1 so that a missing editor fails instead of skipping.
if (unavailable && process.env.BIOM_EDITOR_REQUIRED === '1') throw new Error(unavailable);

describe('real editor smoke (code-server + chromium)', { skip: unavailable, timeout: 300_000 }, () => {
  let editor: Editor | undefined;
  let work = '';
  let doc: { pmid: string; file: string; text: string };
  const fileName = () => `${doc.pmid}.txt`;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'biom-smoke-'));
    const docs = writeChemProtWorkspace(join(work, 'workspace'), join(repoRoot, 'test/fixtures/chemprot/development_abstracts.tsv'), 3);
    doc = docs[0];
    const started = Date.now();
    editor = await Editor.start({ workspace: join(work, 'workspace'), vsix: [buildProbeVsix(work)] });
    const t = editor.timings;
    console.log(
      `editor up in ${Date.now() - started} ms (extensions ${t.installExtensionsMs} ms, ` +
        `code-server ${t.serverReadyMs} ms, workbench ${t.workbenchReadyMs} ms)`,
    );
  });

  after(async () => {
    await editor?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('opens a ChemProt abstract and shows its text', async () => {
    const e = editor!;
    await e.step('open-file', () => e.openFile(fileName()));
    const shown = await e.visibleText();
    assert.equal(shown.trim(), doc.text.trim());
    await e.screenshot('smoke-01-file-open');
  });

  it('reads decorations: overlay (background/border), inline (colour) and after-text', async (t) => {
    const e = editor!;
    await e.step('decorate', async () => {
      await e.runCommand(probeCommands.decorate);
      await e.activeEditor().locator('.view-overlays .cdr').first().waitFor({ timeout: 10_000 });
    });
    const expectedChemicals = [...doc.text.matchAll(probeChemical)].map((m) => m[0]);
    const expectedGenes = [...doc.text.matchAll(probeGene)].map((m) => m[0]);
    assert.ok(expectedChemicals.length > 0 && expectedGenes.length > 0, 'fixture has both probe words');

    const overlays = await e.textUnderOverlays();
    t.diagnostic(`overlay classes ${JSON.stringify([...new Set(overlays.map((o) => o.className))])}`);
    assert.deepEqual(
      overlays.map((o) => o.text),
      expectedChemicals,
    );
    assert.equal(new Set(overlays.map((o) => o.className)).size, 1, 'one decoration type, one class');

    const inline = await e.inlineDecorations();
    t.diagnostic(`inline classes ${JSON.stringify([...new Set(inline.map((o) => o.className))])}`);
    assert.deepEqual(
      inline.map((o) => o.text),
      expectedGenes,
    );

    const pseudo = await e.pseudoContent();
    assert.deepEqual(
      pseudo.map((p) => p.text),
      expectedGenes.map(() => probeAfterText),
    );
    await e.screenshot('smoke-02-decorations');
  });

  it('shows a hover over a decorated word', async () => {
    const e = editor!;
    const text = await e.step('hover', () => e.hover('dextrorphan'));
    assert.match(text, /CHEMICAL/);
    assert.match(text, /score 0\.97/);
    assert.equal(await e.hoverWidget().locator('a', { hasText: 'PubChem' }).count(), 1);
    await e.screenshot('smoke-03-hover');
    await e.page.keyboard.press('Escape');
  });

  it('finds the webview frame, shows hostile text literally, and a click selects text in the editor', async (t) => {
    const e = editor!;
    await e.step('webview', () => e.runCommand(probeCommands.showWebview));
    const frame = await e.step('webview-frame', () =>
      e.webviewFrame((f) =>
        f
          .locator('#rows li')
          .count()
          .then((n) => n > 0),
      ),
    );
    t.diagnostic(`webview frame "${frame.name()}" ${frame.url().replace(/\?.*/, '')} in ${frame.parentFrame()?.url().replace(/\?.*/, '')}`);
    assert.equal(await frame.locator('#hostile').innerText(), hostileText);
    assert.equal(await frame.locator('img').count(), 0, 'no element made from document text');
    assert.notEqual(await frame.evaluate(() => document.title), 'pwned');

    await e.step('select-from-webview', async () => {
      await frame.locator('#rows li').nth(0).click();
      await e.page.waitForFunction(
        () => document.querySelector('[id="status.editor.selection"]')?.textContent?.includes('selected'),
        undefined,
        { timeout: 10_000 },
      );
    });
    assert.match(await e.selectionStatus(), /\(11 selected\)/);
    assert.equal((await e.selectedText()).toLowerCase(), 'dextrorphan');
    await e.screenshot('smoke-04-webview-select');
  });
});

// --- The probe: a tiny extension packaged into a VSIX at test time, so the harness's readers (decorations,
// hover, webview, selection) are checked against a real workbench independently of the BioM extension. ---
const probeCommands = {
  decorate: 'BioM Probe: Decorate',
  showWebview: 'BioM Probe: Show Webview',
} as const;

/** Words the probe decorates: CHEMICAL with background + border (overlay), GENE with colour + `after` text (inline). */
const probeChemical = /\bdextrorphan\b/gi;
const probeGene = /sigma-1 receptor/g;
const probeAfterText = ' [GENE]';
/** Shown literally in the probe webview; must not become an element. */
const hostileText = '<img src=x onerror="document.title=\'pwned\'"></script><b>bold?</b>';

const manifest = {
  name: 'biom-probe',
  displayName: 'BioM Probe',
  publisher: 'biom-test',
  version: '0.0.1',
  engines: { vscode: '^1.85.0' },
  main: './extension.js',
  activationEvents: ['onStartupFinished'],
  contributes: {
    commands: [
      { command: 'biomProbe.decorate', title: 'Decorate', category: 'BioM Probe' },
      { command: 'biomProbe.showWebview', title: 'Show Webview', category: 'BioM Probe' },
    ],
  },
};

const extensionJs = String.raw`
const vscode = require('vscode');
const crypto = require('crypto');
const CHEM = ${probeChemical.toString()};
const GENE = ${probeGene.toString()};
function spans(text, re) {
  const out = [];
  for (const m of text.matchAll(new RegExp(re.source, re.flags))) out.push([m.index, m.index + m[0].length]);
  return out;
}
exports.activate = (context) => {
  const chem = vscode.window.createTextEditorDecorationType({
    backgroundColor: 'rgba(255, 120, 60, 0.35)', border: '1px solid rgba(255, 120, 60, 0.9)', borderRadius: '2px' });
  const gene = vscode.window.createTextEditorDecorationType({
    color: '#4fc1ff', fontWeight: 'bold', after: { contentText: ${JSON.stringify(probeAfterText)}, color: '#888888' } });
  let lastEditor;
  const range = (doc, [s, e]) => new vscode.Range(doc.positionAt(s), doc.positionAt(e));
  context.subscriptions.push(chem, gene,
    vscode.commands.registerCommand('biomProbe.decorate', () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      lastEditor = editor;
      const text = editor.document.getText();
      editor.setDecorations(chem, spans(text, CHEM).map((s) => range(editor.document, s)));
      editor.setDecorations(gene, spans(text, GENE).map((s) => range(editor.document, s)));
    }),
    vscode.languages.registerHoverProvider({ language: 'plaintext' }, {
      provideHover(doc, pos) {
        const word = doc.getWordRangeAtPosition(pos, /[A-Za-z0-9-]+/);
        if (!word || !/^dextrorphan$/i.test(doc.getText(word))) return undefined;
        const md = new vscode.MarkdownString('**CHEMICAL** · score 0.97\n\n[PubChem](https://pubchem.ncbi.nlm.nih.gov/#query=dextrorphan)');
        return new vscode.Hover(md, word);
      },
    }),
    vscode.commands.registerCommand('biomProbe.showWebview', () => {
      const editor = lastEditor || vscode.window.activeTextEditor;
      const panel = vscode.window.createWebviewPanel('biomProbe', 'BioM Probe', vscode.ViewColumn.Beside, { enableScripts: true });
      const nonce = crypto.randomBytes(16).toString('base64');
      const rows = editor ? spans(editor.document.getText(), CHEM) : [];
      panel.webview.html = '<!DOCTYPE html><html><head><meta charset="utf-8">' +
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; script-src \'nonce-' + nonce + '\';">' +
        '</head><body><h2 id="title">Probe rows</h2><ul id="rows"></ul><p id="hostile"></p>' +
        '<script nonce="' + nonce + '">' +
        'const vscode = acquireVsCodeApi();' +
        'const rows = ' + JSON.stringify(rows) + ';' +
        'const ul = document.getElementById("rows");' +
        'rows.forEach(([s, e], i) => { const li = document.createElement("li"); li.className = "row"; li.tabIndex = 0;' +
        '  li.textContent = "dextrorphan #" + (i + 1) + " at " + s; li.addEventListener("click", () => vscode.postMessage({ type: "select", start: s, end: e })); ul.appendChild(li); });' +
        'document.getElementById("hostile").textContent = ' + JSON.stringify(${JSON.stringify(hostileText)}).replace(/</g, '\\u003c') + ';' +
        '</script></body></html>';
      panel.webview.onDidReceiveMessage(async (m) => {
        if (!editor || m.type !== 'select') return;
        const r = range(editor.document, [m.start, m.end]);
        await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, selection: r });
      });
    }));
};
exports.deactivate = () => undefined;
`;

/** Writes the probe extension and packs it as a VSIX (a zip: extension.vsixmanifest + extension/). */
function buildProbeVsix(workDir: string): string {
  const root = join(workDir, 'probe-vsix');
  mkdirSync(join(root, 'extension'), { recursive: true });
  writeFileSync(join(root, 'extension', 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(root, 'extension', 'extension.js'), extensionJs);
  writeFileSync(
    join(root, 'extension.vsixmanifest'),
    `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011">
  <Metadata>
    <Identity Language="en-US" Id="${manifest.name}" Version="${manifest.version}" Publisher="${manifest.publisher}" />
    <DisplayName>${manifest.displayName}</DisplayName>
    <Description xml:space="preserve">Test probe</Description>
    <Categories>Other</Categories>
    <Properties><Property Id="Microsoft.VisualStudio.Code.Engine" Value="${manifest.engines.vscode}" /></Properties>
  </Metadata>
  <Installation><InstallationTarget Id="Microsoft.VisualStudio.Code"/></Installation>
  <Dependencies/>
  <Assets><Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" /></Assets>
</PackageManifest>
`,
  );
  writeFileSync(
    join(root, '[Content_Types].xml'),
    `<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension=".json" ContentType="application/json"/><Default Extension=".js" ContentType="application/javascript"/>
  <Default Extension=".vsixmanifest" ContentType="text/xml"/>
</Types>
`,
  );
  const vsix = join(workDir, 'biom-probe.vsix');
  const zip = spawnSync('python3', ['-m', 'zipfile', '-c', vsix, 'extension.vsixmanifest', '[Content_Types].xml', 'extension'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (zip.status !== 0) throw new Error(`packing the probe VSIX failed: ${zip.stderr}`);
  return vsix;
}
