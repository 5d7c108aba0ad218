/**
 * What every framework page imports first: the `<chartio-embed>` element itself (bundled from
 * the working tree; importing it registers the tag, so frameworks see its properties when they
 * first render it) and the live-timer counter the framework tests read. The element's clock is
 * not part of the package's API: it is taken from its own module, as the element's tests do.
 * @module
 */
import '../../../src/element/index.js';
import { clock } from '../../../src/element/clock.js';
import { countLiveTimers } from './live-timers.js';

countLiveTimers(clock);
