// `npm run build` starts from an empty dist/: a file whose source was moved or deleted must not
// linger there and ship in the next tarball (package.json's `files` takes what dist/ holds).
import { rmSync } from 'node:fs';

rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });
