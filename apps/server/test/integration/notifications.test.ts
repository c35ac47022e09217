// Job notifications end to end over the real API: a real SMTP server (smtp-server) and real HTTP receivers on
// loopback get what finished runs send — e-mail to addresses, users and role members; signed webhooks; retries
// with backoff until the receiver answers; RECOVERED only after a failure; nothing for outcomes not chosen;
// validation naming its fields; refusals that are final (bad SMTP credentials, addresses the SSRF guard refuses)
// without the password in any message; and runs that finish while the peers hang.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { DOCS, extractBlocks } from '../support/guide-blocks.js';
import { until } from '../support/wait.js';

const ACTIONS = { dir: 'apps/server/test/fixtures/notification-actions' };
const SECRET = 'whsec-test-0123456789abcdef';
const SMTP_USER = 'sundial';
const SMTP_PASSWORD = 'smtp-pass-9f8e7d6c';
const PUBLIC_URL = 'https://sundial.example.com';

// ---- Peers on loopback ------------------------------------------------------------------------------------------

interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** The message as text: quoted-printable soft line breaks joined and escapes decoded (bodies here are ASCII). */
function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

async function startSmtp(options: { password: string }) {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === options.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: decodeQuotedPrintable(Buffer.concat(chunks).toString('utf8')),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface ReceivedHook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An HTTP receiver; `answer` picks each request's status (by how many that path got so far). */
async function startReceiver(answer: (path: string, count: number) => number | 'hang' = () => 200) {
  const hooks: ReceivedHook[] = [];
  const counts = new Map<string, number>();
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const count = (counts.get(path) ?? 0) + 1;
      counts.set(path, count);
      hooks.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = answer(path, count);
      if (status === 'hang') {
        hanging.add(response);
        return;
      }
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'receiver is down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    hooks,
    hanging,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A TCP peer that accepts connections and never says a word (an SMTP server that hangs before its greeting). */
async function startSilentPeer() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---- API helpers --------------------------------------------------------------------------------------------------

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateJobInput!) {
    createJob(input: $input) {
      __typename
      ... on MutationCreateJobSuccess { job { id notifyOn notifyEmails notifyWebhooks notifyUsers { id } notifyRoles { id } } }
      ... on ValidationError { fieldErrors { field message } }
    }
  }
`;

const RUN = /* GraphQL */ `
  mutation Run($id: ID!, $args: JSON) {
    runJobNow(id: $id, args: $args) { __typename ... on MutationRunJobNowSuccess { run { id } } }
  }
`;

const DELIVERIES = /* GraphQL */ `
  query Deliveries($id: ID!) {
    job(id: $id) {
      notificationDeliveries(first: 50) { channel recipient outcome status attempts lastError sentAt nextAttemptAt run { id } }
    }
  }
`;

interface Delivery {
  channel: 'EMAIL' | 'WEBHOOK';
  recipient: string;
  outcome: string;
  status: 'PENDING' | 'SENT' | 'FAILED';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  nextAttemptAt: string | null;
  run: { id: string };
}

interface CreatedJob {
  id: string;
  notifyOn: string[];
  notifyEmails: string[];
  notifyWebhooks: string[];
  notifyUsers: { id: string }[];
  notifyRoles: { id: string }[];
}

function helpers(api: () => TestApi) {
  return {
    async createJob(input: Record<string, unknown>): Promise<CreatedJob> {
      const result = await api().gql<{ createJob: { __typename: string; job?: CreatedJob; fieldErrors?: unknown } }>(CREATE, {
        input: { action: 'test.outcome', ...input },
      });
      expect(result.errors).toBeUndefined();
      expect(result.data!.createJob, JSON.stringify(result.data!.createJob.fieldErrors)).toMatchObject({ __typename: 'MutationCreateJobSuccess' });
      return result.data!.createJob.job!;
    },
    /** Starts a run and waits until it is over. */
    async run(jobId: string, fail: boolean): Promise<string> {
      const result = await api().gql<{ runJobNow: { run: { id: string } } }>(RUN, { id: jobId, args: { fail } });
      expect(result.errors).toBeUndefined();
      const runId = result.data!.runJobNow.run.id;
      const prisma = api().app.database.prisma;
      await until(`run ${runId} to finish`, async () => {
        const run = await prisma.run.findUnique({ where: { id: runId } });
        return run && (run.status === 'SUCCEEDED' || run.status === 'FAILED');
      });
      return runId;
    },
    async deliveries(jobId: string): Promise<Delivery[]> {
      const result = await api().gql<{ job: { notificationDeliveries: Delivery[] } }>(DELIVERIES, { id: jobId });
      expect(result.errors).toBeUndefined();
      return result.data!.job.notificationDeliveries;
    },
  };
}

interface Peer {
  close(): Promise<unknown>;
}

/**
 * One suite's setup: its SMTP and webhook peers start first, then the API, configured to reach them; all close after
 * the suite. The values exist once beforeAll has run, so tests read them from `suite` (`suite.api`, `suite.smtp`).
 */
function notificationSuite<S extends Peer, R extends Peer>(
  startPeers: () => Promise<{ smtp: S; receiver: R }>,
  apiOptions: (peers: { smtp: S; receiver: R }) => Record<string, unknown>,
) {
  // Filled in by beforeAll, before any test reads it.
  const suite = {} as { api: TestApi; smtp: S; receiver: R };
  beforeAll(async () => {
    Object.assign(suite, await startPeers());
    suite.api = await startTestApi(apiOptions(suite));
  }, 60_000);
  afterAll(async () => {
    await suite.api?.close();
    await suite.receiver?.close();
    await suite.smtp?.close();
  });
  return { suite, h: helpers(() => suite.api) };
}

// docs/notifications.md's own blocks: the verification snippet verifies what the server sent, and the GraphQL
// example runs as written.
const guide = extractBlocks(fs.readFileSync(path.join(DOCS, 'notifications.md'), 'utf8'), 'docs/notifications.md');
const docBlock = (lang: string, contains: string) => {
  const block = guide.find((candidate) => candidate.lang === lang && candidate.code.includes(contains));
  if (!block) throw new Error(`docs/notifications.md has no ${lang} block with ${contains}`);
  return block.code;
};
type VerifyWebhook = (secret: string, headers: http.IncomingHttpHeaders, rawBody: string, now?: number) => boolean;
async function importDocVerifier(): Promise<VerifyWebhook> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-notify-doc-'));
  const file = path.join(folder, 'verify.mjs');
  fs.writeFileSync(file, docBlock('js', 'export function verifySundialWebhook'));
  try {
    return ((await import(pathToFileURL(file).href)) as { verifySundialWebhook: VerifyWebhook }).verifySundialWebhook;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

function verifySignature(hook: ReceivedHook): boolean {
  const timestamp = String(hook.headers['x-sundial-timestamp']);
  const expected = `sha256=${crypto.createHmac('sha256', SECRET).update(`${timestamp}.${hook.body}`).digest('hex')}`;
  const given = String(hook.headers['x-sundial-signature']);
  return given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

// ---- Delivering ---------------------------------------------------------------------------------------------------

describe('notifications delivered to real peers', () => {
  const { suite, h } = notificationSuite(
    async () => ({
      smtp: await startSmtp({ password: SMTP_PASSWORD }),
      // /flaky answers 503 twice, then 200; everything else 200.
      receiver: await startReceiver((path, count) => (path === '/flaky' && count <= 2 ? 503 : 200)),
    }),
    ({ smtp }) => ({
      actions: ACTIONS,
      server: { port: 0, public_url: `${PUBLIC_URL}/` },
      builtin: { http: { allow_hosts: ['127.0.0.1'] }, cleanup: { schedule_daily: false } },
      notifications: {
        smtp: { host: '127.0.0.1', port: smtp.port, user: SMTP_USER, password: SMTP_PASSWORD, from: 'Sundial <sundial@example.com>' },
        webhook_secret: SECRET,
        backoff_base_ms: 20,
        backoff_max_ms: 200,
        poll_ms: 25,
        max_attempts: 5,
      },
    }),
  );

  it('e-mails the addresses, the chosen users and the active members of the chosen roles when a run fails', async () => {
    const prisma = suite.api.app.database.prisma;
    const role = await prisma.role.create({ data: { name: 'on-call' } });
    const [ana, , inactive] = await Promise.all([
      prisma.user.create({ data: { email: 'ana@example.com', name: 'Ana' } }),
      prisma.user.create({ data: { email: 'bo@example.com', name: 'Bo', roles: { create: { roleId: role.id } } } }),
      prisma.user.create({ data: { email: 'gone@example.com', name: 'Gone', active: false, roles: { create: { roleId: role.id } } } }),
    ]);
    const job = await h.createJob({
      name: 'Nightly export',
      notifyOn: ['FAILED'],
      // OPS@ repeats ops@ and Ana's address repeats her user: each address gets one e-mail.
      notifyEmails: ['ops@example.com', ' OPS@example.com ', 'ana@example.com'],
      notifyUserIds: [ana.id],
      notifyRoleIds: [role.id],
    });
    expect(job).toMatchObject({ notifyOn: ['FAILED'], notifyEmails: ['ops@example.com', 'ana@example.com'], notifyUsers: [{ id: ana.id }], notifyRoles: [{ id: role.id }] });

    const runId = await h.run(job.id, true);
    const sent = await until('three e-mails sent', async () => {
      const deliveries = await h.deliveries(job.id);
      return deliveries.length === 3 && deliveries.every((delivery) => delivery.status === 'SENT') && deliveries;
    });
    expect(sent.map((delivery) => delivery.recipient).sort()).toEqual(['ana@example.com', 'bo@example.com', 'ops@example.com']);
    expect(sent.every((delivery) => delivery.channel === 'EMAIL' && delivery.outcome === 'FAILED' && delivery.attempts === 1)).toBe(true);
    expect(sent.every((delivery) => delivery.run.id === runId && delivery.lastError === null && delivery.nextAttemptAt === null)).toBe(true);
    expect(inactive.active).toBe(false);

    const mails = suite.smtp.mails.filter((mail) => mail.raw.includes(runId));
    expect(mails.flatMap((mail) => mail.to).sort()).toEqual(['ana@example.com', 'bo@example.com', 'ops@example.com']);
    const mail = mails[0]!;
    expect(mail.from).toBe('sundial@example.com');
    expect(mail.raw).toContain('Subject: [Sundial] Nightly export: failed');
    expect(mail.raw).toContain('the export could not reach the warehouse');
    expect(mail.raw).toContain(`${PUBLIC_URL}/runs/${runId}`);
    expect(mail.raw).not.toContain(SMTP_PASSWORD);
  });

  it('POSTs a signed JSON body to webhooks, and retries with backoff until the receiver answers', async () => {
    const job = await h.createJob({
      name: 'Webhook job',
      notifyOn: ['FAILED', 'SUCCEEDED'],
      notifyWebhooks: [suite.receiver.url('/hooks/steady?team=ops'), suite.receiver.url('/flaky')],
    });
    const runId = await h.run(job.id, false);
    const deliveries = await until('both webhooks sent', async () => {
      const all = await h.deliveries(job.id);
      return all.length === 2 && all.every((delivery) => delivery.status === 'SENT') && all;
    });
    const flaky = deliveries.find((delivery) => delivery.recipient.endsWith('/flaky'))!;
    const steady = deliveries.find((delivery) => delivery.recipient.includes('/hooks/steady'))!;
    expect(steady).toMatchObject({ channel: 'WEBHOOK', outcome: 'SUCCEEDED', attempts: 1, lastError: null });
    // Two 503s, then the 200: three attempts, and the error of the failed ones is cleared once it is sent.
    expect(flaky).toMatchObject({ channel: 'WEBHOOK', outcome: 'SUCCEEDED', attempts: 3, lastError: null });

    const calls = suite.receiver.hooks.filter((hook) => hook.body.includes(runId));
    expect(calls.map((hook) => hook.path).sort()).toEqual(['/flaky', '/flaky', '/flaky', '/hooks/steady?team=ops']);
    for (const hook of calls) {
      expect(verifySignature(hook)).toBe(true);
      expect(hook.headers['content-type']).toBe('application/json');
      expect(hook.headers['x-sundial-event']).toBe('run.finished');
    }
    const body = JSON.parse(calls[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      event: 'run.finished',
      outcome: 'SUCCEEDED',
      job: { id: job.id, name: 'Webhook job' },
      run: { id: runId, status: 'SUCCEEDED', attempt: 1, url: `${PUBLIC_URL}/runs/${runId}`, errorMessage: null },
    });
    expect(typeof (body.run as { finishedAt: unknown }).finishedAt).toBe('string');
    // A body changed in transit no longer matches its signature.
    expect(verifySignature({ ...calls[0]!, body: calls[0]!.body.replace('SUCCEEDED', 'FAILED') })).toBe(false);

    // The guide's verification snippet accepts what was sent, and refuses a changed body, another secret, old news.
    const verify = await importDocVerifier();
    const [first] = calls;
    expect(verify(SECRET, first!.headers, first!.body)).toBe(true);
    expect(verify(SECRET, first!.headers, first!.body.replace('SUCCEEDED', 'FAILED'))).toBe(false);
    expect(verify('another-secret', first!.headers, first!.body)).toBe(false);
    expect(verify(SECRET, first!.headers, first!.body, Date.now() + 10 * 60_000)).toBe(false);
  });

  it("runs the guide's GraphQL example as written", async () => {
    const job = await h.createJob({ name: 'From the guide' });
    const variables = JSON.parse(docBlock('json', '"notifyOn"')) as { id: string; input: Record<string, unknown> };
    const result = await suite.api.gql<{ updateJob: { __typename: string; job: { notifyOn: string[]; notifyEmails: string[]; notifyWebhooks: string[] } } }>(
      docBlock('graphql', 'updateJob'),
      { ...variables, id: job.id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateJob).toMatchObject({ __typename: 'MutationUpdateJobSuccess', job: variables.input });
  });

  it('notifies RECOVERED only for a success after a failure, and nothing for outcomes not chosen', async () => {
    const job = await h.createJob({ name: 'Recovering job', notifyOn: ['RECOVERED'], notifyWebhooks: [suite.receiver.url('/recovered')] });
    await h.run(job.id, false); // first success: nothing failed before it
    const failed = await h.run(job.id, true); // FAILED is not chosen
    const recovered = await h.run(job.id, false); // back to normal
    await h.run(job.id, false); // still fine: not a recovery
    const [delivery] = await until('the recovery notice sent', async () => {
      const all = await h.deliveries(job.id);
      return all.some((entry) => entry.run.id === recovered && entry.status === 'SENT') && all;
    });
    // The outbox rows were written with each run's ending: all of them are there by now.
    const all = await h.deliveries(job.id);
    expect(all).toHaveLength(1);
    expect(delivery).toMatchObject({ outcome: 'RECOVERED', run: { id: recovered } });
    expect(all.some((entry) => entry.run.id === failed)).toBe(false);

    // Asked for both, a recovery notifies once, as RECOVERED; a plain success as SUCCEEDED.
    const both = await h.createJob({ name: 'Both', notifyOn: ['SUCCEEDED', 'RECOVERED'], notifyWebhooks: [suite.receiver.url('/both')] });
    const failedBoth = await h.run(both.id, true);
    const back = await h.run(both.id, false);
    const again = await h.run(both.id, false);
    const outcomes = await until('two notices for "Both"', async () => {
      const entries = await h.deliveries(both.id);
      return entries.length === 2 && entries.every((entry) => entry.status === 'SENT') && entries;
    });
    expect(Object.fromEntries(outcomes.map((entry) => [entry.run.id, entry.outcome]))).toEqual({ [back]: 'RECOVERED', [again]: 'SUCCEEDED' });
    expect(outcomes.some((entry) => entry.run.id === failedBoth)).toBe(false);
  });

  it('refuses bad settings with errors that name their fields, and saves nothing', async () => {
    const before = await suite.api.app.database.prisma.job.count();
    const result = await suite.api.gql<{ createJob: { __typename: string; fieldErrors: { field: string; message: string }[] } }>(CREATE, {
      input: {
        name: 'Bad notifications',
        action: 'test.outcome',
        notifyOn: ['FAILED'],
        notifyEmails: ['ops@example.com', 'not-an-address'],
        notifyWebhooks: ['ftp://files.example.com/drop', 'https://user:pw@hooks.example.com/x'],
        notifyUserIds: ['0190a0a0-0000-7000-8000-000000000000'],
        notifyRoleIds: ['not-a-role'],
      },
    });
    expect(result.data!.createJob.__typename).toBe('ValidationError');
    const errors = Object.fromEntries(result.data!.createJob.fieldErrors.map((error) => [error.field, error.message]));
    expect(errors.notifyEmails).toContain('"not-an-address"');
    expect(errors.notifyWebhooks).toContain('only https:// and http://');
    expect(errors.notifyWebhooks).toContain('must not carry a user name or password');
    expect(errors.notifyUserIds).toContain('no such user: 0190a0a0-0000-7000-8000-000000000000');
    expect(errors.notifyRoleIds).toContain('no such role: not-a-role');

    const nobody = await suite.api.gql<{ createJob: { __typename: string; fieldErrors: { field: string; message: string }[] } }>(CREATE, {
      input: { name: 'Nobody', action: 'test.outcome', notifyOn: ['FAILED'] },
    });
    expect(nobody.data!.createJob.fieldErrors).toEqual([{ field: 'notifyOn', message: expect.stringContaining('nobody to notify') }]);
    expect(await suite.api.app.database.prisma.job.count()).toBe(before);
  });

  it('updates only the notification fields given, and clears them with empty lists', async () => {
    const job = await h.createJob({ name: 'Edited', notifyOn: ['FAILED'], notifyEmails: ['a@example.com'] });
    const UPDATE = /* GraphQL */ `
      mutation U($id: ID!, $input: UpdateJobInput!) {
        updateJob(id: $id, input: $input) {
          __typename
          ... on MutationUpdateJobSuccess { job { notifyOn notifyEmails notifyWebhooks } }
          ... on ValidationError { fieldErrors { field message } }
        }
      }`;
    const added = await suite.api.gql<{ updateJob: { job: { notifyOn: string[]; notifyEmails: string[]; notifyWebhooks: string[] } } }>(UPDATE, {
      id: job.id,
      input: { notifyOn: ['TIMED_OUT', 'FAILED'], notifyWebhooks: ['https://hooks.example.com/a'] },
    });
    // Stored in a fixed order whatever order they came in; the e-mails were not given, so they stay.
    expect(added.data!.updateJob.job).toEqual({ notifyOn: ['FAILED', 'TIMED_OUT'], notifyEmails: ['a@example.com'], notifyWebhooks: ['https://hooks.example.com/a'] });
    const cleared = await suite.api.gql<{ updateJob: { job: { notifyOn: string[]; notifyEmails: string[]; notifyWebhooks: string[] } } }>(UPDATE, {
      id: job.id,
      input: { notifyOn: [], notifyEmails: [], notifyWebhooks: [] },
    });
    expect(cleared.data!.updateJob.job).toEqual({ notifyOn: [], notifyEmails: [], notifyWebhooks: [] });
  });
});

// ---- Final refusals -----------------------------------------------------------------------------------------------

describe('notifications that cannot be delivered', () => {
  // The SMTP server expects another password; loopback is not on the SSRF allow-list here.
  const { suite, h } = notificationSuite(
    async () => ({ smtp: await startSmtp({ password: 'the-right-one' }), receiver: await startReceiver() }),
    ({ smtp }) => ({
      actions: ACTIONS,
      builtin: { cleanup: { schedule_daily: false } },
      notifications: {
        smtp: { host: '127.0.0.1', port: smtp.port, user: SMTP_USER, password: SMTP_PASSWORD },
        webhook_secret: SECRET,
        backoff_base_ms: 20,
        poll_ms: 25,
        max_attempts: 5,
      },
    }),
  );

  it('gives up at once on refused credentials and refused addresses, and never shows the password', async () => {
    const job = await h.createJob({ name: 'Refused', notifyOn: ['FAILED'], notifyEmails: ['ops@example.com'], notifyWebhooks: [suite.receiver.url('/hook')] });
    await h.run(job.id, true);
    const deliveries = await until('both deliveries given up', async () => {
      const all = await h.deliveries(job.id);
      return all.length === 2 && all.every((delivery) => delivery.status === 'FAILED') && all;
    });
    const email = deliveries.find((delivery) => delivery.channel === 'EMAIL')!;
    const webhook = deliveries.find((delivery) => delivery.channel === 'WEBHOOK')!;
    expect(email).toMatchObject({ attempts: 1, sentAt: null, nextAttemptAt: null, lastError: expect.stringContaining('535') });
    expect(email.lastError).not.toContain(SMTP_PASSWORD);
    expect(webhook).toMatchObject({ attempts: 1, lastError: expect.stringContaining('builtin.http.allow_hosts') });
    expect(suite.receiver.hooks).toHaveLength(0);
    expect(suite.smtp.mails).toHaveLength(0);
  });
});

// ---- Hanging peers ------------------------------------------------------------------------------------------------

describe('notifications to peers that hang', () => {
  const { suite, h } = notificationSuite(
    async () => ({ smtp: await startSilentPeer(), receiver: await startReceiver(() => 'hang') }),
    ({ smtp }) => ({
      actions: ACTIONS,
      builtin: { http: { allow_hosts: ['127.0.0.1'] }, cleanup: { schedule_daily: false } },
      // Attempts that would wait five minutes: nothing here may wait for them.
      notifications: { smtp: { host: '127.0.0.1', port: smtp.port }, timeout_ms: 300_000, poll_ms: 25 },
    }),
  );

  it('lets runs finish while the SMTP server and the webhook never answer', async () => {
    const job = await h.createJob({ name: 'Hanging peers', notifyOn: ['FAILED'], notifyEmails: ['ops@example.com'], notifyWebhooks: [suite.receiver.url('/hang')] });
    const first = await h.run(job.id, true);
    await until('both peers to hold an attempt open', () => suite.smtp.sockets.size > 0 && suite.receiver.hanging.size > 0);
    // The next run starts and finishes while the first run's notifications still hang.
    const second = await h.run(job.id, true);
    expect(suite.receiver.hanging.size).toBeGreaterThan(0);
    expect(suite.smtp.sockets.size).toBeGreaterThan(0);
    const firstDeliveries = (await h.deliveries(job.id)).filter((delivery) => delivery.run.id === first);
    expect(firstDeliveries).toHaveLength(2);
    expect(firstDeliveries.every((delivery) => delivery.status === 'PENDING' && delivery.attempts === 1 && delivery.sentAt === null)).toBe(true);
    const run = await suite.api.app.database.prisma.run.findUniqueOrThrow({ where: { id: second } });
    expect(run.status).toBe('FAILED');
  });
});
