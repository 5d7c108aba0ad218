/**
 * `text`: Markdown (a subset: headings, paragraphs, bold, italic, http(s) links, lists), no
 * query. Rendered escaped: no HTML in it passes through.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { chartSchema, LAYOUT_FIELDS } from './chart-fields.js';
import type { ChartKind } from './chart-kind.js';

/** The longest text a text chart holds. */
export const MAX_MARKDOWN_LENGTH = 20_000;

/** The fields of a text chart in a file. */
export const TextChartSchema = chartSchema('text', 'Text in a Markdown subset; runs no query.', {
  ...LAYOUT_FIELDS,
  markdown: Type.String({
    minLength: 1,
    maxLength: MAX_MARKDOWN_LENGTH,
    description: 'The text: `#` headings, paragraphs, `**bold**`, `*italic*`, `[links](https://…)`, `-` and `1.` lists. HTML is shown as text.',
    errorMessage: `must be a non-empty Markdown text of at most ${MAX_MARKDOWN_LENGTH} characters`,
  }),
});

/** The `text` chart type. */
export const textChart: ChartKind = {
  type: 'text',
  schema: TextChartSchema,
  runsQuery: false,
  defaultMaxRows: () => 0,
  defaultWidth: 12,
  downloadByDefault: false,
  ownFields: (file) => ({ markdown: file.markdown as string }),
  columnProblem: () => undefined,
};
