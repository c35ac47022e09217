// A span per GraphQL query or mutation, named after the operation, continuing the caller's trace when the request
// carries `traceparent`. The execution runs inside the span, so the statements it sends are its children.
// Subscriptions are long-lived streams, not operations with a duration: they get no span.
import type { IncomingMessage } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { tracer } from '../../telemetry/tracing.js';

export function useTracing(): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      // Envelop types these any; Yoga hands the parsed document, the operation name and its context.
      const operation = getOperationAST(args.document as DocumentNode, args.operationName as string | undefined);
      const name = operation?.name?.value ?? 'anonymous';
      const type = operation?.operation ?? 'unknown';
      // The Node request Yoga was handed (http/server.ts): its headers are a plain record, as propagators expect.
      const incoming = (args.contextValue as { req?: Pick<IncomingMessage, 'headers'> }).req;
      const parent = incoming ? propagation.extract(context.active(), incoming.headers) : context.active();
      const span = tracer().startSpan(
        `${type} ${name}`,
        { kind: SpanKind.SERVER, attributes: { 'graphql.operation.name': name, 'graphql.operation.type': type } },
        parent,
      );
      const inSpan = trace.setSpan(parent, span);
      setExecuteFn((executeArgs) => context.with(inSpan, (): unknown => executeFn(executeArgs)));
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result ? (result.errors?.length ?? 0) : 0;
          if (errors > 0) span.setStatus({ code: SpanStatusCode.ERROR, message: `${errors} error(s) in the result` });
          span.end();
        },
      };
    },
  };
}
