// Owns which document a webview may select text in: only the one its panel shows (webview messages are untrusted).

/**
 * Whether a webview may select text in `requested`: only in the document the panel shows (`owner`). One that names
 * another open document (a settings file, a secret in another tab) is ignored.
 */
export function mayReveal(requested: string, owner: string | undefined): boolean {
  return owner !== undefined && requested === owner;
}
