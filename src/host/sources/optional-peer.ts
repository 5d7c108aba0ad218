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

/** An optional peer a configuration needs: the package, what needs it, and how to load it. */
export interface OptionalPeer {
  readonly specifier: string;
  /** What needs it, as a sentence's subject: `'The PostgreSQL data source'`. */
  readonly purpose: string;
  readonly load: () => Promise<unknown>;
}

/**
 * Loads every peer in `peers` and, when some are missing, throws one {@link MissingPeerError}
 * naming them all with one install command, so an operator installs once, not one package per
 * restart. One missing package keeps its own message. Other load errors pass through.
 *
 * @example
 * await requireOptionalPeers([
 *   { specifier: 'pg', purpose: 'The PostgreSQL data source', load: () => import('pg') },
 *   { specifier: 'redis', purpose: 'The shared Redis cache', load: () => import('redis') },
 * ]);
 * // throws 'Packages the host needs are not installed: pg (the PostgreSQL data source), redis (the shared Redis cache). Install them with: npm install pg redis'
 */
export async function requireOptionalPeers(peers: readonly OptionalPeer[]): Promise<void> {
  const missing: MissingPeerError[] = [];
  const specifiers: string[] = [];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const peer of peers) {
    if (seen.has(peer.specifier)) continue;
    seen.add(peer.specifier);
    try {
      await importOptionalPeer(peer.specifier, peer.load, peer.purpose);
    } catch (error) {
      if (!(error instanceof MissingPeerError)) throw error;
      missing.push(error);
      specifiers.push(peer.specifier);
      names.push(`${peer.specifier} (${peer.purpose.charAt(0).toLowerCase()}${peer.purpose.slice(1)})`);
    }
  }
  if (missing.length === 1) throw missing[0];
  if (missing.length > 1) {
    throw new MissingPeerError(`Packages the host needs are not installed: ${names.join(', ')}. Install them with: npm install ${specifiers.join(' ')}`, { cause: missing });
  }
}
