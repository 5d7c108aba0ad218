/**
 * Reads dashboard definitions from JSON files (a folder of them, or a list), validating each and
 * refusing two files that claim the same dashboard id.
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DashboardDefinitionError, parseDashboardDefinition } from './dashboard-definition.js';
import type { DashboardDefinition } from '../types.js';
import { readJsonFile } from '../read-json-file.js';

/**
 * Loads dashboards from a folder (every `*.json` in it, in name order) or from a list of files.
 * Throws a {@link DashboardDefinitionError} naming the file and field at fault.
 *
 * @example
 * const dashboards = await loadDashboardFiles('demo/dashboards');
 * dashboards.map((d) => d.id); // [38727, 38728]
 */
export async function loadDashboardFiles(location: string | readonly string[]): Promise<DashboardDefinition[]> {
  const files = typeof location === 'string' ? await listJsonFiles(location) : [...location];
  const dashboards: DashboardDefinition[] = [];
  for (const file of files) {
    // At most 1 MiB, and never quoted in a message: a "dashboard" that is a symlink to a secret stays secret.
    const read = await readJsonFile(file);
    if (!read.ok) throw new DashboardDefinitionError(file, '', read.problem);
    dashboards.push(parseDashboardDefinition(read.value, file));
  }
  assertUniqueIds(dashboards);
  return dashboards;
}

/** What {@link loadEachDashboardFile} read: the files that are fine, and a problem per file that is not. */
export interface EachDashboardFile {
  readonly dashboards: DashboardDefinition[];
  /** `{file}: {field} {problem}`, one per broken file (or a second file claiming an id). */
  readonly problems: string[];
}

/**
 * Like {@link loadDashboardFiles}, but a broken file does not stop the others: for tools that
 * report every problem (`chartio-embed check`) or keep serving the good ones (`chartio-embed
 * dev`). A folder that cannot be listed, or holds no file, still throws.
 *
 * @example
 * const { dashboards, problems } = await loadEachDashboardFile('dashboards');
 * problems; // ['dashboards/2.json: charts[0].type must be one of number, line, bar, table, got "pie"']
 */
export async function loadEachDashboardFile(folder: string): Promise<EachDashboardFile> {
  const dashboards: DashboardDefinition[] = [];
  const problems: string[] = [];
  const seen = new Map<number, string>();
  for (const file of await listJsonFiles(folder)) {
    const read = await readJsonFile(file);
    try {
      if (!read.ok) throw new DashboardDefinitionError(file, '', read.problem);
      const dashboard = parseDashboardDefinition(read.value, file);
      const earlier = seen.get(dashboard.id);
      if (earlier !== undefined) throw new DashboardDefinitionError(file, 'id', `${dashboard.id} is already used by ${earlier}`);
      seen.set(dashboard.id, file);
      dashboards.push(dashboard);
    } catch (error) {
      if (!(error instanceof DashboardDefinitionError)) throw error;
      problems.push(error.message);
    }
  }
  return { dashboards, problems };
}

/**
 * Throws when two definitions share an id, naming both sources.
 *
 * @example
 * assertUniqueIds([a, b]); // throws 'b.json: id 38727 is already used by a.json'
 */
export function assertUniqueIds(dashboards: readonly DashboardDefinition[]): void {
  const seen = new Map<number, string>();
  for (const dashboard of dashboards) {
    const earlier = seen.get(dashboard.id);
    if (earlier !== undefined) {
      throw new DashboardDefinitionError(dashboard.source, 'id', `${dashboard.id} is already used by ${earlier}`);
    }
    seen.set(dashboard.id, dashboard.source);
  }
}

async function listJsonFiles(folder: string): Promise<string[]> {
  let names: string[];
  try {
    if (!(await stat(folder)).isDirectory()) throw new Error('not a folder');
    names = await readdir(folder);
  } catch (error) {
    throw new DashboardDefinitionError(folder, '', `cannot be listed as a folder of dashboard files: ${(error as Error).message}`);
  }
  const files = names.filter((name) => name.endsWith('.json')).sort().map((name) => join(folder, name));
  if (files.length === 0) throw new DashboardDefinitionError(folder, '', 'holds no *.json dashboard files');
  return files;
}
