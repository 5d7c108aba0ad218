/**
 * `npm run bench`: every benchmark, each printed side by side with its baseline as ratios.
 * Pass section names to run only some: `npm run bench -- signing endpoint`.
 * @module
 */
import { benchSigning } from './signing.js';
import { benchEndpoint } from './endpoint.js';
import { benchPublicKeys } from './public-keys.js';
import { benchSize } from './size.js';
import { benchHost } from './host.js';
import { benchCluster } from './host-cluster.js';
import { benchMaxAge } from './host-max-age.js';
import { benchStorm } from './host-storm.js';
import { benchBrowser } from './browser.js';
import { benchColdBrowser } from './browser-cold.js';
import { benchTenantCheck } from './tenant-check.js';
import { benchPageScript } from './page-script.js';
import { benchDrawnCharts } from './drawn-charts.js';
import { benchCheck } from './check.js';

const sections: Record<string, () => Promise<void>> = {
  size: () => benchSize(),
  signing: () => benchSigning(),
  endpoint: () => benchEndpoint(),
  keys: () => benchPublicKeys(),
  host: () => benchHost(),
  cluster: () => benchCluster(),
  'max-age': () => benchMaxAge(),
  storm: () => benchStorm(),
  browser: () => benchBrowser(),
  cold: () => benchColdBrowser(),
  'tenant-check': () => benchTenantCheck(),
  'page-script': () => benchPageScript(),
  charts: () => benchDrawnCharts(),
  check: () => benchCheck(),
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(sections)) {
  if (wanted.length === 0 || wanted.includes(name)) await run();
}
