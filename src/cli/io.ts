/**
 * Where the CLI reads its environment and writes its output; tests may pass their own.
 * @module
 */

/** The CLI's environment and output streams. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  err(text: string): void;
}
