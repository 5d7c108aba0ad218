/**
 * The framework pages' configuration inside the demo app (`npm start`): the signed-in account's
 * users for the user picker, the demo's dashboards, and its token endpoint. A first-time visitor
 * is signed in as the first account, as on the demo's main page.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppOptions } from '../app/server.js';
import { visitor } from '../app/visitor.js';
import type { FrameworkPageConfig } from './shared/config.js';

/**
 * Builds the `config` option of `createFrameworkRoutes` for the demo app.
 * @example
 * const frameworks = createFrameworkRoutes({ config: demoFrameworkConfig(options) });
 */
export function demoFrameworkConfig(options: Pick<AppOptions, 'sessions' | 'accounts' | 'database' | 'dashboards' | 'dashboardBase'>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<FrameworkPageConfig> => {
    const { users } = await visitor(req, res, options);
    return {
      tokenEndpoint: '/embed-token',
      dashboardBase: options.dashboardBase,
      dashboards: options.dashboards.map(({ id, title }) => ({ id, title })),
      users: [{ id: '', name: 'All users' }, ...users],
      dateRange: ['2015-01-01', '2015-12-31'],
    };
  };
}
