/**
 * The framework pages' configuration inside the demo app (`npm start`): the signed-in account's
 * users for the user picker, the demo's dashboards, and its token endpoint. A first-time visitor
 * is signed in as the first account, as on the demo's main page.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { visitor, type VisitorOptions } from '../app/visitor.js';
import type { FrameworkPageConfig } from './shared/config.js';

/** What the framework pages' configuration needs from the demo app. */
export interface DemoFrameworkOptions extends VisitorOptions {
  dashboards: ReadonlyArray<{ id: number; title: string }>;
  /** Where the dashboard host serves dashboards: `http://127.0.0.1:8081/d`. */
  dashboardBase: string;
}

/**
 * Builds the `config` option of `createFrameworkRoutes` for the demo app.
 * @example
 * const frameworks = createFrameworkRoutes({ config: demoFrameworkConfig(options) });
 */
export function demoFrameworkConfig(options: DemoFrameworkOptions) {
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
