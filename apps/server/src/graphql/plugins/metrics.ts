// GraphQL operations for /metrics: how many, by operation name, type and outcome, how long they took, and how many
// subscriptions are live. An Envelop plugin on the app's registry (http/metrics.ts); names are bounded, so a client
// inventing a name per request cannot grow the series without end.
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Distinct operation names labelled; later new names count as "other". */
const MAX_NAMES = 200;

export function useMetrics(registry: Registry): Plugin {
  const operations = new Counter({
    name: 'sundial_graphql_operations_total',
    help: 'GraphQL operations executed or subscribed, by operation name, type and outcome (ok: no errors in the result).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'sundial_graphql_operation_duration_seconds',
    help: 'Time to execute a query or mutation, by operation name and type.',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const live = new Gauge({
    name: 'sundial_graphql_subscriptions_active',
    help: 'Subscriptions open right now (live run logs, run feeds…).',
    registers: [registry],
  });

  const names = new Set<string>();
  const describe = (document: DocumentNode, operationName: string | null | undefined) => {
    const operation = getOperationAST(document, operationName);
    let name = operation?.name?.value ?? 'anonymous';
    if (!names.has(name)) {
      if (names.size < MAX_NAMES) names.add(name);
      else name = 'other';
    }
    return { operation: name, type: operation?.operation ?? 'unknown' };
  };

  return {
    onExecute({ args }) {
      // Envelop types these any; Yoga hands the parsed document and the request's operation name.
      const labels = describe(args.document as DocumentNode, args.operationName as string | undefined);
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          duration.observe(labels, (performance.now() - started) / 1000);
          const failed = 'errors' in result && (result.errors?.length ?? 0) > 0;
          operations.inc({ ...labels, outcome: failed ? 'error' : 'ok' });
        },
      };
    },
    onSubscribe({ args }) {
      const labels = describe(args.document as DocumentNode, args.operationName as string | undefined);
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) {
            operations.inc({ ...labels, outcome: 'error' });
            return;
          }
          operations.inc({ ...labels, outcome: 'ok' });
          live.inc();
          return {
            onEnd() {
              live.dec();
            },
          };
        },
        onSubscribeError() {
          operations.inc({ ...labels, outcome: 'error' });
        },
      };
    },
  };
}
