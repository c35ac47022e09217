// What a call can fail with. The server answers mistakes with typed results (ValidationError, NotFoundError,
// ConflictError); the client throws them as SundialError with the same kind and field errors, so a caller can
// `catch` once and still tell a bad argument from a missing run.

export interface FieldError {
  /** Dotted path of the input field, as sent: `startAt`, `args.message`. */
  field: string;
  message: string;
}

export type SundialErrorKind =
  /** The input was refused; `fieldErrors` names each field. Nothing was changed. */
  | 'ValidationError'
  /** The job, run or action does not exist (or the caller may not see it). */
  | 'NotFoundError'
  /** The change conflicts with the current state (e.g. cancelling a finished run). */
  | 'ConflictError'
  /** GraphQL refused the request: not authorized, a query over the limits, a closed subscription. */
  | 'GraphQLError'
  /** The server could not be reached, or answered with something that is not GraphQL. */
  | 'NetworkError';

export class SundialError extends Error {
  override readonly name = 'SundialError';
  readonly kind: SundialErrorKind;
  readonly fieldErrors: readonly FieldError[];
  /** The server's error code (`extensions.code`), when it gave one. */
  readonly code: string | undefined;

  constructor(kind: SundialErrorKind, message: string, options: { fieldErrors?: readonly FieldError[]; code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.fieldErrors = options.fieldErrors ?? [];
    this.code = options.code;
  }
}

export interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown> | undefined;
}

/** The server's error codes for the domain's errors, when they come as GraphQL errors (e.g. from a subscription). */
const KIND_OF_CODE: Record<string, SundialErrorKind> = { BAD_USER_INPUT: 'ValidationError', NOT_FOUND: 'NotFoundError', CONFLICT: 'ConflictError' };

export function fromGraphQLErrors(errors: readonly GraphQLErrorLike[]): SundialError {
  const code = errors.find((error) => typeof error.extensions?.code === 'string')?.extensions?.code as string | undefined;
  const fieldErrors = errors.flatMap((error) => (Array.isArray(error.extensions?.fieldErrors) ? (error.extensions.fieldErrors as FieldError[]) : []));
  return new SundialError((code && KIND_OF_CODE[code]) || 'GraphQLError', errors.map((error) => error.message).join('; '), {
    fieldErrors,
    ...(code === undefined ? {} : { code }),
  });
}

/** A mutation's typed error result (the `Error` interface's members). */
export interface ErrorResult {
  __typename: string;
  message: string;
  fieldErrors?: readonly FieldError[];
}

export function fromErrorResult(result: ErrorResult): SundialError {
  const kind: SundialErrorKind =
    result.__typename === 'ValidationError' || result.__typename === 'NotFoundError' || result.__typename === 'ConflictError'
      ? result.__typename
      : 'GraphQLError';
  return new SundialError(kind, result.message, { fieldErrors: result.fieldErrors ?? [] });
}
