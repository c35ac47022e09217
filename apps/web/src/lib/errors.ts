// What the server said, in words a person can act on; and its per-field messages, for forms.
import type { CombinedError } from 'urql';

export interface FieldError {
  field: string;
  message: string;
}

export function describeError(error: CombinedError | Error | null | undefined): string {
  if (!error) return 'Something went wrong.';
  if ('networkError' in error && error.networkError) {
    return `The server did not answer (${error.networkError.message}). Is it running?`;
  }
  if ('graphQLErrors' in error && error.graphQLErrors.length > 0) {
    return error.graphQLErrors.map((e) => sentence(e.message)).join(' ');
  }
  return error.message;
}

/** The server's field errors (extensions.fieldErrors), e.g. [{ field: 'schedule.cron', message: 'is not valid' }]. */
export function fieldErrorsOf(error: CombinedError | null | undefined): FieldError[] {
  if (!error) return [];
  return error.graphQLErrors.flatMap((e) => {
    const list = e.extensions?.fieldErrors;
    return Array.isArray(list) ? list.filter(isFieldError) : [];
  });
}

/** A map from field path to its first message, for `error={errors['args.message']}`. */
export function fieldErrorMap(errors: readonly FieldError[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const { field, message } of errors) map[field] ??= message;
  return map;
}

export function errorCode(error: CombinedError | null | undefined): string | null {
  const code = error?.graphQLErrors.find((e) => e.extensions?.code)?.extensions?.code;
  return typeof code === 'string' ? code : null;
}

function isFieldError(value: unknown): value is FieldError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FieldError).field === 'string' &&
    typeof (value as FieldError).message === 'string'
  );
}

function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
