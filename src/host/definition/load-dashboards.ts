/**
 * Reads dashboard definitions from JSON files (a folder of them, or a list), validating each and
 * refusing two files that claim the same dashboard id.
 * @module
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DashboardDefinitionError, parseDashboardDefinition } from './dashboard-definition.js';
import type { DashboardDefinition } from '../types.js';

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
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new DashboardDefinitionError(file, '', `cannot be read: ${(error as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new DashboardDefinitionError(file, '', `is not valid JSON${locateJsonError(text, error as Error)}: ${(error as Error).message}`);
    }
    dashboards.push(parseDashboardDefinition(json, file));
  }
  assertUniqueIds(dashboards);
  return dashboards;
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

/**
 * ` at line L, column C` for a JSON.parse error that gives a position (V8 gives a character
 * offset, which nobody can find in an editor); `''` when it gives none.
 */
function locateJsonError(text: string, error: Error): string {
  const match = /at position (\d+)/.exec(error.message);
  if (!match) return '';
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}
