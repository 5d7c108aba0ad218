/**
 * Public keys from a JWKS document (RFC 7517 §5) at a URL the verifier's owner configured: the
 * signers publish their keys, hosts follow without a restart. The document is fetched when a
 * token names a key id the verifier has not seen, at most once a minute (a stream of tokens with
 * made-up ids cannot turn the host into a request flood), and again in the background once the
 * keys are ten minutes old (a key the signers withdrew stops being accepted). A token naming a
 * known key never waits for the network; while the URL cannot be reached the keys last fetched
 * stay in use. Entries that are not EC P-256 or Ed25519 signing keys with a `kid` are skipped.
 *
 * The URL comes from configuration only: a token's `jku`, `x5u` or `jwk` header is never read.
 * @module
 */
import { KEY_ID } from '../../protocol/index.js';
import { EmbedError } from '../errors.js';
import { LazyKey } from './lazy-key.js';
import { checkPublicKey } from './key-pem.js';
import type { TokenCrypto } from './token-crypto.js';

/** The shortest time between two fetches of the document: a minute. */
export const JWKS_MIN_REFRESH_MS = 60_000;
/** How old the keys may grow before a background refresh: ten minutes. */
export const JWKS_MAX_AGE_MS = 600_000;
/** How long one fetch may take. */
export const JWKS_TIMEOUT_MS = 5_000;
/** The largest document read (a JWKS of a few keys is well under 2 KiB). */
const MAX_JWKS_BYTES = 64 * 1024;

/** Options of {@link JwksKeys}. */
export interface JwksKeysOptions {
  /** `https://signer.example.com/.well-known/jwks.json` (http: too, for a private network). */
  readonly url: string;
  readonly crypto: TokenCrypto;
  /** The clock, in milliseconds since the epoch: what "once a minute" is measured with. */
  readonly now: () => number;
  /** The Fetch API function (default the global `fetch`). */
  readonly fetch?: typeof fetch;
  /** Told, in one line, why a fetch failed or an entry was skipped (default: nobody). */
  readonly onProblem?: (message: string) => void;
}

/**
 * The keys of one JWKS URL, by key id.
 *
 * @example
 * const jwks = new JwksKeys({ url: 'https://signer.example.com/.well-known/jwks.json', crypto: NODE_CRYPTO, now: Date.now });
 * await jwks.refresh(); // the first fetch
 * jwks.get('2026-01'); // a LazyKey, or undefined
 */
export class JwksKeys {
  readonly #options: JwksKeysOptions;
  /** The URL without credentials, query or fragment: what messages show. */
  readonly shownUrl: string;
  #keys = new Map<string, { readonly json: string; readonly key: LazyKey }>();
  #lastAttempt: number | undefined;
  #lastSuccess: number | undefined;
  #pending: Promise<void> | undefined;
  #problem: string | undefined;
  #authorization: string | undefined;

  constructor(options: JwksKeysOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new TypeError('jwksUrl must be an absolute http(s) URL like "https://signer.example.com/.well-known/jwks.json"');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('jwksUrl must be an http(s) URL like "https://signer.example.com/.well-known/jwks.json"');
    if (typeof options.now !== 'function') throw new TypeError('now must be a function returning milliseconds since the epoch');
    const fetcher = options.fetch ?? globalThis.fetch;
    if (typeof fetcher !== 'function') throw new TypeError('fetch must be the Fetch API function (this runtime has no global fetch: pass one)');
    // Fetch refuses a URL with credentials in it: they travel as a Basic Authorization header.
    if (url.username !== '' || url.password !== '') {
      this.#authorization = `Basic ${btoa(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`)}`;
      url.username = '';
      url.password = '';
    }
    this.#options = { ...options, url: url.href, fetch: fetcher };
    this.shownUrl = `${url.origin}${url.pathname}`;
  }

  /** The key with this id, from the document last fetched; starts a background refresh when it is old. */
  get(kid: string): LazyKey | undefined {
    const success = this.#lastSuccess;
    if (success !== undefined && this.#options.now() - success >= JWKS_MAX_AGE_MS) void this.refresh();
    return this.#keys.get(kid)?.key;
  }

  /** The ids of the keys the document held when last fetched. */
  get ids(): readonly string[] {
    return [...this.#keys.keys()];
  }

  /** Why the last fetch failed, when it did (for messages); `undefined` after a success. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /**
   * Fetches the document again unless it was tried less than a minute ago; resolves once the
   * fetch under way (if any) has ended. Never rejects: a failure keeps the keys it had.
   */
  refresh(): Promise<void> {
    if (this.#pending !== undefined) return this.#pending;
    const now = this.#options.now();
    if (this.#lastAttempt !== undefined && now - this.#lastAttempt < JWKS_MIN_REFRESH_MS) return Promise.resolve();
    this.#lastAttempt = now;
    this.#pending = this.#fetchKeys()
      // Whatever went wrong, the keys it had stay: a verifier never rejects for its JWKS.
      .catch(() => this.#failed('could not be read'))
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }

  async #fetchKeys(): Promise<void> {
    let document: unknown;
    try {
      const response = await this.#options.fetch!(this.#options.url, {
        headers: { accept: 'application/jwk-set+json, application/json', ...(this.#authorization === undefined ? {} : { authorization: this.#authorization }) },
        redirect: 'error',
        signal: AbortSignal.timeout(JWKS_TIMEOUT_MS),
      });
      if (response.status !== 200) {
        void response.body?.cancel();
        return this.#failed(`answered HTTP ${response.status}`);
      }
      const text = await response.text();
      if (text.length > MAX_JWKS_BYTES) return this.#failed(`sent ${text.length} bytes, more than a JWKS of ${MAX_JWKS_BYTES} bytes`);
      document = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof SyntaxError ? 'sent something that is not JSON' : `could not be fetched (${error instanceof Error ? error.name : 'error'})`;
      return this.#failed(reason);
    }
    const list = (document as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) return this.#failed('sent JSON without a "keys" list');
    const next = new Map<string, { readonly json: string; readonly key: LazyKey }>();
    for (const [index, entry] of list.entries()) {
      const kid = (entry as { kid?: unknown } | null)?.kid;
      const use = (entry as { use?: unknown } | null)?.use;
      if (typeof kid !== 'string' || !KEY_ID.test(kid) || next.has(kid) || (use !== undefined && use !== 'sig')) {
        this.#options.onProblem?.(`JWKS ${this.shownUrl}: keys[${index}] skipped (it needs a kid of its own, and "use": "sig" or no use)`);
        continue;
      }
      const label = `JWKS ${this.shownUrl} key "${kid}"`;
      try {
        const checked = checkPublicKey(entry, label);
        const json = JSON.stringify(checked.material);
        const known = this.#keys.get(kid);
        // An unchanged key keeps its imported form; a changed one is imported anew.
        next.set(kid, known !== undefined && known.json === json ? known : { json, key: await importedNow(new LazyKey(this.#options.crypto, checked, 'verify', label)) });
      } catch (error) {
        if (!(error instanceof EmbedError)) throw error;
        this.#options.onProblem?.(error.message);
      }
    }
    this.#keys = next;
    this.#lastSuccess = this.#options.now();
    this.#problem = undefined;
  }

  #failed(reason: string): void {
    this.#problem = `the JWKS at ${this.shownUrl} ${reason}`;
    this.#options.onProblem?.(`${this.#problem}; the keys fetched before stay in use`);
  }
}

/** A key imported before it is published, so a damaged entry is skipped rather than kept. */
async function importedNow(key: LazyKey): Promise<LazyKey> {
  await key.get();
  return key;
}
