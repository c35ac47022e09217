// OpenTelemetry traces, off unless the standard OTLP variables name a receiver (OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; headers, timeout and OTEL_SERVICE_NAME are read the standard way). Spans:
// every GraphQL operation (graphql/plugins/tracing.ts), every run attempt (engine/attempt.ts), every SQL statement
// on the pool (telemetry/pg.ts), every http.request call, which also sends `traceparent` on. Off, @opentelemetry/api's
// no-op tracer makes each of those a few property reads.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Logger } from '../lib/logger.js';

export interface Tracing {
  enabled: boolean;
  /** Sends the spans buffered so far now, instead of at the batch's next turn. */
  flush(): Promise<void>;
  /** Sends the spans still buffered; resolves when done or given up. */
  shutdown(): Promise<void>;
}

/** Whether the environment names a trace receiver. */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT) && env.OTEL_SDK_DISABLED !== 'true';
}

/** Registers the global tracer provider when configured; call once, before the app starts. */
export function startTracing(logger: Logger): Tracing {
  if (!tracingConfigured()) return { enabled: false, flush: async () => {}, shutdown: async () => {} };
  const provider = new TracerProvider({
    // OTEL_RESOURCE_ATTRIBUTES can add more (deployment.environment, service.instance.id…).
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || 'sundial' })),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(provider);
  const endpoint = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT || '';
  logger.info(`tracing: spans sent over OTLP/HTTP to ${describeEndpoint(endpoint)}`);
  return {
    enabled: true,
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown().catch((error: unknown) => logger.warn(`tracing: could not send the last spans (${(error as Error).message})`));
      // The globals go back to OpenTelemetry's no-ops: nothing traced after this point is buffered for nobody.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The receiver's origin and path only: a URL may carry credentials. */
function describeEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** The tracer every span of Sundial's is made with. */
export const tracer = () => trace.getTracer('sundial');
