/**
 * Connection strings carry passwords; every message that names a connection goes through
 * `redactUrl` first, so that logs, errors and CLI output never show one.
 */

const REDACTED = '***';

/** `postgres://user:secret@host/db?password=x` → `postgres://user:***@host/db?password=***`; key=value DSNs too. */
export function redactUrl(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (!scheme) return redactParams(url);
  // Not `new URL`: it rejects unencoded passwords with `/`, `#` or `@`, which people do write. The
  // last `@` ends the user info; erring towards hiding more is the safe side.
  const rest = url.slice(scheme[0].length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return scheme[0] + redactParams(rest);
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  const user = colon >= 0 ? `${userinfo.slice(0, colon)}:${REDACTED}` : userinfo;
  return `${scheme[0]}${user}@${redactParams(rest.slice(at + 1))}`;
}

/** Query parameters and key=value pairs whose name says they are secret. */
function redactParams(text: string): string {
  return text.replace(/((?:^|[?&;\s])(?:password|passwd|pwd|sslpassword)\s*=\s*)('[^']*'|[^&;\s#]*)/gi, `$1${REDACTED}`);
}
