// Tracing for actions: child spans of the run attempt and the headers that carry its trace to another service.
// Built on @opentelemetry/api, the package OpenTelemetry meant for libraries: when the server has no tracing
// configured, its no-op implementation makes both calls nearly free.
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

export type SpanAttributes = Attributes;

/** What an action may do to the span it opened. */
export interface ActionSpan {
  setAttribute(key: string, value: string | number | boolean): void;
}

export interface ActionTrace {
  /**
   * W3C trace-context headers (`traceparent`, and `tracestate` when set) for an outgoing request, so the service
   * called continues the run's trace. Empty when tracing is off.
   */
  headers(): Record<string, string>;
  /**
   * Runs `work` inside a child span of the attempt named `name` (a client call: "GET", "POST"…), ended when it
   * settles; a rejection marks the span failed. Within `work`, `headers()` names this span as the parent.
   */
  span<T>(name: string, attributes: SpanAttributes, work: (span: ActionSpan) => Promise<T>): Promise<T>;
}

export const actionTrace: ActionTrace = Object.freeze({
  headers() {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    return carrier;
  },
  async span<T>(name: string, attributes: SpanAttributes, work: (span: ActionSpan) => Promise<T>): Promise<T> {
    const span = trace.getTracer('sundial.actions').startSpan(name, { kind: SpanKind.CLIENT, attributes });
    try {
      return await context.with(trace.setSpan(context.active(), span), () => work(span));
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  },
});
