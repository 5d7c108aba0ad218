/**
 * A dev server's proxy, as Vite's `server.proxy` and Angular's `proxy.conf.json` (which Angular's
 * dev server hands to Vite) behave: a path that matches a rule is forwarded to the rule's target
 * with every request header as the browser sent it (`Origin`, `Cookie`, `Sec-Fetch-*`), except
 * `Host`, which `changeOrigin: true` rewrites to the target's; no `X-Forwarded-*` is added
 * (http-proxy's `xfwd` is off by default). A string rule is Vite's shorthand for
 * `{ target, changeOrigin: true }`. Every other path stands for the pages the dev server serves
 * itself: forwarded to the app with `Host` left alone.
 * @module
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { listenLocal } from '../../launchers/listen-local.js';

/** One rule of a proxy configuration, as Vite and Angular write it. */
export type ProxyRule = string | { target: string; changeOrigin?: boolean; secure?: boolean };

/** A proxy configuration: path prefix → rule. */
export type ProxyConfig = Record<string, ProxyRule>;

export interface DevProxy {
  /** Where the browser opens the pages: `http://127.0.0.1:{port}`, the dev server's origin. */
  origin: string;
  /**
   * Proxies with `config` from now on, sending every request to `app` (the test's app server) in
   * place of the configuration's own target (`http://localhost:3000` in the files the README quotes).
   */
  use(config: ProxyConfig, app: string): void;
  close(): Promise<void>;
}

/**
 * Starts the proxy on a free port; it answers 502 until {@link DevProxy.use} gives it a configuration.
 * @example
 * const proxy = await startDevProxy();
 * proxy.use({ '/embed-token': 'http://localhost:3000' }, servers.appOrigin); // Vite's shorthand
 * await page.goto(`${proxy.origin}/frameworks/react`);
 */
export async function startDevProxy(): Promise<DevProxy> {
  let rules: Array<[prefix: string, changeOrigin: boolean]> | undefined;
  let app: URL | undefined;
  const server = createServer((req, res) => {
    if (!rules || !app) return void res.writeHead(502).end('no proxy configuration yet');
    const rule = rules.find(([prefix]) => (req.url ?? '/').startsWith(prefix));
    const headers: OutgoingHttpHeaders = { ...req.headers };
    if (rule?.[1]) headers.host = app.host;
    forward(req, res, app, headers);
  });
  const { origin } = await listenLocal(server);
  return {
    origin,
    use(config, appOrigin) {
      rules = Object.entries(config).map(([prefix, rule]) => [prefix, typeof rule === 'string' ? true : rule.changeOrigin === true]);
      app = new URL(appOrigin);
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function forward(req: IncomingMessage, res: ServerResponse, app: URL, headers: OutgoingHttpHeaders): void {
  const upstream = request({ host: app.hostname, port: app.port, method: req.method, path: req.url, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  // The browser went away: drop the upstream request too, as http-proxy does.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
