// Owns what both webviews share on the host side: options (scripts, roots), the HTML, the ready handshake, checked
// messages in, reset when hidden and cleanup when closed (connectWebview), and revealing spans they send back.
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

export interface WebviewHandlers<In extends { type: string }> {
  /** Checks a raw message (src/shared/webviewProtocol.ts); undefined drops it. */
  parse(raw: unknown): In | undefined;
  /** The script (re)loaded and listens: send it the whole state. */
  ready(): void;
  message(message: Exclude<In, { type: 'ready' }>): void;
  disposed(): void;
}

/**
 * The one lifecycle of both webviews (the relations panel and the Questions view): options and HTML, messages checked
 * before they are handled, the channel reset while hidden (a hidden webview is unloaded and says "ready" again when
 * shown), and every listener dropped when it closes.
 */
export function connectWebview<Out, In extends { type: string }>(
  container: vscode.WebviewPanel | vscode.WebviewView,
  extensionUri: vscode.Uri,
  bundle: 'relations' | 'qa',
  title: string,
  handlers: WebviewHandlers<In>,
): ReadyChannel<Out> {
  const { webview } = container;
  webview.options = webviewOptions(extensionUri);
  const channel = new ReadyChannel<Out>(webview);
  const onHidden = (): void => {
    if (!container.visible) channel.reset();
  };
  const listeners: vscode.Disposable[] = [
    webview.onDidReceiveMessage((raw: unknown) => {
      const message = handlers.parse(raw);
      if (!message) return;
      if (message.type === 'ready') {
        channel.markReady();
        handlers.ready();
      } else handlers.message(message as Exclude<In, { type: 'ready' }>);
    }),
    'onDidChangeViewState' in container ? container.onDidChangeViewState(onHidden) : container.onDidChangeVisibility(onHidden),
  ];
  listeners.push(
    container.onDidDispose(() => {
      channel.reset();
      for (const l of listeners) l.dispose();
      handlers.disposed();
    }),
  );
  renderWebview(webview, extensionUri, bundle, title);
  return channel;
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
