/**
 * Who is looking at a demo page: the session's account (a first-time visitor is signed in as the
 * first account, so every page works at once) and that account's users, for the user picker.
 * Shared by the main page and the framework pages.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataSource } from '../../src/host/index.js';
import { sessionCookie, type createSessions } from '../sessions.js';

/** What {@link visitor} needs from the app. */
export interface VisitorOptions {
  sessions: ReturnType<typeof createSessions>;
  accounts: ReadonlyArray<{ id: string; name: string }>;
  database: DataSource;
}

/**
 * The visitor's account id and its first 30 users, setting a session cookie when there was none.
 * @example
 * const { account, users } = await visitor(req, res, options); // '1', [{ id: '7', name: 'Ada Knuth (#7)' }, …]
 */
export async function visitor(
  req: IncomingMessage,
  res: ServerResponse,
  options: VisitorOptions,
): Promise<{ account: string; users: Array<{ id: string; name: string }> }> {
  let account = options.sessions.accountOf(req.headers.cookie);
  if (account === null) {
    account = options.accounts[0]!.id;
    res.setHeader('Set-Cookie', sessionCookie(options.sessions.create(account)));
  }
  const { rows } = await options.database.query(
    'SELECT user_id, name FROM users WHERE account_id = $ACCT_ID ORDER BY name, user_id LIMIT 30',
    // The session's account id is digits (the demo's own accounts), bound as the integer it is.
    { ACCT_ID: { type: 'integer', value: BigInt(account) } },
  );
  return { account, users: rows.map(([id, name]) => ({ id: String(id), name: `${name} (#${id})` })) };
}
