/** The Chromium executable: `CHROME_PATH`, else the first usual install path that exists. */
export function findChromium(): string | undefined;
/** The Firefox executable: `FIREFOX_PATH`, else the first usual install path that exists. */
export function findFirefox(): string | undefined;
/** Flags for headless Chromium on a CI machine (root, closed network). */
export const CHROMIUM_ARGS: string[];
