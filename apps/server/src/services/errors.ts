// Errors the domain raises on purpose. Each says what is wrong in words a person can act on; the API turns
// them into typed results (validation errors name their field).

export interface FieldError {
  /** Dotted path of the input field, e.g. `args.message`, `schedule.cron`, `targetUserIds`. */
  field: string;
  message: string;
}

export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((error) => `${error.field}: ${error.message}`).join('; '));
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(
    readonly entity: 'job' | 'run' | 'user' | 'role' | 'action' | 'token' | 'backfill' | 'calendar' | 'session',
    readonly id: string,
  ) {
    super(`no ${entity} with id ${id}`);
  }
}

/** The request is valid but the thing is not in a state that allows it (e.g. cancelling a finished run). */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

/** Prefixes every field of nested errors, e.g. schedule errors under `schedule.`. */
export function prefixFields(prefix: string, errors: FieldError[]): FieldError[] {
  return errors.map((error) => ({ ...error, field: error.field ? `${prefix}.${error.field}` : prefix }));
}
