/**
 * What every framework page imports first: the `<chartio-embed>` element itself (bundled from
 * the working tree; importing it registers the tag, so frameworks see its properties when they
 * first render it) and the live-timer counter the framework tests read.
 * @module
 */
import { clock } from '../../../src/element/index.js';
import { countLiveTimers } from './live-timers.js';

countLiveTimers(clock);
