// OpenTelemetry traces with the real SDK and OTLP/HTTP exporter, sent to a receiver this file starts on loopback and
// decoded as they arrive: a GraphQL operation continuing the caller's trace, its SQL statements as children, a run
// attempt with its job, action, attempt and trigger, the http.request call as the attempt's child with `traceparent`
// sent on, and the run's log lines carrying the attempt's trace id.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { startTracing, type Tracing } from '../../src/telemetry/tracing.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { waitFor } from '../support/engine.js';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
  status?: { code?: number };
}
interface OtlpExport {
  resourceSpans: { resource?: { attributes?: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;

function attribute(span: OtlpSpan, key: string): string | number | boolean | undefined {
  const value = span.attributes?.find((entry) => entry.key === key)?.value;
  if (!value) return undefined;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.boolValue;
}

/** An OTLP/HTTP receiver: every span it was sent, decoded, and the service names they came from. */
async function startReceiver() {
  const spans: OtlpSpan[] = [];
  const services = new Set<string>();
  const contentTypes = new Set<string>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      contentTypes.add(`${request.method} ${request.url} ${request.headers['content-type']}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
      for (const resource of body.resourceSpans) {
        const service = resource.resource?.attributes?.find((entry) => entry.key === 'service.name')?.value.stringValue;
        if (service) services.add(service);
        for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, services, contentTypes, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** The service a run calls: records the trace context each request brought. */
async function startCalledService() {
  const traceparents: string[] = [];
  const server = http.createServer((request, response) => {
    traceparents.push(String(request.headers.traceparent ?? ''));
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, traceparents, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('OpenTelemetry traces over OTLP/HTTP', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let called: Awaited<ReturnType<typeof startCalledService>>;
  let tracing: Tracing;
  let api: TestApi;
  const saved = { endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT, service: process.env.OTEL_SERVICE_NAME };

  beforeAll(async () => {
    receiver = await startReceiver();
    called = await startCalledService();
    // Configured the standard way, before the app opens its pool (statement spans are wired per connection).
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    process.env.OTEL_SERVICE_NAME = 'sundial-tracing-test';
    tracing = startTracing(createLogger('error'));
    api = await startTestApi({ builtin: { http: { allow_hosts: ['127.0.0.1'] }, cleanup: { schedule_daily: false } } });
  });

  afterAll(async () => {
    await api?.close();
    await tracing?.shutdown();
    await receiver?.close();
    await called?.close();
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved.endpoint;
    process.env.OTEL_SERVICE_NAME = saved.service;
    if (saved.endpoint === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    if (saved.service === undefined) delete process.env.OTEL_SERVICE_NAME;
  });

  it('sends spans for the operation, its statements, the run attempt and its HTTP call, linked as one story', async () => {
    expect(tracing.enabled).toBe(true);
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const response = await api.gql<{ dispatch: { result: { run: { id: string } } } }>(
      /* GraphQL */ `mutation TracedDispatch($input: DispatchInput!) {
        dispatch(input: $input) { ... on MutationDispatchSuccess { result { run { id } } } } }`,
      { input: { action: 'http.request', name: 'traced call', args: { url: called.url, method: 'GET' } } },
      { headers: { traceparent: `00-${callerTrace}-${callerSpan}-01` } },
    );
    expect(response.errors).toBeUndefined();
    const runId = response.data!.dispatch.result.run.id;
    await waitFor(() => api.app.database.prisma.run.findFirst({ where: { id: runId, status: 'SUCCEEDED' } }), 30_000, 'the traced run to succeed');

    // Spans are batched; wait until the attempt's HTTP call has arrived (the last span of the story to end).
    const httpCall = await waitFor(
      async () => {
        await tracing.flush();
        return receiver.spans.find((span) => span.kind === SPAN_KIND_CLIENT && attribute(span, 'http.request.method') === 'GET') ?? null;
      },
      30_000,
      'the http.request span at the receiver',
    );
    expect([...receiver.contentTypes][0]).toBe('POST /v1/traces application/json');
    expect(receiver.services).toEqual(new Set(['sundial-tracing-test']));

    // The operation continues the caller's trace, and its statements are its children.
    const operation = receiver.spans.find((span) => span.name === 'mutation TracedDispatch')!;
    expect(operation).toMatchObject({ traceId: callerTrace, parentSpanId: callerSpan, kind: SPAN_KIND_SERVER });
    expect(attribute(operation, 'graphql.operation.name')).toBe('TracedDispatch');
    const statements = receiver.spans.filter((span) => span.parentSpanId === operation.spanId && attribute(span, 'db.system.name') === 'postgresql');
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.some((span) => span.name === 'INSERT' && String(attribute(span, 'db.query.text')).includes('runs'))).toBe(true);

    // The attempt: job, action, attempt and trigger; the HTTP call inside it, whose traceparent the service received.
    const attempt = receiver.spans.find((span) => attribute(span, 'sundial.run.id') === runId)!;
    expect(attempt.name).toBe('run http.request');
    expect({
      action: attribute(attempt, 'sundial.action'),
      attempt: attribute(attempt, 'sundial.run.attempt'),
      trigger: attribute(attempt, 'sundial.run.trigger'),
      status: attribute(attempt, 'sundial.run.status'),
    }).toEqual({ action: 'http.request', attempt: 1, trigger: 'API', status: 'SUCCEEDED' });
    expect(typeof attribute(attempt, 'sundial.job.id')).toBe('string');
    expect(httpCall).toMatchObject({ traceId: attempt.traceId, parentSpanId: attempt.spanId });
    expect(attribute(httpCall, 'http.response.status_code')).toBe(200);
    expect(called.traceparents).toEqual([`00-${attempt.traceId}-${httpCall.spanId}-01`]);

    // The run's log lines carry the attempt's trace id, over the API.
    const log = await api.gql<{ run: { log: { edges: { node: { message: string; traceId: string | null } }[] } } }>(
      /* GraphQL */ `query Log($id: ID!) { run(id: $id) { log(first: 50) { edges { node { message traceId } } } } }`,
      { id: runId },
    );
    expect(log.errors).toBeUndefined();
    const lines = log.data!.run.log.edges.map((edge) => edge.node);
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines.map((line) => line.traceId))).toEqual(new Set([attempt.traceId]));
  });
});
