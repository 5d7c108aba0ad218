/**
 * A Markdown subset as HTML, for `text` charts: `#`–`###` headings (shown one level under the
 * chart's title), paragraphs, `**bold**`, `*italic*` (or `_italic_`), `[links](https://…)` with
 * http and https addresses only, and `-`/`*` and `1.` lists. Everything else is text: every
 * character is escaped first, so no HTML in the source ever passes through, and a link to any
 * other scheme (`javascript:`, `data:`) stays plain text.
 * @module
 */
import { escapeHtml } from './html.js';

/**
 * The HTML of `markdown`.
 *
 * @example
 * markdownToHtml('# Notes\n\nPaid **on time**, see [terms](https://example.com/terms).\n\n- one\n- two');
 * // '<h3>Notes</h3><p>Paid <strong>on time</strong>, see <a href="https://example.com/terms" rel="noopener noreferrer" target="_blank">terms</a>.</p><ul><li>one</li><li>two</li></ul>'
 */
export function markdownToHtml(markdown: string): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: string[] } | undefined;
  const flush = () => {
    if (paragraph.length > 0) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
    if (list) out.push(`<${list.tag}>${list.items.map((item) => `<li>${inline(item)}</li>`).join('')}</${list.tag}>`);
    list = undefined;
  };
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  // The chart's title is an h2: the text's heading levels, in order, become h3, h4, h5 (none skipped).
  const levels = [...new Set(lines.flatMap((line) => /^\s*(#{1,3})\s/.exec(line)?.[1]!.length ?? []))].sort();
  for (const raw of lines) {
    const line = raw.trim();
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    const bullet = /^[-*]\s+(.*)$/.exec(line);
    const numbered = /^\d{1,9}[.)]\s+(.*)$/.exec(line);
    if (line === '') {
      flush();
    } else if (heading) {
      flush();
      const level = 3 + levels.indexOf(heading[1]!.length);
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
    } else if (bullet || numbered) {
      const tag = bullet ? 'ul' : 'ol';
      if (paragraph.length > 0 || (list && list.tag !== tag)) flush();
      list ??= { tag, items: [] };
      list.items.push((bullet ?? numbered)![1]!);
    } else if (list) {
      // A line under a list item continues it.
      list.items[list.items.length - 1] += ` ${line}`;
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return out.join('');
}

/** Bold, italic and links within a line, on escaped text (links set aside first, so emphasis never reaches an address). */
function inline(text: string): string {
  const links: string[] = [];
  const marked = escapeHtml(text.replace(/\u0000/g, ''))
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, (_, label: string, url: string) => {
      links.push(`<a href="${url}" rel="noopener noreferrer" target="_blank">${emphasis(label)}</a>`);
      return `\u0000${links.length - 1}\u0000`;
    });
  return emphasis(marked).replace(/\u0000(\d+)\u0000/g, (_, index: string) => links[Number(index)]!);
}

function emphasis(text: string): string {
  return text
    .replace(/\*\*(?=\S)(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*(?=\S)([^*]+?)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=\S)([^_]+?)_(?!\w)/g, '$1<em>$2</em>');
}
