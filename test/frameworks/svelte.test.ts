/**
 * The svelte page (demo/frameworks/svelte/) in real Chromium: see helpers/suite.ts for what it proves.
 */
import { frameworkSuite } from './helpers/suite.js';

frameworkSuite('svelte');
