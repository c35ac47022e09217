// /metrics and /readyz on real servers: who may scrape (token, separate port), that runs, queues and GraphQL
// operations show up in the numbers, that every metric the example dashboard and alert rules name is exported, and
// that readiness fails when the scheduler's loop stops ticking.
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startTestApi, type TestApi } from '../support/api.js';
import { waitFor } from '../support/engine.js';
import { subscribe } from '../support/subscribe.js';

const TOKEN = 'metrics-test-token-0123456789';
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

async function scrape(url: string, token: string | null = TOKEN): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, text: await response.text() };
}

/** The value of one sample line (`name{labels} value`), or null when the line is not there. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

const DISPATCH = `mutation Dispatch($input: DispatchInput!) {
  dispatch(input: $input) { __typename ... on MutationDispatchSuccess { result { run { id } } } }
}`;

async function dispatchNoop(api: TestApi, name: string): Promise<string> {
  const result = await api.gql<{ dispatch: { result: { run: { id: string } } } }>(DISPATCH, { input: { action: 'examples.noop', name } });
  expect(result.errors).toBeUndefined();
  return result.data!.dispatch.result.run.id;
}

describe('metrics on a worker (token on the main port)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ metrics: { token: TOKEN } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers only scrapes that send the token', async () => {
    expect((await scrape(api.url, null)).status).toBe(401);
    expect((await scrape(api.url, 'wrong-token-wrong-token-wrong')).status).toBe(401);
    const { status, text } = await scrape(api.url);
    expect(status).toBe(200);
    expect(text).toContain('# TYPE sundial_runs_started_total counter');
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
  });

  it('counts a run: started, finished, its duration and schedule lag, and the GraphQL operation', async () => {
    const runId = await dispatchNoop(api, 'metrics noop');
    await waitFor(async () => (await api.app.database.prisma.run.findUnique({ where: { id: runId } }))?.status === 'SUCCEEDED', 20_000, 'the run to succeed');
    const labels = 'action="examples.noop",queue="default"';
    // The counters follow the bus's changes; a scrape reads what is due first, so the run is in this one.
    const { text } = await scrape(api.url);
    expect(sample(text, `sundial_runs_started_total{${labels}}`)).toBe(1);
    expect(sample(text, `sundial_runs_finished_total{status="succeeded",${labels}}`)).toBe(1);
    expect(sample(text, `sundial_run_duration_seconds_count{status="succeeded",${labels}}`)).toBe(1);
    expect(sample(text, `sundial_schedule_lag_seconds_count{${labels}}`)).toBe(1);
    expect(sample(text, 'sundial_graphql_operations_total{operation="Dispatch",type="mutation",outcome="ok"}')).toBe(1);
    expect(sample(text, 'sundial_graphql_operation_duration_seconds_count{operation="Dispatch",type="mutation"}')).toBe(1);
    expect(sample(text, 'sundial_scheduler_executes_jobs')).toBe(1);
    expect(sample(text, 'sundial_worker_slots')).toBe(api.app.engine.executor.activeCount + sample(text, 'sundial_worker_free_slots')!);
    expect(sample(text, 'sundial_metrics_database_up')).toBe(1);
    // The scrape's own queries may be waiting for a connection while the pool is read: any count, but there.
    expect(sample(text, 'sundial_db_pool_connections{state="waiting"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'sundial_run_log_lines_stored_total')).toBeGreaterThanOrEqual(0);
  });

  it('counts live subscriptions while they are open', async () => {
    const feed = await subscribe(api.url, 'subscription Feed { runFeed { id status } }', {}, api.adminToken);
    try {
      await dispatchNoop(api, 'seen by the feed');
      await feed.waitFor((event) => event.data !== undefined, 20_000, 'a run feed event');
      const open = async () => sample((await scrape(api.url)).text, 'sundial_graphql_subscriptions_active');
      expect(await open()).toBe(1);
      expect(sample((await scrape(api.url)).text, 'sundial_graphql_operations_total{operation="Feed",type="subscription",outcome="ok"}')).toBe(1);
      feed.close();
      await waitFor(async () => (await open()) === 0, 20_000, 'the closed subscription to be counted out');
    } finally {
      feed.close();
    }
  });

  it('exports every metric the example dashboard and alert rules name', async () => {
    const dashboard = JSON.parse(fs.readFileSync(`${REPO}deploy/grafana/sundial-dashboard.json`, 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const rules = parseYaml(fs.readFileSync(`${REPO}deploy/prometheus/sundial-alerts.yaml`, 'utf8')) as {
      groups: Array<{ rules: Array<{ expr: string }> }>;
    };
    const expressions = [
      ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
      ...rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
    ];
    const named = new Set(expressions.flatMap((expr) => expr.match(/\b(?:sundial|process|nodejs)_[a-z0-9_]+\b/g) ?? []));
    expect(named.size).toBeGreaterThan(10);
    const { text } = await scrape(api.url);
    const exported = new Set([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => match[1]!));
    const histograms = new Set([...text.matchAll(/^# TYPE (\S+) histogram$/gm)].map((match) => match[1]!));
    const missing = [...named].filter((name) => {
      const base = name.replace(/_(bucket|sum|count)$/, '');
      return !(exported.has(name) || (base !== name && histograms.has(base)));
    });
    expect(missing).toEqual([]);
  });

  it('is ready while the scheduler loop ticks, and not ready once it stops', async () => {
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    // Agenda's processing loop stops; the process still reports its scheduler "running" in /healthz.
    await api.app.scheduler.agenda.stop();
    const report = await waitFor(
      async () => {
        const response = await fetch(`${api.url}/readyz`);
        return response.status === 503 ? ((await response.json()) as { reason: string }) : null;
      },
      30_000,
      '/readyz to answer 503',
    );
    expect(report.reason).toMatch(/the scheduler's loop has not ticked for \d+ s \(limit 5 s\)/);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  });
});

/** A free TCP port on loopback (bound and released at once). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('metrics on an API-only process (separate metrics port, no token)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ jobs: { enabled: false }, metrics: { port: await freePort() } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('serves /metrics and /readyz on the metrics port only', async () => {
    const metricsUrl = api.app.metricsUrl!;
    expect(metricsUrl).not.toBe(api.url);
    expect((await scrape(metricsUrl, null)).status).toBe(200);
    expect((await fetch(`${metricsUrl}/graphql`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/readyz`)).status).toBe(200);
    const mainPort = await scrape(api.url, null);
    expect(mainPort.status).toBe(404);
    expect(mainPort.text).toContain('metrics.token');
  });

  it('reports queued runs nobody executes, and the age of the oldest', async () => {
    await dispatchNoop(api, 'waits for a worker');
    await dispatchNoop(api, 'waits too');
    const { text } = await scrape(api.app.metricsUrl!, null);
    expect(sample(text, 'sundial_runs_queued{queue="default"}')).toBe(2);
    expect(sample(text, 'sundial_runs_oldest_queued_age_seconds{queue="default"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'sundial_scheduler_executes_jobs')).toBe(0);
    expect(sample(text, 'sundial_worker_free_slots')).toBe(0);
  });
});
