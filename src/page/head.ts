/**
 * The head script: a classic script in `<head>`, which runs before the body is parsed (unlike the
 * page module), so the first paint already has the look the frame URL's fragment asks for
 * (`#theme=dark&locale=de-DE&accent=%23e8590c`; a fragment never reaches a server or a log).
 * A locale other than the server's marks the root `data-reformat`, which the page's style reads
 * to hide the charts until the page script has re-formatted them (no flash of en-US numbers).
 * Built by rollup into `HEAD_SCRIPT` (scripts/page-bundle.mjs).
 * @module
 */
import { DEFAULT_LOCALE } from '../protocol/page-markup.js';
import { applyLook } from './look.js';

const locale = applyLook(Object.fromEntries(new URLSearchParams(location.hash.slice(1))));
if (locale !== DEFAULT_LOCALE) document.documentElement.dataset.reformat = locale;
