/** Messages between the PGlite connector (language server, CLI) and the PGlite host child process. */

export type HostRequest =
  | { id: number; type: 'query'; sql: string; params: unknown[]; readOnly: boolean; rollback: boolean; timeoutMs: number; setup?: string[] }
  | { id: number; type: 'describe'; sql: string; timeoutMs: number }
  | { id: number; type: 'script'; sql: string }
  | { id: number; type: 'close' };

export type HostReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { id: number; ok: true; rows: Array<Record<string, unknown>>; rowCount: number }
  | { id: number; ok: false; message: string; code?: string };

/** argv[2] of the host: the data directory. */
export const HOST_DATA_DIR_ARG = 2;
/** argv[3], optional: a blank data directory's archive that a new data directory starts from, made when missing. */
export const HOST_TEMPLATE_ARG = 3;
