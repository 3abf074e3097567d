// Owns HTTP to a Hugging Face–compatible hub: HTTPS-only URLs, proxies, redirects re-checked, the token on the hub's
// origin only, cancellation, and bodies consumed as they arrive (never paused, see `request`).
import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici';
import { CancelledError } from '../errors';
import { HubError } from './hubError';

export const DEFAULT_HUB_URL = 'https://huggingface.co';

export { HubError, type HubErrorCode } from './hubError';

export interface HubConnectionOptions {
  /** Defaults to https://huggingface.co. Must be HTTPS unless it is loopback (127.0.0.1, localhost, [::1]). */
  hubUrl?: string;
  /** Sent as `Authorization: Bearer` to the hub only (never to the CDN it redirects to). */
  token?: string;
  /** Explicit proxy URL; without it HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured. */
  proxy?: string;
  signal?: AbortSignal;
}

export interface ResponseHead {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  url: URL;
}

/** Receives body bytes synchronously as they arrive; throwing stops the transfer with that error. */
export type BodySink = (chunk: Buffer) => void;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const MAX_REDIRECTS = 5;

/** Refuses plain HTTP except to this machine, so a token or a model is never sent or received in the clear. */
export function checkHubUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HubError('insecure-url', `hub URL ${JSON.stringify(raw)} is not a valid URL`);
  }
  if (url.username || url.password)
    throw new HubError('insecure-url', `refusing hub URL ${url.origin}: credentials in the URL would be sent in the clear`);
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return url;
  throw new HubError(
    'insecure-url',
    `refusing hub URL ${url.origin}: only HTTPS is allowed (plain HTTP only for 127.0.0.1, localhost, [::1])`,
  );
}

/** The token conventionally set for the Hugging Face tools; callers decide whether to use it. */
export function tokenFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined;
}

export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
    return `${e.message}${cause}`;
  }
  return String(e);
}

/** HTTP for one pull: proxies, the token on hub requests only, redirects re-checked for HTTPS, cancellation. */
export class HubClient {
  readonly hubUrl: string;
  readonly hubOrigin: string;
  readonly signal: AbortSignal | undefined;
  private readonly token: string | undefined;
  private readonly proxy: string | undefined;
  private readonly dispatchers = new Map<string, Dispatcher>();

  constructor(options: HubConnectionOptions) {
    const url = checkHubUrl(options.hubUrl || DEFAULT_HUB_URL);
    this.hubUrl = url.href.replace(/\/+$/, '');
    this.hubOrigin = url.origin;
    this.token = options.token || undefined;
    this.proxy = options.proxy || undefined;
    this.signal = options.signal;
  }

  get hasToken(): boolean {
    return this.token !== undefined;
  }

  resolveUrl(repo: string, revision: string, path: string): string {
    return `${this.hubUrl}/${repo}/resolve/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  /**
   * GET following up to 5 redirects (each hop must pass checkHubUrl; the token is dropped off the hub's origin).
   * `onHead` sees the final response and returns where its body goes (undefined: discarded). Resolves once the body
   * has ended.
   */
  async get(start: string, headers: Record<string, string>, onHead: (head: ResponseHead) => BodySink | undefined): Promise<ResponseHead> {
    let url = new URL(start);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      checkHubUrl(url.href);
      let redirect: URL | undefined;
      const head = await this.request(url, headers, (h) => {
        const location = h.headers.location;
        if (h.status >= 300 && h.status < 400 && location) {
          redirect = new URL(location, url);
          return undefined;
        }
        return onHead(h);
      });
      if (!redirect) return head;
      url = redirect;
    }
    throw new HubError('network', `too many redirects from ${start}`);
  }

  /** GET of a small document (a listing page): the whole body, refused past `maxBytes`. */
  async getBuffer(url: string, headers: Record<string, string>, maxBytes: number): Promise<{ head: ResponseHead; body: Buffer }> {
    const chunks: Buffer[] = [];
    let size = 0;
    const head = await this.get(url, headers, () => (chunk) => {
      size += chunk.length;
      if (size > maxBytes) throw new HubError('unsafe-listing', `${url} sent more than ${maxBytes} bytes; refusing it`);
      chunks.push(chunk);
    });
    return { head, body: Buffer.concat(chunks) };
  }

  /**
   * One request through undici's dispatcher with the body handed to a synchronous sink. The body is never paused, so
   * undici's HTTP/1 parser is never left paused when a server closes the connection (an HTTP/1.0 server always does):
   * with fetch() and a slow consumer, undici 7.30 threw an uncatchable `assert(!this.paused)` there (nodejs/undici#5360).
   */
  private request(url: URL, headers: Record<string, string>, onHead: (head: ResponseHead) => BodySink | undefined): Promise<ResponseHead> {
    if (this.signal?.aborted) return Promise.reject(new CancelledError());
    const sendToken = this.token !== undefined && url.origin === this.hubOrigin;
    return new Promise<ResponseHead>((resolve, reject) => {
      let head: ResponseHead | undefined;
      let sink: BodySink | undefined;
      let failure: unknown;
      let controller: Dispatcher.DispatchController | undefined;
      let settled = false;
      const settle = (error: unknown): void => {
        if (settled) return;
        settled = true;
        this.signal?.removeEventListener('abort', onAbort);
        if (error !== undefined) reject(this.signal?.aborted ? new CancelledError() : error);
        else resolve(head as ResponseHead);
      };
      // Settled at once: an abort raised inside a data callback only takes effect in undici on the next chunk, which a
      // stalled server never sends; close() destroys the connection afterwards.
      const onAbort = (): void => {
        failure ??= new CancelledError();
        controller?.abort(new CancelledError());
        settle(failure);
      };
      this.signal?.addEventListener('abort', onAbort, { once: true });
      this.dispatcherFor(url).dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: { 'user-agent': 'biom-annotator', ...headers, ...(sendToken ? { authorization: `Bearer ${this.token}` } : {}) },
        },
        {
          onRequestStart: (c) => {
            controller = c;
            if (this.signal?.aborted) c.abort(new CancelledError());
          },
          onResponseStart: (c, status, raw) => {
            const flat: Record<string, string> = {};
            for (const [k, v] of Object.entries(raw))
              if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
            head = { status, headers: flat, url };
            try {
              sink = onHead(head);
            } catch (e) {
              failure = e;
              c.abort(e as Error);
            }
          },
          onResponseData: (c, chunk) => {
            if (failure !== undefined || !sink) return;
            try {
              sink(chunk);
            } catch (e) {
              failure = e;
              c.abort(e as Error);
            }
          },
          onResponseEnd: () => settle(failure),
          onResponseError: (_c, error) => settle(failure ?? error),
        },
      );
    });
  }

  private dispatcherFor(url: URL): Dispatcher {
    // Loopback never goes through a proxy (a test hub or a local mirror); everything else honours the settings.
    const key = LOOPBACK_HOSTS.has(url.hostname) ? 'direct' : this.proxy ? 'proxy' : 'env';
    let dispatcher = this.dispatchers.get(key);
    if (!dispatcher) {
      // A server that stops sending for a minute is treated as a dropped connection (and resumed), not waited on.
      const timeouts = { headersTimeout: 60_000, bodyTimeout: 60_000 };
      dispatcher =
        key === 'direct'
          ? new Agent(timeouts)
          : key === 'proxy'
            ? new ProxyAgent({ uri: this.proxy as string, ...timeouts })
            : new EnvHttpProxyAgent(timeouts);
      this.dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    // destroy(), not close(): after a cancel, a half-read body must not keep the process alive.
    await Promise.all(all.map((d) => d.destroy().catch(() => undefined)));
  }
}

/** A status the user can act on, or a 'network' error worth another (resumed) try. */
export function httpError(status: number, client: HubClient, what: string): HubError {
  if (status === 401 || status === 403) {
    return new HubError(
      'unauthorized',
      `${client.hubUrl} answered ${status} for ${what}: the repository is private, gated or does not exist. ` +
        (client.hasToken
          ? 'Check that the token can read it (and accept the licence on its hub page).'
          : 'Pass a token (--token or HF_TOKEN) if it is private or gated.'),
    );
  }
  if (status === 404)
    return new HubError('not-found', `${what} was not found on ${client.hubUrl} (check the repository id and the revision)`);
  return new HubError(status >= 500 || status === 429 ? 'network' : 'not-found', `${client.hubUrl} answered ${status} for ${what}`);
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
