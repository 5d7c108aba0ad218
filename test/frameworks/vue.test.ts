/**
 * The vue page (demo/frameworks/vue/) in real Chromium: see helpers/suite.ts for what it proves.
 */
import { frameworkSuite } from './helpers/suite.js';

frameworkSuite('vue');
