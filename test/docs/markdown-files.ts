/**
 * The documentation's Markdown files and what the docs tests read in them: the fenced code
 * blocks with the `<!-- docs-test: KIND -->` marker before each, and the headings' anchors.
 * Shared by test/docs (in the repository) and test/package (in the packed tarball).
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** A fenced code block and the marker written just before it (`''` when there is none). */
export interface CodeBlock {
  file: string;
  kind: string;
  lang: string;
  code: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
}

/**
 * Every Markdown file of the documentation, relative to `root`: README.md, CONTRIBUTING.md and
 * docs/ with its subfolders, sorted.
 *
 * @example
 * await documentationFiles(root); // ['CONTRIBUTING.md', 'README.md', 'docs/README.md', …]
 */
export async function documentationFiles(root: string): Promise<string[]> {
  const docs = (await readdir(join(root, 'docs'), { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'));
  return ['CONTRIBUTING.md', 'README.md', ...docs.sort()];
}

/**
 * The fenced blocks of a Markdown text, each with the `<!-- docs-test: KIND -->` marker that
 * ends the text before it (kind `''` without one).
 *
 * @example
 * codeBlocks('README.md', '<!-- docs-test: commands -->\n```sh\nnpm test\n```\n'); // [{ kind: 'commands', lang: 'sh', code: 'npm test\n', … }]
 */
export function codeBlocks(file: string, text: string): CodeBlock[] {
  const found: CodeBlock[] = [];
  for (const match of text.matchAll(/^```([\w-]*)\n([\s\S]*?)^```$/gm)) {
    const marker = /<!-- docs-test: ([^>]+?) -->$/.exec(text.slice(0, match.index).trimEnd());
    const line = text.slice(0, match.index).split('\n').length;
    found.push({ file, kind: marker?.[1] ?? '', lang: match[1]!, code: match[2]!, line });
  }
  return found;
}

/** The text with its fenced blocks blanked, so a `# comment` in a shell block is no heading. */
export function withoutCodeBlocks(text: string): string {
  return text.replace(/^```[\w-]*\n[\s\S]*?^```$/gm, '');
}

/**
 * The anchors of a Markdown text's headings, the way GitHub and npm make them: lower case,
 * punctuation out, spaces to dashes.
 *
 * @example
 * anchors('## Running the host: `chartio-embed host`\n'); // ['running-the-host-chartio-embed-host']
 */
export function anchors(text: string): string[] {
  return (withoutCodeBlocks(text).match(/^#+ .+$/gm) ?? []).map(slug);
}

/** A heading's anchor: lower case, punctuation out, spaces to dashes. */
export function slug(heading: string): string {
  return heading
    .replace(/^#+ /, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/**
 * The relative links of a Markdown text (images included), outside code blocks and inline
 * code: `[text](target)` with a target that names no scheme.
 *
 * @example
 * relativeLinks('See [the CLI](docs/reference/cli.md#usage) and [npm](https://npmjs.com).'); // ['docs/reference/cli.md#usage']
 */
export function relativeLinks(text: string): string[] {
  const prose = withoutCodeBlocks(text).replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}
