/**
 * docs/token-endpoint.md's `lockedEnv` examples (issue 18 item 7): one each for Express, Hono and
 * Next.js, each marked `<!-- docs-test: lockedEnv FRAMEWORK -->`, compiled against the
 * built package (build first). Express and its types are installed; Hono, Next.js and
 * express-session are not dependencies of this package, so the few of their declarations the
 * examples use are declared here, as each package declares them. The examples' own
 * `./session.js` is the app's session lookup.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const scratch = join(root, '.tmp', 'token-endpoint-test');
const run = promisify(execFile);
after(() => rm(scratch, { recursive: true, force: true }));

/** What the examples use of the packages this one does not depend on, as they declare it. */
const FRAMEWORKS = `
declare module 'hono' {
  export interface Context { req: { raw: Request } }
  export class Hono {
    post(path: string, handler: (c: Context) => Response | Promise<Response>): this;
  }
}
declare module 'next/headers' {
  export function cookies(): Promise<{ get(name: string): { name: string; value: string } | undefined }>;
}
declare module 'express-session' {
  import type { RequestHandler } from 'express';
  export interface SessionData { cookie: unknown }
  export interface SessionOptions { secret: string | string[]; resave?: boolean; saveUninitialized?: boolean }
  export default function session(options: SessionOptions): RequestHandler;
  global {
    namespace Express {
      interface Request { session: Partial<SessionData> }
    }
  }
}
`;

/** The app's session lookup the examples import. */
const SESSION = 'export async function userOfSession(sid: string | undefined): Promise<{ accountId: number } | null> {\n  return sid ? { accountId: 42 } : null;\n}\n';

test('a lockedEnv example each for Express, Hono and Next.js, and each compiles against the built package', async () => {
  const text = await readFile(join(root, 'docs/token-endpoint.md'), 'utf8');
  const blocks = [...text.matchAll(/<!-- docs-test: lockedEnv (\w+) -->\n```ts\n([\s\S]*?)^```$/gm)].map((match) => ({ framework: match[1]!, code: match[2]! }));
  assert.deepEqual(blocks.map((block) => block.framework), ['express', 'hono', 'nextjs']);
  for (const { code } of blocks) assert.match(code, /lockedEnv: [\s\S]*return user \? \{ ACCT_ID: user\.accountId \} : null;/, 'a number from the session, or null for none');
  await mkdir(scratch, { recursive: true });
  const files = ['frameworks.d.ts', 'session.ts', ...blocks.map(({ framework }) => `${framework}.ts`)];
  await writeFile(join(scratch, 'frameworks.d.ts'), FRAMEWORKS);
  await writeFile(join(scratch, 'session.ts'), SESSION);
  for (const { framework, code } of blocks) await writeFile(join(scratch, `${framework}.ts`), code);
  const tsconfig = { extends: '../../tsconfig.base.json', compilerOptions: { lib: ['ES2022', 'DOM'], types: ['node'], noEmit: true, declaration: false }, files };
  await writeFile(join(scratch, 'tsconfig.json'), JSON.stringify(tsconfig));
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(scratch, 'tsconfig.json')]).catch((error: { stdout: string }) => {
    assert.fail(`docs/token-endpoint.md's TypeScript does not compile:\n${error.stdout}`);
  });
});
