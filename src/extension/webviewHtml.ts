// Owns the HTML shell of both webviews: strict CSP, nonce-only scripts, no document text (that arrives as messages).
import { randomBytes } from 'node:crypto';

export interface WebviewShell {
  title: string;
  /** webview.cspSource: the origin the webview's local resources are served from. */
  cspSource: string;
  scriptUri: string;
  styleUris: readonly string[];
  /** Fresh per render; only scripts carrying it run. */
  nonce: string;
}

export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
  ].join('; ');
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;', "'": '&#39;' };

/** For the few host-made values put into attributes (URIs, the title); never used for document text. */
export function escapeAttribute(value: string): string {
  return value.replace(/[&"<>']/g, (c) => ATTRIBUTE_ESCAPES[c]);
}

export function webviewHtml(shell: WebviewShell): string {
  const styles = shell.styleUris
    .map((uri) => `<link rel="stylesheet" nonce="${escapeAttribute(shell.nonce)}" href="${escapeAttribute(uri)}">`)
    .join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(shell.cspSource, shell.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeAttribute(shell.title)}</title>
  </head>
  <body>
    <main id="app" aria-live="polite"></main>
    <script nonce="${escapeAttribute(shell.nonce)}" src="${escapeAttribute(shell.scriptUri)}"></script>
  </body>
</html>`;
}
