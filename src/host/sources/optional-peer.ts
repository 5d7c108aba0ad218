/**
 * Loads an optional peer dependency (the database driver) only when it is needed, and turns
 * "module not found" into a message that says what to install.
 * @module
 */

/**
 * An optional peer dependency that is not installed: the message names the package and the
 * command that installs it. Something to fix where the host is installed, not a bug.
 *
 * @example
 * if (error instanceof MissingPeerError) console.error(error.message); // '… npm install pg'
 */
export class MissingPeerError extends Error {
  override readonly name = 'MissingPeerError';
}

/**
 * Runs `load` (a dynamic `import()` of `specifier`); when the package is not installed, throws
 * a {@link MissingPeerError} whose message names the package and the command that installs it. Other errors
 * (a broken install, a failing native binding) pass through unchanged.
 *
 * @example
 * const duckdb = await importOptionalPeer('@duckdb/node-api', () => import('@duckdb/node-api'), 'the DuckDB data source');
 */
export async function importOptionalPeer<T>(specifier: string, load: () => Promise<T>, purpose: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isModuleNotFound(error, specifier)) {
      throw new MissingPeerError(`${purpose} needs the ${specifier} package, which is not installed: npm install ${specifier}`, { cause: error });
    }
    throw error;
  }
}

function isModuleNotFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(specifier);
}
