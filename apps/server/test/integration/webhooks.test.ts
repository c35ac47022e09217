// Inbound webhooks over real HTTP: a job's hook enabled and rotated through GraphQL, then real requests to
// POST /hooks/<id> — bearer and Stripe-style signed (computed here with node:crypto, as a sender would), a
// signature outside the replay window, unknown and disabled hooks, bodies too large, invalid args, the
// Idempotency-Key under concurrent identical requests and after its 24 hours, the rotation overlap, the per-hook
// rate limit, the audit rows and the deliveries the API shows.
import crypto from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { waitFor } from '../support/engine.js';

const SECRET_KEY = 'k'.repeat(16) + crypto.randomBytes(16).toString('hex');
const PER_MINUTE = 40;
const MAX_BODY = 2048;

interface HookAnswer {
  status: number;
  headers: Headers;
  body: { runId?: string; runUrl?: string; replayed?: boolean; errors?: { message: string; extensions: { code: string; fieldErrors?: { field: string; message: string }[] } }[] };
}

function sign(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

describe('inbound webhooks', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({
      actions: { dir: 'apps/server/test/fixtures/api-actions' },
      webhooks: { secret_key: SECRET_KEY, requests_per_minute: PER_MINUTE, max_body_bytes: MAX_BODY, rotation_overlap_seconds: 600 },
    });
  });
  afterAll(() => api?.close());

  async function createJob(args: Record<string, unknown> = { message: 'from the job' }): Promise<string> {
    const result = await api.gql<{ createJob: { job?: { id: string } } }>(
      /* GraphQL */ `mutation C($input: CreateJobInput!) { createJob(input: $input) { ... on MutationCreateJobSuccess { job { id } } } }`,
      { input: { name: `hooked ${crypto.randomUUID()}`, action: 'test.echo', args } },
    );
    return result.data!.createJob.job!.id;
  }

  async function enable(jobId: string): Promise<{ path: string; secret: string | null }> {
    const result = await api.gql<{ enableJobWebhook: { result: { secret: string | null; webhook: { path: string; enabled: boolean; signaturesAccepted: boolean } } } }>(
      /* GraphQL */ `mutation E($jobId: ID!) { enableJobWebhook(jobId: $jobId) {
        ... on MutationEnableJobWebhookSuccess { result { secret webhook { path enabled signaturesAccepted } } } } }`,
      { jobId },
    );
    const { secret, webhook } = result.data!.enableJobWebhook.result;
    expect(webhook).toMatchObject({ enabled: true, signaturesAccepted: true });
    return { path: webhook.path, secret };
  }

  async function hookedJob(args?: Record<string, unknown>): Promise<{ jobId: string; path: string; secret: string }> {
    const jobId = await createJob(args);
    const { path, secret } = await enable(jobId);
    return { jobId, path, secret: secret! };
  }

  async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<HookAnswer> {
    const response = await fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: response.status, headers: response.headers, body: (await response.json()) as HookAnswer['body'] };
  }

  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

  async function runOf(id: string) {
    return api.app.database.prisma.run.findUniqueOrThrow({ where: { id } });
  }

  it('shows the secret once, and starts a run for a bearer request: 202 with the run id and URL', async () => {
    const { jobId, path, secret } = await hookedJob();
    expect(secret).toMatch(/^whsec_/);
    expect(path).toMatch(/^\/hooks\/hk_[A-Za-z0-9_-]{22}$/);
    expect((await enable(jobId)).secret).toBeNull();

    const answer = await post(path, JSON.stringify({ message: 'hello from a hook', count: 2 }), bearer(secret));
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.body.runUrl).toBe(`/runs/${answer.body.runId}`);
    expect(answer.headers.get('location')).toBe(answer.body.runUrl);
    expect(answer.body.replayed).toBe(false);
    const run = await waitFor(async () => {
      const current = await runOf(answer.body.runId!);
      return current.status === 'SUCCEEDED' && current;
    });
    expect(run).toMatchObject({ jobId, trigger: 'WEBHOOK', args: { message: 'hello from a hook', count: 2 } });

    // An empty body runs with the job's own args.
    const empty = await post(path, '', bearer(secret));
    expect(empty.status).toBe(202);
    expect((await runOf(empty.body.runId!)).args).toEqual({ message: 'from the job', count: 1 });
  });

  it('accepts a signed request (t=…,v1=…) and refuses one outside the 5-minute window, a wrong signature and no credentials: 401', async () => {
    const { path, secret } = await hookedJob();
    const body = JSON.stringify({ message: 'signed' });
    const signed = await post(path, body, { 'sundial-signature': sign(secret, body) });
    expect(signed.status, JSON.stringify(signed.body)).toBe(202);
    expect((await runOf(signed.body.runId!)).args).toMatchObject({ message: 'signed' });

    const old = await post(path, body, { 'sundial-signature': sign(secret, body, Math.floor(Date.now() / 1000) - 301) });
    expect(old.status).toBe(401);
    expect(old.body.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(old.body.errors![0]!.message).toMatch(/timestamp is 30\d s from the server's clock; at most 300 s/);

    const tampered = await post(path, JSON.stringify({ message: 'changed' }), { 'sundial-signature': sign(secret, body) });
    expect(tampered.status).toBe(401);
    expect(tampered.body.errors![0]!.message).toMatch(/does not match/);

    const otherSecret = await post(path, body, { 'sundial-signature': sign(`whsec_${'x'.repeat(43)}`, body) });
    expect(otherSecret.status).toBe(401);

    const none = await post(path, body);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body.errors![0]!.message).toMatch(/Authorization: Bearer/);

    const wrongBearer = await post(path, body, bearer(`whsec_${'y'.repeat(43)}`));
    expect(wrongBearer.status).toBe(401);
    expect(wrongBearer.body).toEqual({ errors: [{ message: "The bearer secret is not this hook's secret.", extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('answers 404 for an unknown hook and a disabled one, whatever the credentials', async () => {
    const { jobId, path, secret } = await hookedJob();
    const unknown = await post('/hooks/hk_doesnotexist0000000000', '{}', bearer(secret));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ errors: [{ message: 'No enabled webhook at this address.', extensions: { code: 'NOT_FOUND' } }] });

    const disabled = await api.gql<{ disableJobWebhook: { webhook: { enabled: boolean } } }>(
      /* GraphQL */ `mutation D($jobId: ID!) { disableJobWebhook(jobId: $jobId) { ... on MutationDisableJobWebhookSuccess { webhook { enabled } } } }`,
      { jobId },
    );
    expect(disabled.data!.disableJobWebhook.webhook.enabled).toBe(false);
    const answer = await post(path, '{}', bearer(secret));
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual(unknown.body);
    await enable(jobId);
    expect((await post(path, '{}', bearer(secret))).status).toBe(202);
  });

  it('refuses a body over webhooks.max_body_bytes with 413, declared or streamed', async () => {
    const { path, secret } = await hookedJob();
    const large = JSON.stringify({ message: 'x'.repeat(MAX_BODY) });
    const declared = await post(path, large, bearer(secret));
    expect(declared.status).toBe(413);
    expect(declared.body.errors![0]).toEqual({
      message: `The body is larger than this hook's limit of ${MAX_BODY} bytes (webhooks.max_body_bytes).`,
      extensions: { code: 'PAYLOAD_TOO_LARGE' },
    });

    // Chunked, without a Content-Length: cut off once past the limit.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(secret) } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, body: text }));
      });
      request.on('error', reject);
      request.write(large.slice(0, 1500));
      request.end(large.slice(1500));
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toEqual({ errors: [declared.body.errors![0]] });
  });

  it("refuses args the action's schema refuses with 422 naming the fields, and bodies that are not an object", async () => {
    const { jobId, path, secret } = await hookedJob();
    const invalid = await post(path, JSON.stringify({ message: '', count: 1000 }), bearer(secret));
    expect(invalid.status).toBe(422);
    const error = invalid.body.errors![0]!;
    expect(error.extensions.code).toBe('INVALID_ARGS');
    expect(error.extensions.fieldErrors!.map((fieldError) => fieldError.field).sort()).toEqual(['args.count', 'args.message']);
    expect(error.message).toMatch(/action test\.echo/);

    const list = await post(path, '[1,2]', bearer(secret));
    expect(list.status).toBe(422);
    expect(list.body.errors![0]!.extensions.fieldErrors).toEqual([{ field: 'body', message: 'must be a JSON object' }]);

    const broken = await post(path, '{"message":', bearer(secret));
    expect(broken.status).toBe(400);
    expect(broken.body.errors![0]!.message).toMatch(/^The body is not valid JSON/);

    expect(await api.app.database.prisma.run.count({ where: { jobId } })).toBe(0);
  });

  it('starts one run for concurrent identical requests with one Idempotency-Key, and a new one after 24 hours', async () => {
    const { jobId, path, secret } = await hookedJob();
    const body = JSON.stringify({ message: 'once' });
    const headers = { ...bearer(secret), 'idempotency-key': 'order-1234' };
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(path, body, headers)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(202));
    const runIds = new Set(answers.map((answer) => answer.body.runId));
    expect(runIds.size).toBe(1);
    expect(answers.filter((answer) => !answer.body.replayed)).toHaveLength(1);
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(11);
    const prisma = api.app.database.prisma;
    expect(await prisma.run.count({ where: { jobId } })).toBe(1);

    // Another key is another run; the same key once its 24 hours are over is too.
    const other = await post(path, body, { ...bearer(secret), 'idempotency-key': 'order-1235' });
    expect(other.body.runId).not.toBe(answers[0]!.body.runId);
    await prisma.webhookDelivery.updateMany({ where: { jobId, idempotencyKey: 'order-1234' }, data: { receivedAt: new Date(Date.now() - 24 * 3600_000 - 1000) } });
    const later = await post(path, body, headers);
    expect(later.status).toBe(202);
    expect(later.body.replayed).toBe(false);
    expect(later.body.runId).not.toBe(answers[0]!.body.runId);
    expect(await prisma.run.count({ where: { jobId } })).toBe(3);

    const bad = await post(path, body, { ...bearer(secret), 'idempotency-key': 'has space' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors![0]!.message).toMatch(/Idempotency-Key/);
  });

  it('rotates the secret (shown once); the previous one works until its overlap ends', async () => {
    const { jobId, path, secret: first } = await hookedJob();
    const rotated = await api.gql<{ rotateJobWebhookSecret: { result: { secret: string; webhook: { previousSecretValidUntil: string | null } } } }>(
      /* GraphQL */ `mutation R($jobId: ID!) { rotateJobWebhookSecret(jobId: $jobId) {
        ... on MutationRotateJobWebhookSecretSuccess { result { secret webhook { previousSecretValidUntil } } } } }`,
      { jobId },
    );
    const { secret: second, webhook } = rotated.data!.rotateJobWebhookSecret.result;
    expect(second).not.toBe(first);
    expect(new Date(webhook.previousSecretValidUntil!).getTime()).toBeGreaterThan(Date.now() + 590_000);
    const body = '{}';
    expect((await post(path, body, bearer(second))).status).toBe(202);
    expect((await post(path, body, bearer(first))).status).toBe(202);
    expect((await post(path, body, { 'sundial-signature': sign(first, body) })).status).toBe(202);

    await api.app.database.prisma.jobWebhook.update({ where: { jobId }, data: { previousValidUntil: new Date(Date.now() - 1000) } });
    expect((await post(path, body, bearer(first))).status).toBe(401);
    expect((await post(path, body, { 'sundial-signature': sign(first, body) })).status).toBe(401);
    expect((await post(path, body, { 'sundial-signature': sign(second, body) })).status).toBe(202);
  });

  it('records every attempt in the audit log and shows the deliveries in the API', async () => {
    const { jobId, path, secret } = await hookedJob();
    const accepted = await post(path, '{}', bearer(secret));
    await post(path, '{}', bearer('whsec_wrong'));
    const unknownId = `hk_unknown${crypto.randomBytes(6).toString('hex')}`;
    await post(`/hooks/${unknownId}`, '{}', bearer(secret));
    const prisma = api.app.database.prisma;
    const rows = await waitFor(async () => {
      const found = await prisma.auditEvent.findMany({ where: { action: 'receiveWebhook', OR: [{ targetId: jobId }, { details: { path: ['hook'], equals: unknownId } }] }, orderBy: { id: 'asc' } });
      return found.length === 3 && found;
    });
    // Written once each answer is out, so in no particular order.
    const statusOf = (row: (typeof rows)[number]) => (row.details as { status: number }).status;
    rows.sort((a, b) => statusOf(a) - statusOf(b));
    expect(rows.map((row) => [row.outcome, statusOf(row)])).toEqual([
      ['SUCCESS', 202],
      ['DENIED', 401],
      ['DENIED', 404],
    ]);
    expect(rows[0]!.details).toMatchObject({ runId: accepted.body.runId, hook: path.slice('/hooks/'.length) });
    expect(JSON.stringify(rows.map((row) => row.details))).not.toContain(secret);

    const read = await waitFor(async () => {
      const result = await api.gql<{ jobWebhook: { deliveries: { status: number; accepted: boolean; runId: string | null; error: string | null }[] } }>(
        /* GraphQL */ `query W($jobId: ID!) { jobWebhook(jobId: $jobId) { deliveries(last: 5) { status accepted runId error } } }`,
        { jobId },
      );
      const deliveries = result.data?.jobWebhook.deliveries;
      return deliveries?.length === 2 && deliveries;
    });
    expect(read[0]).toMatchObject({ status: 401, accepted: false, runId: null, error: "The bearer secret is not this hook's secret." });
    expect(read[1]).toMatchObject({ status: 202, accepted: true, runId: accepted.body.runId, error: null });
  });

  it('limits requests per hook (webhooks.requests_per_minute): 429 with Retry-After', async () => {
    const { path } = await hookedJob();
    const statuses: number[] = [];
    for (let index = 0; index <= PER_MINUTE; index += 1) statuses.push((await post(path, '{}')).status);
    expect(statuses.slice(0, PER_MINUTE)).toEqual(Array(PER_MINUTE).fill(401));
    const limited = await fetch(`${api.url}${path}`, { method: 'POST', body: '{}' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as HookAnswer['body']).errors![0]!.extensions.code).toBe('RATE_LIMITED');
  });

  it('switches a hook on and off from a definitions document, and exports the switch but never the secret', async () => {
    const { definitions } = api.app.services;
    const key = `hooked-${crypto.randomBytes(4).toString('hex')}`;
    const document = (enabled: boolean) => `jobs:\n  - key: ${key}\n    name: Hooked as code\n    action: test.echo\n    args: { message: hi }\n    webhook:\n      enabled: ${enabled}\n`;
    const created = await definitions.applyText(document(true), 'yaml');
    expect(created.jobs.created).toEqual([key]);
    const prisma = api.app.database.prisma;
    const job = await prisma.job.findUniqueOrThrow({ where: { key }, include: { webhook: true } });
    expect(job.webhook?.enabled).toBe(true);
    expect((await definitions.applyText(document(true), 'yaml')).jobs.unchanged).toEqual([key]);

    const { document: exported } = await definitions.export({ jobKeys: [key] });
    expect(exported.jobs[0]).toMatchObject({ key, webhook: { enabled: true } });
    const text = JSON.stringify(exported);
    expect(text).not.toContain(job.webhook!.secretHash);
    expect(text).not.toMatch(/whsec_|secret/i);

    expect((await definitions.applyText(document(false), 'yaml')).jobs.updated).toEqual([key]);
    expect((await prisma.jobWebhook.findUniqueOrThrow({ where: { jobId: job.id } })).enabled).toBe(false);

    const refused = await definitions.validate(`jobs:\n  - key: ${key}\n    name: x\n    action: test.echo\n    args: { message: hi }\n    webhook: { enabled: maybe }\n`, 'yaml');
    expect(refused).toEqual([{ field: 'jobs[0].webhook.enabled', message: 'must be true or false' }]);
  });

  it('answers 405 to other methods', async () => {
    const { path } = await hookedJob();
    const response = await fetch(`${api.url}${path}`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});
