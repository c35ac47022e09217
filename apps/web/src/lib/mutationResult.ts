// Mutations answer with a union: the success type, or an error type the client can act on (ValidationError with
// field errors, NotFoundError, ConflictError). Every mutation document asks for the error side with the one
// fragment below (`...MutationError`); this turns a result into "the success member, or a message and the field
// errors" — a failed request (network, refused) lands on the same path.
import type { CombinedError } from 'urql';
import { type FragmentType, graphql, useFragment as unmask } from '../gql';
import { describeError, type FieldError } from './errors';

export const MutationErrorFragment = graphql(`
  fragment MutationError on Error {
    message
    ... on ValidationError {
      fieldErrors {
        field
        message
      }
    }
  }
`);

type Member = { __typename?: string };
type Success<M> = Extract<M, { __typename?: `${string}Success` }>;

export type Outcome<M> = { ok: true; value: Success<M> } | { ok: false; message: string; fieldErrors: FieldError[] };

export function outcomeOf<R, M extends Member>(
  result: { data?: R | null; error?: CombinedError | undefined },
  member: (data: R) => M,
): Outcome<M> {
  if (result.error || !result.data) return { ok: false, message: describeError(result.error), fieldErrors: [] };
  const value = member(result.data);
  if (value.__typename?.endsWith('Success')) return { ok: true, value: value as Success<M> };
  // Not a success: an error member, which the document read through `...MutationError` (the preset's unmask
  // function is pure; the name `useFragment` is the preset's, not a React hook).
  const failure: { message?: string; fieldErrors?: readonly FieldError[] } = unmask(
    MutationErrorFragment,
    value as FragmentType<typeof MutationErrorFragment>,
  );
  return {
    ok: false,
    message: failure.message ?? 'The server did not say what went wrong.',
    fieldErrors: failure.fieldErrors ? [...failure.fieldErrors] : [],
  };
}
