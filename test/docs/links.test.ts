/**
 * Every relative link in the documentation (README.md, CONTRIBUTING.md, docs/ and its
 * subfolders) leads to a file of the repository, and every anchor to a heading of the page it
 * names; every page under docs/ can be reached from the index; the images they show are small. The same links inside the packed
 * tarball are test/package/contents.test.ts's.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { anchors, documentationFiles, relativeLinks } from './markdown-files.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const files = await documentationFiles(root);
const texts = new Map(await Promise.all(files.map(async (file) => [file, await readFile(root + file, 'utf8')] as const)));

/** Where a link from `file` leads: the repository path and the anchor, if any. */
function resolve(file: string, target: string): { path: string; anchor: string | undefined } {
  const [path, anchor] = target.split('#') as [string, string | undefined];
  return { path: path === '' ? file : posix.normalize(posix.join(posix.dirname(file), path)), anchor };
}

test('every relative link leads to a file of the repository, and every anchor to a heading', async () => {
  const broken: string[] = [];
  let checked = 0;
  for (const [file, text] of texts) {
    for (const target of relativeLinks(text)) {
      checked++;
      const { path, anchor } = resolve(file, target);
      if (path.startsWith('../') || !existsSync(root + path)) {
        broken.push(`${file} links ${target}: ${path} does not exist`);
        continue;
      }
      if (anchor === undefined || !path.endsWith('.md')) continue;
      const headings = anchors(texts.get(path) ?? (await readFile(root + path, 'utf8')));
      if (!headings.includes(anchor)) broken.push(`${file} links ${target}: ${path} has no heading with that anchor`);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(checked > 100, `${checked} links checked`);
});

test('every page under docs/ is reached from the README through links', () => {
  const reached = new Set(['README.md']);
  const queue = ['README.md'];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const target of relativeLinks(texts.get(file) ?? '')) {
      const { path } = resolve(file, target);
      if (texts.has(path) && !reached.has(path)) {
        reached.add(path);
        queue.push(path);
      }
    }
  }
  assert.deepEqual(files.filter((file) => !reached.has(file)), [], 'pages no link reaches');
});

test('the anchors are made as GitHub makes them', () => {
  assert.deepEqual(anchors('# Running the host: `chartio-embed host --config host.json`\n```sh\n# not a heading\n```\n## A 403 `origin_not_allowed` behind a dev server\'s proxy'), [
    'running-the-host-chartio-embed-host---config-hostjson',
    'a-403-origin_not_allowed-behind-a-dev-servers-proxy',
  ]);
});

test('the images the docs show are PNG files of at most 150 KB (they ship in the package)', async () => {
  const images = [...texts].flatMap(([file, text]) => relativeLinks(text).filter((target) => /\.(png|jpe?g|gif|svg)$/.test(target)).map((target) => resolve(file, target).path));
  assert.ok(images.includes('docs/images/demo.png'), 'the README shows the demo');
  for (const image of new Set(images)) {
    assert.match(image, /^docs\/images\/[a-z-]+\.png$/, `${image}: images live in docs/images, as PNG (package.json "files" ships those)`);
    assert.ok((await stat(root + image)).size <= 150 * 1024, `${image} is over 150 KB`);
  }
});
