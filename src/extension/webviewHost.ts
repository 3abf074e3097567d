// Owns what both webviews share on the host side: options (scripts, roots), the HTML, and the ready handshake.
import * as vscode from 'vscode';
import type { EditorTracker } from './editorTracker';
import { createNonce, webviewHtml } from './webviewHtml';
import { mayReveal } from './revealPolicy';

/** Only the built webview bundles and media (css, icons) are loadable; nothing from node_modules or the workspace. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function renderWebview(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: 'relations' | 'qa', title: string): void {
  webview.html = webviewHtml({
    title,
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${bundle}.js`)).toString(),
    styleUris: [webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css')).toString()],
  });
}

/**
 * Posts only after the webview said "ready": messages sent while its script is still loading are lost, so until then
 * nothing is sent and the host sends its whole state on "ready" instead. A webview reloaded (hidden and shown again
 * without retainContextWhenHidden) says "ready" again.
 */
export class ReadyChannel<M> {
  private ready = false;

  constructor(private readonly webview: vscode.Webview) {}

  post(message: M): void {
    if (this.ready) void this.webview.postMessage(message);
  }

  markReady(): void {
    this.ready = true;
  }

  reset(): void {
    this.ready = false;
  }

  get isReady(): boolean {
    return this.ready;
  }
}

/**
 * Selects spans a webview sent back (a relation's mentions, an answer) in the document the panel belongs to.
 * positionAt clamps offsets, so spans of a document that has shrunk since they were sent stay valid.
 */
export function revealSpans(
  editors: Pick<EditorTracker, 'select'>,
  uri: string,
  spans: readonly { start: number; end: number }[],
  owner: string | undefined,
): void {
  if (!mayReveal(uri, owner)) return;
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  if (!document) return;
  const ranges = spans.map((s) => new vscode.Range(document.positionAt(s.start), document.positionAt(s.end)));
  void editors.select(document, ranges);
}
