/** Errors the database layer gives its callers, each with a message a user can act on. */

export class QueryTimeoutError extends Error {
  constructor(readonly timeoutMs: number, detail?: string) {
    super(`The statement ran longer than the ${timeoutMs} ms statement timeout and was stopped${detail ? ` (${detail})` : ''}.`);
    this.name = 'QueryTimeoutError';
  }
}

export class QueryCancelledError extends Error {
  constructor(detail?: string) {
    super(`The statement was cancelled${detail ? ` (${detail})` : ''}.`);
    this.name = 'QueryCancelledError';
  }
}

/** A write in a read-only transaction: PerfLens only writes when the caller says so. */
export class ReadOnlyError extends Error {
  constructor(detail: string) {
    super(`The statement writes, and PerfLens runs statements read-only unless writes are allowed (${detail}).`);
    this.name = 'ReadOnlyError';
  }
}
