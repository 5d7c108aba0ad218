/**
 * Text the CLI prints that it did not write itself (an unknown command, a file name, a token's
 * claims) may hold control characters: an escape sequence would drive the user's terminal, a
 * bidirectional override would reorder what they read. They are printed escaped instead.
 * @module
 */

/** C0 and C1 controls, DEL, the line and paragraph separators, and the bidirectional controls. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every control character but the newline and tab written as a `\uXXXX` escape,
 * which is also how JSON writes them, so escaped JSON is still valid JSON.
 *
 * @example
 * printable('unknown command "\u001b[31mx"'); // 'unknown command "\\u001b[31mx"'
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A value from the command line inside a message: cut to 60 characters, quoted, escaped.
 *
 * @example
 * quoted('frobnicate'); // '"frobnicate"'
 */
export function quoted(value: string): string {
  return `"${printable(value.length > 60 ? `${value.slice(0, 60)}…` : value)}"`;
}
