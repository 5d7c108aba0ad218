/**
 * The dashboard files as `chartio-embed dev` serves them: watched (fs.watch on the folder, with
 * a debounce, since an editor's save is several events), each file re-read and tenant-checked on
 * its data source, the last good version of a file kept serving while its new one is broken, and
 * each file's problem kept for the terminal and the index page.
 * @module
 */
import { watch, type FSWatcher } from 'node:fs';
import { checkDashboardParameters } from '../../host/definition/check-parameters.js';
import { loadEachDashboardFile } from '../../host/definition/load-dashboards.js';
import type { DashboardDefinition, DataSource } from '../../host/types.js';

/** What one reload found: the dashboards served now, and the files' problems. */
export interface DevSnapshot {
  readonly dashboards: readonly DashboardDefinition[];
  /** One line per broken file: `{file}: {field} {problem}`. */
  readonly problems: readonly string[];
}

/** Options of {@link watchDashboards}. */
export interface WatchOptions {
  /** The folder of dashboard files. */
  readonly folder: string;
  /** Each dashboard's data source (undefined: none fits, reported as a problem). */
  readonly sourceOf: (dashboard: DashboardDefinition) => DataSource | undefined;
  /** Called after each reload (the first included) with what it found. */
  readonly onReload: (snapshot: DevSnapshot) => void;
  /** Milliseconds of quiet after a change before reading the files (default 100). */
  readonly debounceMs?: number;
}

/** The watched dashboards: the latest snapshot, and `close()`. */
export interface WatchedDashboards {
  current(): DevSnapshot;
  /** Resolves once no reload is pending or running: a view waits for it, so a saved change is live at the next view. */
  settled(): Promise<void>;
  close(): void;
}

/**
 * Reads the folder once, then again after each change.
 *
 * @example
 * const watched = await watchDashboards({ folder: 'dashboards', sourceOf: () => duckdb, onReload: (s) => console.log(s.problems) });
 * watched.current().dashboards; // the good ones, last good versions of broken files included
 */
export async function watchDashboards(options: WatchOptions): Promise<WatchedDashboards> {
  const lastGood = new Map<string, DashboardDefinition>();
  let snapshot: DevSnapshot = { dashboards: [], problems: [] };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  // Resolved when the reload the pending timer leads to has finished.
  let pending: { promise: Promise<void>; resolve: () => void } | undefined;

  const reload = async () => {
    let problems: string[];
    let fresh: DashboardDefinition[];
    try {
      ({ dashboards: fresh, problems } = await loadEachDashboardFile(options.folder));
    } catch (error) {
      // The folder itself (emptied, removed): everything last good keeps serving.
      snapshot = { dashboards: [...lastGood.values()], problems: [(error as Error).message] };
      options.onReload(snapshot);
      return;
    }
    const files = new Set(fresh.map((dashboard) => dashboard.source));
    for (const problem of problems) files.add(problem.slice(0, problem.indexOf(': ')));
    // A file that is gone is no longer served; a broken one keeps its last good version.
    for (const file of lastGood.keys()) if (!files.has(file)) lastGood.delete(file);
    for (const dashboard of fresh) {
      const source = options.sourceOf(dashboard);
      try {
        if (!source) throw new Error(`${dashboard.source}: dataSource ${dashboard.dataSource === undefined ? 'is required, since the host has several data sources' : `"${dashboard.dataSource}" is not one of the host's data sources`}`);
        await checkDashboardParameters(dashboard, source);
        lastGood.set(dashboard.source, dashboard);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    // Two files claiming one id: the newer claim is refused, the first keeps it.
    const ids = new Map<number, string>();
    for (const [file, dashboard] of [...lastGood]) {
      const earlier = ids.get(dashboard.id);
      if (earlier !== undefined) {
        lastGood.delete(file);
        problems.push(`${file}: id ${dashboard.id} is already used by ${earlier}`);
      } else ids.set(dashboard.id, file);
    }
    snapshot = { dashboards: [...lastGood.values()], problems };
    options.onReload(snapshot);
  };

  const schedule = () => {
    if (!pending) {
      let resolve!: () => void;
      pending = { promise: new Promise<void>((done) => (resolve = done)), resolve };
    }
    clearTimeout(timer);
    timer = setTimeout(() => {
      const done = pending!.resolve;
      timer = undefined;
      pending = undefined;
      running = running.then(reload).finally(done);
    }, options.debounceMs ?? 100);
  };

  await reload();
  const watcher: FSWatcher = watch(options.folder, () => schedule());
  watcher.on('error', () => undefined); // the folder removed: the last snapshot keeps serving
  return {
    current: () => snapshot,
    async settled() {
      await pending?.promise;
      await running;
    },
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
