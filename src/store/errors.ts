/**
 * The store could not answer in time (Redis down, slow or refusing). The gateway maps it to
 * code STORE_UNAVAILABLE (HTTP 503); `cause` keeps the driver's error for the log only.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE' as const;
  /** Which store operation failed, e.g. 'charge'. */
  readonly operation: string;

  constructor(operation: string, cause?: unknown) {
    super(`budget store unavailable during ${operation}`, { cause });
    this.name = 'StoreUnavailableError';
    this.operation = operation;
  }
}

export function isStoreUnavailableError(error: unknown): error is StoreUnavailableError {
  return error instanceof StoreUnavailableError;
}
