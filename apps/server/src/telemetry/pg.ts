// A span per SQL statement on the app's pool: Prisma's (through @prisma/adapter-pg), db/sql's and Agenda's
// PostgreSQL backend's statements all go through its clients. Wrapped per client when it connects, and only when
// tracing is configured. The statement text is recorded (Sundial's statements are parameterised; values are not).
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import type pg from 'pg';
import { tracer, tracingConfigured } from './tracing.js';

const MAX_TEXT = 2_000;

export function traceStatements(pool: pg.Pool): void {
  if (!tracingConfigured()) return;
  pool.on('connect', (client) => {
    const query = client.query;
    client.query = function tracedQuery(this: pg.PoolClient, ...args: unknown[]): unknown {
      const text = statementText(args[0]);
      // Submittables (cursors, streams) report their own way; they pass through untraced.
      if (text === null) return Reflect.apply(query, this, args);
      const span = tracer().startSpan(operationOf(text), {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': 'postgresql', 'db.operation.name': operationOf(text), 'db.query.text': text.slice(0, MAX_TEXT) },
      });
      const callback = args.at(-1);
      if (typeof callback === 'function') {
        args[args.length - 1] = (error: Error | null, result: unknown) => {
          end(span, error);
          Reflect.apply(callback, undefined, [error, result]);
        };
        return Reflect.apply(query, this, args);
      }
      const pending = Reflect.apply(query, this, args) as Promise<unknown>;
      pending.then(
        () => end(span, null),
        (error: unknown) => end(span, error as Error),
      );
      return pending;
    } as typeof client.query;
  });
}

function statementText(first: unknown): string | null {
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && !('submit' in first) && typeof (first as { text?: unknown }).text === 'string') {
    return (first as { text: string }).text;
  }
  return null;
}

/** SELECT, INSERT, WITH…: the statement's first word, a low-cardinality span name. */
function operationOf(text: string): string {
  return /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
}

function end(span: Span, error: Error | null): void {
  if (error) {
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  }
  span.end();
}
