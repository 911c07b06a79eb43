/**
 * Passwords kept out of settings: a URL that names a user but carries no password gets one from the
 * client (VS Code's secret storage) just before connecting. The combined URL lives only in memory.
 */

const USER_WITHOUT_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/)([^:@/?#]+)@/i;

/** `postgres://app@db/x` needs a password; `postgres://app:pw@db/x`, `…?password=…` and `postgres://db/x` do not. */
export function needsPassword(url: string): boolean {
  return USER_WITHOUT_PASSWORD.test(url) && !/[?&]password=/i.test(url);
}

/** The URL with the password put after the user name, percent-encoded as URLs require. */
export function withPassword(url: string, password: string): string {
  return url.replace(USER_WITHOUT_PASSWORD, (_, scheme: string, user: string) => `${scheme}${user}:${encodeURIComponent(password)}@`);
}
