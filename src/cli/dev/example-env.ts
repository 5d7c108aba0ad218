/**
 * Example values for a dashboard's own Hidden Variables, by kind: what the embed code and the
 * "view as" form start from, so that both name the dashboard's variables, not another's.
 * @module
 */
import type { VariableDefinition } from '../../host/types.js';

const EXAMPLES: Readonly<Record<VariableDefinition['kind'], string | readonly string[]>> = {
  integer: '1',
  text: 'example',
  list: ['a', 'b'],
  integer_list: ['1', '2'],
  date_range: ['2014-02-11', '2015-02-11'],
};

/**
 * An example env for `variables`: every required or `everywhere` one, and the optional ones too
 * when `all` (the form shows them all; the embed code only what a token must carry).
 *
 * @example
 * exampleEnv([{ name: 'ACCT_ID', kind: 'integer', required: true, everywhere: true }]); // { ACCT_ID: '1' }
 */
export function exampleEnv(variables: readonly VariableDefinition[], all = false): Record<string, string | readonly string[]> {
  return Object.fromEntries(variables.filter((variable) => all || variable.required || variable.everywhere).map((variable) => [variable.name, EXAMPLES[variable.kind]]));
}

/**
 * A variable's value as a form field shows it (a list's items joined by commas), and back.
 *
 * @example
 * fieldText(['2014-02-11', '2015-02-11']); // '2014-02-11,2015-02-11'
 */
export function fieldText(value: string | readonly string[]): string {
  return typeof value === 'string' ? value : value.join(',');
}

/** A form field's text as the variable's value: a list kind split at commas; empty means unset. */
export function fieldValue(variable: VariableDefinition, text: string): string | string[] | undefined {
  if (text.trim() === '') return undefined;
  return variable.kind === 'text' || variable.kind === 'integer' ? text.trim() : text.split(',').map((item) => item.trim());
}
