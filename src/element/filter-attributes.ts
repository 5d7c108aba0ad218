/**
 * Filters: reading a host's `filter-*` attributes as Hidden Variable values, and checking the
 * merged filters before any request is made.
 * @module
 */
import { isHiddenVariableName, type Env } from '../protocol/env.js';

/**
 * The filters a host's `filter-*` attributes carry. Each is named by the rest of the attribute
 * name in upper snake case (`filter-date-range` → `DATE_RANGE`); a value that is a JSON array of
 * strings is a list, anything else is the string itself. Names are checked by {@link checkFilters}.
 *
 * @example
 * // <chartio-embed filter-user-id="1" filter-date-range='["2014-02-11","2015-02-11"]'>
 * filtersFromAttributes(element);
 * // { USER_ID: '1', DATE_RANGE: ['2014-02-11', '2015-02-11'] }
 */
export function filtersFromAttributes(element: Element): Record<string, string | string[]> {
  const filters: Record<string, string | string[]> = {};
  for (const { name, value } of element.attributes) {
    // Upper case, so never `__proto__`: plain assignment cannot reach the prototype.
    if (name.startsWith('filter-')) filters[name.slice(7).toUpperCase().replace(/-/g, '_')] = listOrString(value);
  }
  return filters;
}

/**
 * `filters` as an env map when every name is a Hidden Variable name and every value a string or
 * a list of strings; else a message naming the first filter at fault. Sizes are left to the
 * token endpoint, which checks them with the protocol's limits.
 *
 * @example
 * checkFilters({ USER_ID: '1' }); // { USER_ID: '1' }
 * checkFilters({ 'user id': '1' }); // '"user id" is not a Hidden Variable name (like USER_ID)'
 */
export function checkFilters(filters: Record<string, unknown>): Env | string {
  for (const [name, value] of Object.entries(filters)) {
    if (!isHiddenVariableName(name)) return `"${name}" is not a Hidden Variable name (like USER_ID)`;
    if (!(Array.isArray(value) ? value : [value]).every((item) => typeof item == 'string')) {
      return `${name} must be a string or a list of strings`;
    }
  }
  return filters as Env;
}

function listOrString(value: string): string | string[] {
  try {
    const list = JSON.parse(value);
    // Any JSON but an array has no `every`: the TypeError lands below, like a parse error.
    if (list.every((item: unknown) => typeof item == 'string')) return list;
  } catch {
    // Not a JSON array: the text itself is the value.
  }
  return value;
}
