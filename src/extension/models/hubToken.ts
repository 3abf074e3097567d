// Owns which access token goes to which hub: a token is stored per hub origin and sent only there; HF_TOKEN only to
// huggingface.co (no 'vscode' here, so the rule is testable).
import { DEFAULT_HUB_URL } from '../../core/models/hubHttp';

const SECRET_PREFIX = 'biom.hubToken:';

/** The origin a hub URL names (scheme, host, port), or undefined for a URL that does not parse. */
export function hubOrigin(hubUrl: string): string | undefined {
  try {
    return new URL(hubUrl).origin;
  } catch {
    return undefined;
  }
}

/** The secret-storage key for a hub's token: one per origin, so a token typed for one hub never goes to another. */
export function tokenSecretKey(hubUrl: string): string {
  return `${SECRET_PREFIX}${hubOrigin(hubUrl) ?? hubUrl}`;
}

/** HF_TOKEN / HUGGING_FACE_HUB_TOKEN are Hugging Face's: used for huggingface.co only, never for another hub. */
export function environmentTokenFor(hubUrl: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (hubOrigin(hubUrl) !== hubOrigin(DEFAULT_HUB_URL)) return undefined;
  return env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined;
}
