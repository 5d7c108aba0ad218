/**
 * The react page (demo/frameworks/react/) in real Chromium: see helpers/suite.ts for what it proves.
 */
import { frameworkSuite } from './helpers/suite.js';

frameworkSuite('react');
