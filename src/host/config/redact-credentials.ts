/**
 * Credentials out of what the host prints: a URL's password (`redis://:hunter2@cache:6379`,
 * `postgresql://app:hunter2@db/app`, `mysql://app:hunter2@db/app`) replaced wherever it appears in a message, so a configuration
 * value or a driver's error can be quoted without the secret it carries.
 * @module
 */

/** `scheme://user:password@`: the password is everything from the first `:` after `//` to the `@`. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi;

/**
 * `text` with every URL password replaced by `[redacted]` (the user name stays: it helps, and is
 * no secret).
 *
 * @example
 * redactCredentials('cannot connect to redis://:hunter2@cache:6379'); // 'cannot connect to redis://:[redacted]@cache:6379'
 */
export function redactCredentials(text: string): string {
  return text.replace(URL_PASSWORD, '$1:[redacted]@');
}
