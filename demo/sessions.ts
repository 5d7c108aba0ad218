/**
 * The demo app's sessions: an opaque random id in an HttpOnly cookie, the account kept on the
 * server. The account is what the token endpoint locks as ACCT_ID, so the browser only ever
 * holds a session id it cannot turn into another account.
 * @module
 */
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'demo_session';

/**
 * An in-memory session store (the demo's stand-in for the host app's own).
 * @example
 * const sessions = createSessions('1');
 * const id = sessions.create(); sessions.accountOf(`demo_session=${id}`); // '1'
 */
export function createSessions(defaultAccount: string) {
  const accounts = new Map<string, string>();
  return {
    create(account = defaultAccount): string {
      const id = randomBytes(18).toString('base64url');
      accounts.set(id, account);
      return id;
    },
    /** The account of the session named in a Cookie header, or null when there is none. */
    accountOf(cookie: string | null | undefined): string | null {
      const id = idFromCookie(cookie);
      return id === null ? null : (accounts.get(id) ?? null);
    },
    /** Switches the session's account, creating a session when there is none; returns its id. */
    switchTo(cookie: string | null | undefined, account: string): string {
      const id = idFromCookie(cookie);
      if (id !== null && accounts.has(id)) {
        accounts.set(id, account);
        return id;
      }
      return this.create(account);
    },
  };
}

/** The Set-Cookie value for a session id. */
export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`;
}

function idFromCookie(cookie: string | null | undefined): string | null {
  const match = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([A-Za-z0-9_-]+)`).exec(cookie ?? '');
  return match ? match[1]! : null;
}
