/**
 * The server helpers fail at once, with the exact command that installs what is missing, rather
 * than minutes later inside a test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireExecutable } from '../launchers/free-port.js';

test('a missing server names the apt-get line that installs it', () => {
  assert.throws(() => requireExecutable('/nonexistent/bin/redis-server', 'redis-server', 'Redis'), {
    message: 'Redis is not installed (/nonexistent/bin/redis-server is missing). Install it with: sudo apt-get install -y redis-server',
  });
  assert.doesNotThrow(() => requireExecutable(process.execPath, 'nodejs', 'Node'));
});
