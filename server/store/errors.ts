/** Errors a `Store` throws that the HTTP layer turns into problem responses. */

/** The database cannot be reached (down, restarting, pool exhausted): requests get a quick 503. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the database is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** A unique name is taken (username, organisation name, group name): a 409 naming the field. */
export class ConflictError extends Error {
  readonly field: string;
  constructor(message: string, field: string) {
    super(message);
    this.name = 'ConflictError';
    this.field = field;
  }
}
