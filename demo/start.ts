/**
 * `npm start`: runs the demo on http://localhost:8080 (PORT) with its dashboard host on
 * http://127.0.0.1:8081 (DASHBOARD_PORT), and stops cleanly on Ctrl-C.
 * The Embed Secret is CHARTIO_EMBED_SECRET when set, else generated for this run.
 */
import { startDemo } from './demo.js';

function portFrom(name: string, fallback: number): number {
  const value = process.env[name];
  const port = value === undefined || value === '' ? fallback : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`${name} must be a port number (0-65535), got "${value}".`);
    process.exit(2);
  }
  return port;
}

const started = Date.now();
try {
  const demo = await startDemo({
    port: portFrom('PORT', 8080),
    dashboardPort: portFrom('DASHBOARD_PORT', 8081),
    ...(process.env.CHARTIO_EMBED_SECRET ? { secret: process.env.CHARTIO_EMBED_SECRET } : {}),
  });
  console.log(`chartio-embed demo ready in ${Date.now() - started} ms
  app (with its token endpoint):  ${demo.appUrl}
  dashboard host:                 ${demo.dashboardUrl}  (cache counters: ${demo.dashboardUrl}/stats)
  secret: ${process.env.CHARTIO_EMBED_SECRET ? 'from CHARTIO_EMBED_SECRET' : 'generated for this run'}
Press Ctrl-C to stop.`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await demo.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') console.error(`A port is in use (${(error as Error).message}). Set PORT / DASHBOARD_PORT to free ones.`);
  else console.error(`The demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
