/**
 * The package as npm would publish it: `npm pack` of the working tree (after `npm run build`)
 * into a fresh temp folder, unpacked beside the tarball, so the package tests read what ships
 * rather than what the repository holds.
 * @module
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root. */
export const root = fileURLToPath(new URL('../../../', import.meta.url));

/** A packed tarball, its file list and its unpacked copy. */
export interface PackedPackage {
  /** The `.tgz`, as `npm publish` would upload it. */
  tarball: string;
  /** Every path in it, relative to the package root, sorted: `['LICENSE', 'README.md', 'dist/…']`. */
  files: string[];
  /** The tarball unpacked: `{dir}/package.json`, `{dir}/dist/…`. */
  dir: string;
  /** Removes the temp folder. */
  remove(): Promise<void>;
}

/**
 * Packs the package. Lifecycle scripts are skipped (`prepack` would build again: `npm test` has
 * just built), so dist/ must exist; a missing build fails with what to run.
 * @example
 * const packed = await packPackage();
 * packed.files.includes('LICENSE'); // true
 * await packed.remove();
 */
export async function packPackage(): Promise<PackedPackage> {
  await access(join(root, 'dist/element/index.js')).catch(() => {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
  });
  const folder = await mkdtemp(join(tmpdir(), 'chartio-embed-pack-'));
  try {
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', folder], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [report] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const tarball = join(folder, report!.filename);
    await run('tar', ['-xzf', tarball, '-C', folder]);
    return {
      tarball,
      files: report!.files.map((file) => file.path).sort(),
      dir: join(folder, 'package'),
      remove: () => rm(folder, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}
