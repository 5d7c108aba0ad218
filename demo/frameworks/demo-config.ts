/**
 * The framework pages' configuration inside the demo app (`npm start`): the signed-in account's
 * users for the user picker, the demo's dashboards, and its token endpoint. A first-time visitor
 * is signed in as the first account, as on the demo's main page.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppOptions } from '../app/server.js';
import { sessionCookie } from '../sessions.js';
import type { FrameworkPageConfig } from './shared/config.js';

/**
 * Builds the `config` option of `createFrameworkRoutes` for the demo app.
 * @example
 * const frameworks = createFrameworkRoutes({ config: demoFrameworkConfig(options) });
 */
export function demoFrameworkConfig(options: Pick<AppOptions, 'sessions' | 'accounts' | 'database' | 'dashboards' | 'dashboardBase'>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<FrameworkPageConfig> => {
    let account = options.sessions.accountOf(req.headers.cookie);
    if (account === null) {
      account = options.accounts[0]!.id;
      res.setHeader('Set-Cookie', sessionCookie(options.sessions.create(account)));
    }
    const users = await options.database.query(
      'SELECT user_id, name FROM users WHERE account_id = TRY_CAST($ACCT_ID AS INTEGER) ORDER BY name, user_id LIMIT 30',
      { ACCT_ID: { type: 'text', value: account } },
    );
    return {
      tokenEndpoint: '/embed-token',
      dashboardBase: options.dashboardBase,
      dashboards: options.dashboards.map(({ id, title }) => ({ id, title })),
      users: [{ id: '', name: 'All users' }, ...users.rows.map(([id, name]) => ({ id: String(id), name: `${name} (#${id})` }))],
      dateRange: ['2015-01-01', '2015-12-31'],
    };
  };
}
