/**
 * Serves the framework pages from any node:http app: `GET /frameworks/{name}` (the page) and
 * `GET /frameworks/{name}.js` (its bundle, built on first request and kept, so an app that never
 * shows them never loads the four compilers).
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FRAMEWORKS, type Framework } from './frameworks.js';
import { renderFrameworkPage } from './page.js';
import type { FrameworkPageConfig } from './shared/config.js';

/** The path prefix the pages are served under. */
export const FRAMEWORKS_PATH = '/frameworks';

export interface FrameworkRoutesOptions {
  /** The page's configuration for this request (an app reads its signed-in user's choices). */
  config(req: IncomingMessage, res: ServerResponse): FrameworkPageConfig | Promise<FrameworkPageConfig>;
}

/** Handles a request if it is for a framework page; resolves `false` when it is not. */
export type FrameworkRoutes = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * Creates the route handler.
 * @example
 * const frameworks = createFrameworkRoutes({ config: () => ({ tokenEndpoint: '/embed-token', … }) });
 * createServer(async (req, res) => { if (!(await frameworks(req, res))) notFound(res); });
 */
export function createFrameworkRoutes(options: FrameworkRoutesOptions): FrameworkRoutes {
  const bundles = new Map<Framework, Promise<string>>();
  const bundle = (framework: Framework): Promise<string> => {
    let code = bundles.get(framework);
    if (!code) {
      // Imported on first use: esbuild and the compilers cost a second to load.
      code = import('./build.js').then(({ buildFrameworkPage }) => buildFrameworkPage(framework));
      // A failed build is not kept: the next request tries again (after a fix, in development).
      code.catch(() => bundles.delete(framework));
      bundles.set(framework, code);
    }
    return code;
  };

  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://app.invalid').pathname;
    const match = /^\/frameworks\/([a-z]+)(\.js)?$/.exec(path);
    const framework = FRAMEWORKS.find((name) => name === match?.[1]);
    if (!framework || req.method !== 'GET') return false;
    if (match![2]) {
      send(res, 200, 'text/javascript; charset=utf-8', await bundle(framework));
    } else {
      const config = await options.config(req, res);
      send(res, 200, 'text/html; charset=utf-8', renderFrameworkPage(framework, `${FRAMEWORKS_PATH}/${framework}.js`, config));
    }
    return true;
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}
