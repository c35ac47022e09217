// What clients see of errors. Errors raised on purpose keep their message: GraphQL errors (validation, scope-auth,
// "not signed in") and the domain's ValidationError / NotFoundError / ConflictError, which get a code. Anything else
// (a database error with its SQL, a bug with its stack and file paths) becomes "Unexpected error." with an id that
// finds the full error in the server log. graphql-yoga would show the stack under NODE_ENV=development; here only
// graphql.expose_errors does.
import crypto from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { createGraphQLError, type YogaMaskedErrorOpts } from 'graphql-yoga';
import type { Logger } from '../../lib/logger.js';
import { ConflictError, NotFoundError, ValidationError } from '../../services/errors.js';
import { graphql } from './graphql-runtime.js';

export const UNEXPECTED_ERROR_MESSAGE = 'Unexpected error.';

function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof graphql.GraphQLError;
}

/** A GraphQLError made on purpose: not a wrapper around some other thrown value. */
function isDeliberate(error: unknown): boolean {
  if (!isGraphQLError(error)) return false;
  return error.originalError == null || isDeliberate(error.originalError);
}

function domainCode(error: unknown): string | null {
  if (error instanceof ValidationError) return 'BAD_USER_INPUT';
  if (error instanceof NotFoundError) return 'NOT_FOUND';
  if (error instanceof ConflictError) return 'CONFLICT';
  return null;
}

export function createMaskError({ expose, logger }: { expose: boolean; logger: Logger }): YogaMaskedErrorOpts['maskError'] {
  return (error) => {
    if (isDeliberate(error)) return error as Error;
    const located = isGraphQLError(error) ? error : null;
    const original = located ? located.originalError : error;
    const where = located ? { nodes: located.nodes, source: located.source, positions: located.positions, path: located.path } : {};

    const code = domainCode(original);
    if (code) {
      const fieldErrors = original instanceof ValidationError ? { fieldErrors: original.errors } : {};
      return createGraphQLError((original as Error).message, { ...where, extensions: { code, ...fieldErrors } });
    }

    const errorId = crypto.randomUUID();
    const cause = original instanceof Error ? original : new Error(String(original));
    logger.error(`unexpected error ${errorId}: ${cause.message}`, {
      errorId,
      path: located?.path?.join('.'),
      stack: cause.stack,
    });
    return createGraphQLError(UNEXPECTED_ERROR_MESSAGE, {
      ...where,
      extensions: {
        code: 'INTERNAL_SERVER_ERROR',
        errorId,
        // Tells Yoga this is a server fault (HTTP 500), as its own masking does.
        unexpected: true,
        ...(expose ? { originalError: { message: cause.message, stack: cause.stack } } : {}),
      },
    });
  };
}
