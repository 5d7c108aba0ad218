/**
 * What every framework page imports first: the `<chartio-embed>` element itself (bundled from
 * the working tree; importing it registers the tag, so frameworks see its properties when they
 * first render it) and the live-timer counter the framework tests read.
 * @module
 */
import '../../../src/element/index.js';
// The element's clock is a test hook, not part of its public entry: taken from its own module.
import { clock } from '../../../src/element/clock.js';
import { countLiveTimers } from './live-timers.js';

countLiveTimers(clock);
