/** Connection URLs in the client: passwords split off for secret storage, short names for the status bar. */

const USER_AND_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/)([^:@/?#]+)(?::([^@/?#]*))?@/i;

/** A URL that names a user and no password: the password is asked for and kept in secret storage. */
export function hasUserWithoutPassword(url: string): boolean {
  const m = USER_AND_PASSWORD.exec(url);
  return !!m && m[3] === undefined && !/[?&]password=/i.test(url);
}

/** `postgres://app:pw@db/x` → the URL without the password, and the password (decoded). */
export function splitPassword(url: string): { url: string; password?: string } {
  const m = USER_AND_PASSWORD.exec(url);
  if (!m || m[3] === undefined) return { url };
  let password = m[3];
  try {
    password = decodeURIComponent(password);
  } catch {
    // Not percent-encoded: keep it as typed.
  }
  return { url: url.replace(USER_AND_PASSWORD, `$1$2@`), password };
}

/** `postgres://app@db.internal:5432/shop` → `shop on db.internal` for the status bar. */
export function shortName(url: string): string {
  if (!url) return 'embedded PostgreSQL';
  if (/^sqlite:/i.test(url)) return `SQLite ${url.replace(/^sqlite:(\/\/)?/i, '').split(/[\\/]/).pop()}`;
  const m = /^[a-z+]+:\/\/(?:[^@/]*@)?([^/:?#]+)(?::\d+)?(?:\/([^?#]*))?/i.exec(url);
  if (!m) return url;
  return m[2] ? `${m[2]} on ${m[1]}` : m[1];
}

/** The database servers "Select Database" offers a URL for. */
export type ServerKind = 'postgres' | 'mysql';

/** Why a typed URL is not one of `kind` (the input box's validation), or undefined when it is. */
export function serverUrlProblem(kind: ServerKind, url: string): string | undefined {
  const value = url.trim();
  if (kind === 'mysql') return /^(mysql|mariadb):\/\/\S+$/i.test(value) ? undefined : 'A mysql:// URL (mariadb:// works too)';
  return /^postgres(ql)?:\/\/\S+$/i.test(value) ? undefined : 'A postgres:// or postgresql:// URL';
}
