// notify.users against real peers: a webhook receiver this file starts on 127.0.0.1 (reachable only because the
// tests put 127.0.0.1 in builtin.http.allow_hosts — and refused without it, before any connection), the inbox rows
// it writes in a real Sundial server's database, its templates, per-user and one-run-for-all modes; then the
// inbox over GraphQL: one's own messages only, marking read, and nothing for a caller who is not signed in.
import diagnostics from 'node:diagnostics_channel';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionArgsError, parseTemplate, renderTemplate, type ActionDefinition, type ActionUser, type ArgsSchema } from '@sundial/actions';
import { runActionForTest, type TestLogLine, type TestRunOptions } from '@sundial/actions/testing';
import {
  createNotifyUsersAction,
  type NotifyUsersOutput,
  type NotifyUsersSettings,
  type WebhookPayload,
} from '@sundial/builtin-actions';
import type { Run, User } from '../../src/db/prisma.js';
import { createSundialData } from '../../src/services/sundial-data.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { waitFor } from '../support/engine.js';

/** Every outgoing TCP connection attempt this process makes (Node's own channel). */
const connectionsTo: string[] = [];
diagnostics.subscribe('net.client.socket', (message) => {
  connectionsTo.push(String((message as { socket: Socket }).socket.remoteAddress ?? 'pending'));
});

interface Received {
  path: string;
  contentType: string | undefined;
  payload: WebhookPayload;
}

/** A webhook receiver on 127.0.0.1: /ok answers 204, /fail 500, /hang never. */
async function startReceiver() {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (path === '/hang') return;
      received.push({ path, contentType: request.headers['content-type'], payload: JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload });
      response.writeHead(path.startsWith('/fail') ? 500 : 204);
      response.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let api: TestApi;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let admin: User;
let ada: User;
let bob: User;

const asActionUser = (user: User): ActionUser => ({
  id: user.id,
  email: user.email,
  name: user.name,
  attributes: user.attributes as Record<string, unknown>,
});

beforeAll(async () => {
  receiver = await startReceiver();
  api = await startTestApi({ builtin: { http: { allow_hosts: ['127.0.0.1'] }, cleanup: { schedule_daily: false } } });
  const prisma = api.app.database.prisma;
  admin = await prisma.user.findUniqueOrThrow({ where: { email: 'admin@example.com' } });
  ada = await prisma.user.create({
    data: { email: 'ada@example.com', name: 'Ada', attributes: { locale: 'en-GB', webhook_url: `${receiver.base}/ok/ada`, chat: { id: 42 } } },
  });
  bob = await prisma.user.create({ data: { email: 'bob@example.com', name: 'Bob', attributes: { webhook_url: `${receiver.base}/fail/bob` } } });
});
afterAll(async () => {
  await api?.close();
  await receiver?.close();
});
beforeEach(async () => {
  await api.app.database.prisma.inboxMessage.deleteMany({});
  receiver.received.length = 0;
});

/** Runs the action as the test kit does, with the server's own data behind context.sundial (its inboxes). */
function runOnServer<A extends ArgsSchema, O>(definition: ActionDefinition<A, O>, options: TestRunOptions = {}) {
  return runActionForTest(definition, { sundial: createSundialData(api.app.database.pool), ...options });
}

function action(settings: Partial<NotifyUsersSettings> = {}) {
  return createNotifyUsersAction({ allowHosts: ['127.0.0.1'], allowPrivate: false, ...settings });
}

async function failure(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the action to fail');
}

describe('notify.users templates', () => {
  it('renders fields, attributes and run values; JSON for structured attributes', () => {
    const parts = parseTemplate('Hi {{name}} <{{ email }}>, locale {{attributes.locale}}, chat {{attributes.chat}}, run {{run.trigger}} #{{run.attempt}}');
    const { text, missing } = renderTemplate(parts, {
      fields: { name: 'Ada', email: 'ada@example.com', 'run.trigger': 'MANUAL', 'run.attempt': '1' },
      attributes: { locale: 'en-GB', chat: { id: 42 } },
    });
    expect(text).toBe('Hi Ada <ada@example.com>, locale en-GB, chat {"id":42}, run MANUAL #1');
    expect(missing).toEqual([]);
    // No HTML escaping: messages are plain text.
    expect(renderTemplate(parseTemplate('{{name}}'), { fields: { name: 'A & <B>' }, attributes: {} }).text).toBe('A & <B>');
  });

  it('refuses unknown placeholders and unbalanced braces when the job is saved, naming the field', async () => {
    await expect(runOnServer(action(), { args: { subject: 'Hi {{nmae}}', message: 'ok' } })).rejects.toMatchObject({
      errors: [{ field: 'subject', message: expect.stringMatching(/^\{\{nmae\}\} is not a placeholder; use one of \{\{id\}\}, \{\{name\}\}.* or \{\{attributes\.NAME\}\}$/) }],
    });
    await expect(runOnServer(action(), { args: { subject: 'ok', message: 'Hello {{name' } })).rejects.toBeInstanceOf(ActionArgsError);
    await expect(
      api.app.engine.jobs.create({ name: 'bad template', action: 'notify.users', args: { subject: 'x', message: 'Dear {{user.name}}' } }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ field: 'args.message', message: expect.stringContaining('{{user.name}} is not a placeholder') })] });
    await expect(
      api.app.engine.jobs.create({ name: 'bad channel', action: 'notify.users', args: { subject: 'x', message: 'y', channel: 'sms' } }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ field: 'args.channel' })] });
  });

  it('renders a missing attribute empty and logs a warning naming the user', async () => {
    const logs: TestLogLine[] = [];
    const result = await runOnServer(action(), {
      args: { subject: 'Reminder', message: 'Chat {{attributes.telegram_id}}.' },
      user: asActionUser(bob),
      onLog: (line) => logs.push(line),
    });
    expect(result.output.delivered).toBe(1);
    const stored = await api.app.database.prisma.inboxMessage.findFirstOrThrow({ where: { userId: bob.id } });
    expect(stored.body).toBe('Chat .');
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'bob@example.com has no attribute "telegram_id": {{attributes.telegram_id}} rendered empty' }));
  });
});

describe('notify.users inbox channel', () => {
  it('stores one rendered message per user (per_user off: one run for all), counting them', async () => {
    const result = await runOnServer(action(), {
      args: { subject: 'Hello {{name}}', message: 'Your locale: {{attributes.locale}}' },
      users: [asActionUser(ada), asActionUser(bob)],
    });
    expect(result.output).toEqual<NotifyUsersOutput>({ channel: 'inbox', delivered: 2, failed: 0, messageIds: [expect.any(String), expect.any(String)] });
    const rows = await api.app.database.prisma.inboxMessage.findMany({ orderBy: { subject: 'asc' } });
    expect(rows.map((row) => [row.userId, row.subject, row.body, row.readAt, row.runId])).toEqual([
      [ada.id, 'Hello Ada', 'Your locale: en-GB', null, null],
      [bob.id, 'Hello Bob', 'Your locale: ', null, null],
    ]);
    expect(result.progress.at(-1)).toEqual({ done: 2, total: 2 });
  });

  it('in a per-user job, each child run fills its user\'s inbox, linked to the run and job', async () => {
    const job = await api.app.engine.jobs.create({
      name: 'Daily reminder',
      action: 'notify.users',
      perUser: true,
      targetUserIds: [admin.id, ada.id],
      args: { subject: 'Reminder for {{name}}', message: 'Due {{run.scheduledFor}} (run {{run.id}})' },
    });
    const parent = await runAndWait(job.id);
    expect(parent.status).toBe('SUCCEEDED');
    const rows = await api.app.database.prisma.inboxMessage.findMany({ include: { run: true } });
    expect(rows.map((row) => row.subject).sort()).toEqual(['Reminder for Ada', `Reminder for ${admin.name}`]);
    for (const row of rows) {
      expect(row.jobId).toBe(job.id);
      expect(row.run?.parentRunId).toBe(parent.id);
      expect(row.body).toBe(`Due ${row.run!.scheduledFor.toISOString()} (run ${row.runId})`);
    }
  });

  it('fails with a clear message for a user that no longer exists, and still notifies the others', async () => {
    const ghost: ActionUser = { id: '00000000-0000-4000-8000-00000000dead', email: 'ghost@example.com', name: 'Ghost', attributes: {} };
    const message = await failure(runOnServer(action(), { args: { subject: 's', message: 'm' }, users: [asActionUser(ada), ghost] }));
    expect(message).toMatch(/^notified 1 of 2 users; 1 failed: ghost@example\.com: not stored in the inbox: no user with id 00000000-0000-4000-8000-00000000dead/);
    expect(await api.app.database.prisma.inboxMessage.count({ where: { userId: ada.id } })).toBe(1);
  });

  it('warns and succeeds when the job targets nobody', async () => {
    const result = await runOnServer(action(), { args: { subject: 's', message: 'm' } });
    expect(result.output).toMatchObject({ delivered: 0, failed: 0 });
    expect(result.logs).toContainEqual({ level: 'warn', message: 'the job targets no user: nothing to send' });
  });
});

describe('notify.users webhook channel', () => {
  it('POSTs the rendered message as JSON to each user\'s URL', async () => {
    const result = await runOnServer(action(), {
      args: { channel: 'webhook', subject: 'Hi {{name}}', message: 'Locale {{attributes.locale}}' },
      user: asActionUser(ada),
      run: { id: 'run-1', jobId: 'job-1' },
    });
    expect(result.output).toMatchObject({ channel: 'webhook', delivered: 1, failed: 0, messageIds: [] });
    expect(receiver.received).toEqual([
      {
        path: '/ok/ada',
        contentType: 'application/json',
        payload: { subject: 'Hi Ada', message: 'Locale en-GB', user: { id: ada.id, email: 'ada@example.com', name: 'Ada' }, run: { id: 'run-1', jobId: 'job-1' } },
      },
    ]);
    // The log shows the origin only: webhook URLs often carry their credential in the path.
    expect(result.logs.map((line) => line.message)).toContain(`ada@example.com: POST ${receiver.base}/… answered 204`);
    expect(JSON.stringify(result.logs)).not.toContain('/ok/ada');
  });

  it('reads the URL from the attribute named by webhookAttribute; a user without one fails, naming the attribute', async () => {
    const user = { ...asActionUser(ada), attributes: { hook: `${receiver.base}/ok/custom` } };
    await runOnServer(action(), { args: { channel: 'webhook', webhookAttribute: 'hook', subject: 's', message: 'm' }, user });
    expect(receiver.received.map((entry) => entry.path)).toEqual(['/ok/custom']);
    expect(await failure(runOnServer(action(), { args: { channel: 'webhook', subject: 's', message: 'm' }, user }))).toBe(
      'ada@example.com: no webhook URL: attribute "webhook_url" is not set',
    );
    const ftp = { ...user, attributes: { webhook_url: 'ftp://example.com/x' } };
    expect(await failure(runOnServer(action(), { args: { channel: 'webhook', subject: 's', message: 'm' }, user: ftp }))).toBe(
      'ada@example.com: no webhook URL: attribute "webhook_url" is not an http:// or https:// URL',
    );
  });

  it('one run for all users: a failing receiver fails the run, naming the user, after the others were sent', async () => {
    const message = await failure(
      runOnServer(action(), { args: { channel: 'webhook', subject: 's', message: 'm' }, users: [asActionUser(bob), asActionUser(ada)] }),
    );
    expect(message).toBe(`notified 1 of 2 users; 1 failed: bob@example.com: POST ${receiver.base}/… answered 500; expected a 2xx status`);
    expect(receiver.received.map((entry) => entry.path)).toEqual(['/fail/bob', '/ok/ada']);
  });

  it('gives up on a receiver that does not answer within timeoutMs', async () => {
    const user = { ...asActionUser(ada), attributes: { webhook_url: `${receiver.base}/hang` } };
    expect(await failure(runOnServer(action(), { args: { channel: 'webhook', subject: 's', message: 'm', timeoutMs: 300 }, user }))).toBe(
      `ada@example.com: POST ${receiver.base}/… did not answer within 300 ms (timeoutMs)`,
    );
  });

  it('stops at once when the run is cancelled', async () => {
    const controller = new AbortController();
    connectionsTo.length = 0;
    const user = { ...asActionUser(ada), attributes: { webhook_url: `${receiver.base}/hang` } };
    const running = runOnServer(action(), { args: { channel: 'webhook', subject: 's', message: 'm', timeoutMs: 60_000 }, user, signal: controller.signal });
    const reason = new Error('cancelled by test');
    await waitFor(async () => controller.signal.aborted || connectionsTo.length > 0);
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
  });

  it('refuses loopback, private and metadata URLs unless allowed, before connecting (the SSRF guard of http.request)', async () => {
    const refused = action({ allowHosts: [] });
    const cases: [string, string][] = [
      [`${receiver.base}/ok/x`, '127.0.0.1 is a loopback address; add it to builtin.http.allow_hosts to allow it'],
      ['http://10.1.2.3/hook', '10.1.2.3 is a private address; add it to builtin.http.allow_hosts to allow it'],
      ['http://169.254.169.254/latest', '169.254.169.254 is a cloud metadata address; add it to builtin.http.allow_hosts to allow it'],
      ['http://localhost:9/hook', 'localhost resolves to'],
    ];
    for (const [url, reason] of cases) {
      connectionsTo.length = 0;
      const user = { ...asActionUser(ada), attributes: { webhook_url: url } };
      const message = await failure(runOnServer(refused, { args: { channel: 'webhook', subject: 's', message: 'm' }, user }));
      expect(message).toContain(`ada@example.com: refused POST ${new URL(url).origin}`);
      expect(message).toContain(reason);
      expect(connectionsTo).toEqual([]);
    }
    expect(receiver.received).toEqual([]);
  });
});

async function runAndWait(jobId: string): Promise<Run> {
  const run = await api.app.engine.runs.start(jobId, { trigger: 'MANUAL' });
  return waitFor(async () => {
    const found = await api.app.database.prisma.run.findUniqueOrThrow({ where: { id: run.id } });
    return ['SUCCEEDED', 'FAILED', 'PARTIALLY_SUCCEEDED'].includes(found.status) ? found : null;
  });
}

describe('notify.users in a Sundial server', () => {
  it('is loaded by default', () => {
    expect(api.app.actions.get('notify.users')?.source).toMatchObject({ package: '@sundial/builtin-actions' });
  });

  it('per user, by webhook: the user whose receiver fails fails their child run; the run partially succeeds', async () => {
    const job = await api.app.engine.jobs.create({
      name: 'Webhook reminder',
      action: 'notify.users',
      perUser: true,
      targetUserIds: [ada.id, bob.id],
      args: { channel: 'webhook', subject: 'Reminder', message: 'Hello {{name}}' },
    });
    const parent = await runAndWait(job.id);
    expect(parent.status).toBe('PARTIALLY_SUCCEEDED');
    const children = await api.app.database.prisma.run.findMany({ where: { parentRunId: parent.id }, include: { targetUser: true } });
    const byEmail = Object.fromEntries(children.map((child) => [child.targetUser!.email, child]));
    expect(byEmail['ada@example.com']).toMatchObject({ status: 'SUCCEEDED', output: { delivered: 1, failed: 0 } });
    expect(byEmail['bob@example.com']).toMatchObject({
      status: 'FAILED',
      errorMessage: `bob@example.com: POST ${receiver.base}/… answered 500; expected a 2xx status`,
    });
    expect(receiver.received.find((entry) => entry.path === '/ok/ada')?.payload).toMatchObject({
      message: 'Hello Ada',
      run: { id: byEmail['ada@example.com']!.id, jobId: job.id },
    });
  });
});

describe('the inbox over GraphQL', () => {
  const INBOX = `query Inbox($unreadOnly: Boolean, $first: Int, $after: String) {
    viewer { unreadInboxCount inbox(unreadOnly: $unreadOnly, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id subject body readAt jobId runId createdAt } } } } }`;
  type InboxData = {
    viewer: {
      unreadInboxCount: number;
      inbox: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string; subject: string; body: string; readAt: string | null } }[] };
    } | null;
  };
  const MARK = `mutation Mark($id: ID!) { markInboxMessageRead(id: $id) { id readAt } }`;
  const MARK_ALL = `mutation { markAllInboxMessagesRead }`;

  const store = async (user: User, count: number) => {
    const ids: string[] = [];
    for (let index = 1; index <= count; index += 1) {
      const result = await runOnServer(action(), { args: { subject: `Message ${index} for {{name}}`, message: 'Body' }, user: asActionUser(user) });
      ids.push(...result.output.messageIds);
    }
    return ids;
  };

  it('lists the caller\'s own messages newest first, pages, filters unread, marks read (one, then all)', async () => {
    const [first, , third] = await store(admin, 3);
    await store(ada, 1);

    const page1 = await api.gql<InboxData>(INBOX, { first: 2 });
    expect(page1.errors).toBeUndefined();
    expect(page1.data!.viewer!.unreadInboxCount).toBe(3);
    expect(page1.data!.viewer!.inbox.totalCount).toBe(3);
    expect(page1.data!.viewer!.inbox.edges.map((edge) => edge.node.subject)).toEqual([`Message 3 for ${admin.name}`, `Message 2 for ${admin.name}`]);
    const page2 = await api.gql<InboxData>(INBOX, { first: 2, after: page1.data!.viewer!.inbox.pageInfo.endCursor });
    expect(page2.data!.viewer!.inbox.edges.map((edge) => edge.node.id)).toEqual([first]);
    expect(page2.data!.viewer!.inbox.pageInfo.hasNextPage).toBe(false);

    const marked = await api.gql<{ markInboxMessageRead: { id: string; readAt: string } }>(MARK, { id: third });
    expect(marked.errors).toBeUndefined();
    const readAt = marked.data!.markInboxMessageRead.readAt;
    expect(Date.parse(readAt)).not.toBeNaN();
    // Marking again keeps the first read time.
    const again = await api.gql<{ markInboxMessageRead: { readAt: string } }>(MARK, { id: third });
    expect(again.data!.markInboxMessageRead.readAt).toBe(readAt);

    const unread = await api.gql<InboxData>(INBOX, { unreadOnly: true });
    expect(unread.data!.viewer!.unreadInboxCount).toBe(2);
    expect(unread.data!.viewer!.inbox.edges.map((edge) => edge.node.id)).not.toContain(third);

    const all = await api.gql<{ markAllInboxMessagesRead: number }>(MARK_ALL);
    expect(all.data!.markAllInboxMessagesRead).toBe(2);
    expect((await api.gql<InboxData>(INBOX)).data!.viewer!.unreadInboxCount).toBe(0);
    // Ada's message is untouched by the admin's "mark all read".
    expect(await api.app.database.prisma.inboxMessage.count({ where: { userId: ada.id, readAt: null } })).toBe(1);
  });

  it('never shows or marks another user\'s message (not found, as for an id that does not exist)', async () => {
    const [adasMessage] = await store(ada, 1);
    const visible = await api.gql<InboxData>(INBOX);
    expect(visible.data!.viewer!.inbox.edges).toEqual([]);

    const marked = await api.gql(MARK, { id: adasMessage });
    expect(marked.errors?.[0]).toMatchObject({ message: `no message with id ${adasMessage} in your inbox`, extensions: { code: 'NOT_FOUND' } });
    const missing = await api.gql(MARK, { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const garbage = await api.gql(MARK, { id: 'not-a-uuid' });
    expect(garbage.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await api.app.database.prisma.inboxMessage.findUniqueOrThrow({ where: { id: adasMessage! } })).readAt).toBeNull();

    // Ada, signed in with her own token (no permission at all), sees it and can mark it.
    const adaToken = (await api.app.auth.createApiToken(ada.id, { name: 'ada' })).secret;
    const hers = await api.gql<InboxData>(INBOX, {}, { token: adaToken });
    expect(hers.data!.viewer!.inbox.edges.map((edge) => edge.node.id)).toEqual([adasMessage]);
    const markedByHer = await api.gql(MARK, { id: adasMessage }, { token: adaToken });
    expect(markedByHer.errors).toBeUndefined();
  });

  it('answers nothing to a caller who is not signed in', async () => {
    const anonymous = await api.gql<InboxData>(INBOX, {}, { token: null });
    expect(anonymous.data?.viewer).toBeNull();
    const [message] = await store(admin, 1);
    for (const [mutation, variables] of [[MARK_ALL, {}], [MARK, { id: message }]] as const) {
      const refused = await api.gql(mutation, variables, { token: null });
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.message).toMatch(/Not authorized/);
    }
    expect(await api.app.database.prisma.inboxMessage.count({ where: { readAt: { not: null } } })).toBe(0);
  });

  it('deleting the run keeps the message (run link cleared); deleting the user deletes their messages', async () => {
    const job = await api.app.engine.jobs.create({ name: 'once', action: 'notify.users', targetUserIds: [ada.id], args: { subject: 's', message: 'm' } });
    const run = await runAndWait(job.id);
    expect(run.status).toBe('SUCCEEDED');
    await api.app.database.prisma.run.delete({ where: { id: run.id } });
    expect(await api.app.database.prisma.inboxMessage.findFirstOrThrow({ where: { userId: ada.id } })).toMatchObject({ runId: null, jobId: job.id });
    const temp = await api.app.database.prisma.user.create({ data: { email: 'temp@example.com', name: 'Temp' } });
    await store(temp, 1);
    await api.app.database.prisma.user.delete({ where: { id: temp.id } });
    expect(await api.app.database.prisma.inboxMessage.count({ where: { userId: temp.id } })).toBe(0);
  });
});

describe('docs/built-in-actions.md, notify.users section', () => {
  const docs = fs.readFileSync(fileURLToPath(new URL('../../../../docs/built-in-actions.md', import.meta.url)), 'utf8');
  const graphqlBlocks = [...docs.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);

  it('the reminder job it shows is accepted as written (with a real role id) and its templates are checked', async () => {
    const mutation = graphqlBlocks.find((block) => block.includes('"notify.users"'));
    expect(mutation).toBeDefined();
    const role = await api.app.database.prisma.role.findFirstOrThrow({ where: { name: 'admin' } });
    type Result = { createJob: { job?: { id: string; name: string }; fieldErrors?: { field: string; message: string }[] } };
    const created = await api.gql<Result>(mutation!.replace('<role id>', role.id));
    expect(created.errors).toBeUndefined();
    expect(created.data?.createJob.job?.name).toBe('Weekday reminder');
    const job = await api.app.database.prisma.job.findUniqueOrThrow({ where: { id: created.data!.createJob.job!.id }, include: { schedules: true } });
    expect(job).toMatchObject({ action: 'notify.users', perUser: true, schedules: [{ scheduleKind: 'CRON', cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' }] });

    const typo = await api.gql<Result>(mutation!.replace('<role id>', role.id).replace('Reminder for {{name}}', 'Reminder for {{nmae}}'));
    expect(typo.data?.createJob.fieldErrors).toEqual([{ field: 'args.subject', message: expect.stringMatching(/^\{\{nmae\}\} is not a placeholder/) }]);
  });

  it('the inbox query it shows runs as written', async () => {
    await api.app.database.prisma.inboxMessage.create({ data: { userId: admin.id, subject: 'Docs', body: 'Body' } });
    const query = graphqlBlocks.find((block) => block.includes('unreadInboxCount'));
    expect(query).toBeDefined();
    const result = await api.gql<{ viewer: { unreadInboxCount: number; inbox: { totalCount: number } } }>(query!);
    expect(result.errors).toBeUndefined();
    expect(result.data?.viewer).toMatchObject({ unreadInboxCount: 1, inbox: { totalCount: 1 } });
  });
});
