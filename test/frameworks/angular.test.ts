/**
 * The angular page (demo/frameworks/angular/) in real Chromium: see helpers/suite.ts for what it proves.
 */
import { frameworkSuite } from './helpers/suite.js';

frameworkSuite('angular');
