// Jobs as code: sundial.yaml's definitions applied on start (upserted by key, e-mail and name, unchanged when the
// file is; calendars inline too), invalid documents refused whole with every problem listed, export → import round trips between two
// installs, and the GraphQL query and mutation with their permissions. Real servers, real databases.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startApp, type App } from '../../src/app.js';
import { configSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/lib/logger.js';
import { ValidationError } from '../../src/services/errors.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { createTestDatabaseTarget, type TestDatabaseTarget } from '../support/database.js';
import { clockTimer, FAST_ENGINE } from '../support/engine.js';
import { REPO_ROOT } from '../support/processes.js';

const BASE = {
  ...FAST_ENGINE,
  server: { port: 0 },
  auth: { admin_email: 'admin@example.com', admin_password: 'correct horse battery staple' },
  actions: { dir: 'actions' },
};

const DOCUMENT = {
  roles: [{ name: 'reporters', description: 'Get the weekly report', permissions: ['JOBS_READ'] }],
  users: [
    { email: 'Ana@Example.com', name: 'Ana', attributes: { locale: 'es' }, roles: ['reporters'] },
    { email: 'bo@example.com', name: 'Bo' },
  ],
  jobs: [
    {
      key: 'weekly-report',
      name: 'Weekly report',
      action: 'examples.reminder',
      args: { message: 'Hi {{firstName}}, the report is due' },
      perUser: true,
      targetRoles: ['reporters'],
      targetUsers: ['bo@example.com'],
      schedule: { kind: 'CRON', cron: '0 9 * * 1', timezone: 'Europe/Madrid' },
      retries: 2,
      notifyOn: ['FAILED'],
      notifyUsers: ['ana@example.com'],
    },
    { key: 'tick', name: 'Tick', action: 'examples.noop', schedule: { kind: 'INTERVAL', intervalSeconds: 3600 } },
  ],
};

async function counts(app: App) {
  const prisma = app.database.prisma;
  return { jobs: await prisma.job.count(), users: await prisma.user.count(), roles: await prisma.role.count() };
}

const service = (app: App) => app.services.definitions;

describe('definitions in sundial.yaml, applied on start', () => {
  let target: TestDatabaseTarget;
  let dataDir: string;
  let app: App | undefined;
  const start = (definitions: Record<string, unknown>) =>
    startApp(
      { ...target.config, definitions: { file: '', prune: false, calendars: [], roles: [], users: [], jobs: [], ...definitions } },
      { logger: createLogger('error') },
    );

  beforeAll(async () => {
    // On disk (embedded) or a database of its own (PostgreSQL): it must outlive a restart.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-definitions-'));
    target = await createTestDatabaseTarget({ ...BASE, database: { data_dir: dataDir } });
  });
  afterEach(async () => {
    await app?.close(1000);
    app = undefined;
  });
  afterAll(async () => {
    await target.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the declared roles, users and jobs, with references by e-mail and name', async () => {
    app = await start(DOCUMENT);
    const prisma = app.database.prisma;
    const job = await prisma.job.findUniqueOrThrow({
      where: { key: 'weekly-report' },
      include: {
        targetUsers: { include: { user: true } },
        targetRoles: { include: { role: true } },
        notifyUsers: { include: { user: true } },
        schedules: true,
      },
    });
    expect(job).toMatchObject({ name: 'Weekly report', perUser: true, retries: 2, notifyOn: ['FAILED'] });
    expect(job.schedules).toMatchObject([{ scheduleKind: 'CRON', cron: '0 9 * * 1', timezone: 'Europe/Madrid' }]);
    expect(job.targetUsers.map((target) => target.user.email)).toEqual(['bo@example.com']);
    expect(job.targetRoles.map((target) => target.role.name)).toEqual(['reporters']);
    expect(job.notifyUsers.map((notify) => notify.user.email)).toEqual(['ana@example.com']);
    const ana = await prisma.user.findUniqueOrThrow({ where: { email: 'ana@example.com' }, include: { roles: { include: { role: true } } } });
    expect(ana).toMatchObject({ name: 'Ana', attributes: { locale: 'es' }, passwordHash: null });
    expect(ana.roles.map((membership) => membership.role.name)).toEqual(['reporters']);
    // The slot clock sees both jobs' next slots.
    expect(job.nextRunAt).not.toBeNull();
    const tick = await prisma.job.findUniqueOrThrow({ where: { key: 'tick' } });
    expect(await clockTimer(app.database.pool, job.id)).toEqual(job.nextRunAt);
    expect(await clockTimer(app.database.pool, tick.id)).not.toBeNull();
  });

  it('a restart with the same document changes nothing; a changed one updates in place, never duplicates', async () => {
    app = await start(DOCUMENT);
    const before = await app.database.prisma.job.findUniqueOrThrow({ where: { key: 'tick' } });
    const summary = await service(app).apply(DOCUMENT);
    expect(summary.jobs).toMatchObject({ created: [], updated: [], unchanged: ['weekly-report', 'tick'] });
    expect(summary.users.unchanged).toEqual(['ana@example.com', 'bo@example.com']);
    expect(summary.roles.unchanged).toEqual(['reporters']);
    // Untouched: not even the interval's next slot moved.
    expect((await app.database.prisma.job.findUniqueOrThrow({ where: { key: 'tick' } })).nextRunAt).toEqual(before.nextRunAt);
    const countsBefore = await counts(app);
    await app.close(1000);

    const changed = structuredClone(DOCUMENT);
    changed.jobs[1]!.name = 'Tick (hourly)';
    changed.users[1]!.name = 'Bo B.';
    app = await start(changed);
    expect(await counts(app)).toEqual(countsBefore);
    const tick = await app.database.prisma.job.findUniqueOrThrow({ where: { key: 'tick' }, include: { schedules: true } });
    expect(tick).toMatchObject({ id: before.id, name: 'Tick (hourly)', schedules: [{ intervalSeconds: 3600 }] });
    expect((await app.database.prisma.user.findUniqueOrThrow({ where: { email: 'bo@example.com' } })).name).toBe('Bo B.');
  });

  it('records what a start changed in the audit log (actor CONFIGURATION, OS user and host); an unchanged start records nothing', async () => {
    const changed = structuredClone(DOCUMENT);
    changed.jobs[1]!.name = 'Tick (audited)';
    app = await start(changed);
    const rows = () => app!.database.prisma.auditEvent.findMany({ where: { action: 'importDefinitions', actorKind: 'CONFIGURATION' }, orderBy: { id: 'asc' } });
    const recorded = await rows();
    const last = recorded.at(-1)!;
    expect(last).toMatchObject({ outcome: 'SUCCESS', actorId: null, actorLabel: `configuration sundial.yaml definitions (${os.userInfo().username}@${os.hostname()})` });
    expect(last.details).toMatchObject({
      source: 'sundial.yaml definitions',
      osUser: os.userInfo().username,
      host: os.hostname(),
      jobs: { counts: { created: 0, updated: 1, deleted: 0, unchanged: 1 }, updated: ['tick'] },
      users: { counts: { created: 0, deleted: 0 } },
    });
    // The audit log API shows it like any other event.
    const admin = await app.database.prisma.user.findUniqueOrThrow({ where: { email: 'admin@example.com' } });
    const { secret } = await app.auth.createApiToken(admin.id, { name: 'audit reader' });
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: '{ auditEvents(first: 1, filter: { action: "importDefinitions" }) { edges { node { actorKind actorLabel outcome details } } } }' }),
    });
    const body = (await response.json()) as { data?: { auditEvents: { edges: { node: { actorKind: string; details: { jobs: { updated: string[] } } } }[] } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data!.auditEvents.edges[0]!.node).toMatchObject({ actorKind: 'CONFIGURATION', details: { jobs: { updated: ['tick'] } } });
    await app.close(1000);

    app = await start(changed);
    expect(await rows()).toHaveLength(recorded.length);
  });

  it('takes a list of schedules with labels and args; an unchanged list keeps its counts; problems name the entry', async () => {
    app = await start({});
    const list = {
      jobs: [
        {
          key: 'two-schedules',
          name: 'Two schedules',
          action: 'examples.reminder',
          args: { message: 'daily' },
          schedules: [
            { label: 'Weekdays', kind: 'CRON', cron: '0 9 * * 1-5', timezone: 'Europe/Madrid' },
            { label: 'Saturday', kind: 'CRON', cron: '0 11 * * 6', args: { message: 'weekend' }, enabled: false },
          ],
        },
      ],
    };
    await service(app).apply(list);
    const prisma = app.database.prisma;
    const job = await prisma.job.findUniqueOrThrow({ where: { key: 'two-schedules' }, include: { schedules: { orderBy: { position: 'asc' } } } });
    expect(job.schedules).toMatchObject([
      { label: 'Weekdays', enabled: true, args: null },
      { label: 'Saturday', enabled: false, args: { message: 'weekend' }, nextRunAt: null },
    ]);
    await prisma.jobSchedule.update({ where: { id: job.schedules[0]!.id }, data: { runCount: 7 } });
    expect((await service(app).apply(list)).jobs.unchanged).toEqual(['two-schedules']);
    expect((await prisma.jobSchedule.findUniqueOrThrow({ where: { id: job.schedules[0]!.id } })).runCount).toBe(7);

    const exported = await service(app).export({ jobKeys: ['two-schedules'] });
    expect(exported.document.jobs[0]).toMatchObject({ schedules: [{ label: 'Weekdays', kind: 'CRON' }, { label: 'Saturday', enabled: false, args: { message: 'weekend' } }] });

    const bad = structuredClone(list);
    bad.jobs[0]!.schedules[1] = { label: 'Saturday', kind: 'CRON', cron: '0 11 * * 6', args: { message: '' }, enabled: true };
    const error = await service(app).apply({ jobs: [...bad.jobs, { key: 'x', name: 'X', action: 'examples.noop', schedules: [{ kind: 'WEEKLY' }] }] }).catch((caught: unknown) => caught);
    expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual(
      expect.arrayContaining(['jobs[0].schedules[1].args.message', 'jobs[1].schedules[0].kind']),
    );
    expect((await prisma.jobSchedule.findMany({ where: { jobId: job.id }, orderBy: { position: 'asc' } })).map((row) => row.args)).toEqual([null, { message: 'weekend' }]);
  });

  it('refuses an invalid document whole: every problem listed with its path, nothing changed', async () => {
    app = await start({});
    const countsBefore = await counts(app);
    const bad = {
      version: 1,
      roles: [{ name: 'new-role', permissions: ['JOBS_READ', 'FLY'] }],
      users: [{ email: 'new@example.com', name: 'New', roles: ['nope'] }],
      jobs: [
        { key: 'fine', name: 'Fine', action: 'examples.noop' },
        { key: 'bad-cron', name: 'Bad cron', action: 'examples.noop', schedule: { kind: 'CRON', cron: '61 * * * *' } },
        { key: 'bad-action', name: 'Bad action', action: 'no.such.action' },
        { key: 'bad-args', name: 'Bad args', action: 'examples.reminder', args: { message: '' } },
        { key: 'bad-ref', name: 'Bad ref', action: 'examples.noop', targetUsers: ['ghost@example.com'], colour: 'red' },
        { key: 'fine', name: 'Fine again', action: 'examples.noop' },
        { name: 'No key', action: 'examples.noop' },
      ],
    };
    const error = await service(app).apply(bad).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    const fields = (error as ValidationError).errors.map((problem) => problem.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'roles[0].permissions[1]',
        'users[0].roles[0]',
        'jobs[1].schedule.cron',
        'jobs[2].action',
        'jobs[3].args.message',
        'jobs[4].colour',
        'jobs[5].key',
        'jobs[6].key',
      ]),
    );
    const message = (field: string) => (error as ValidationError).errors.find((problem) => problem.field === field)?.message;
    expect(message('jobs[2].action')).toMatch(/no action named "no.such.action"/);
    expect(message('jobs[5].key')).toMatch(/declared twice/);
    expect(message('users[0].roles[0]')).toMatch(/no role named "nope"/);
    // jobs[4] is refused for its unknown field; once fixed, its unknown user would be reported too.
    const refsOnly = await service(app).apply({ jobs: [{ key: 'r', name: 'R', action: 'examples.noop', targetUsers: ['ghost@example.com'] }] }).catch((caught: unknown) => caught);
    expect((refsOnly as ValidationError).errors).toEqual([{ field: 'jobs[0].targetUsers[0]', message: expect.stringMatching(/no user with e-mail "ghost@example.com"/) }]);

    expect(await counts(app)).toEqual(countsBefore);
    expect(await app.database.prisma.job.findUnique({ where: { key: 'fine' } })).toBeNull();
    await app.close(1000);
    app = undefined;

    // On start, the same document stops the start-up, listing every problem, and leaves the install as it was.
    const failed = await start(bad).catch((caught: unknown) => caught as Error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/nothing was applied/);
    expect((failed as Error).message).toContain('definitions.jobs[1].schedule.cron');
    expect((failed as Error).message).toContain('definitions.jobs[3].args.message');
    app = await start({});
    expect(await counts(app)).toEqual(countsBefore);
  });

  it("inline calendars (docs/calendars.md's sundial.yaml) are created and attached on start; a bad one stops the start naming its path", async () => {
    const guide = fs.readFileSync(path.join(REPO_ROOT, 'docs/calendars.md'), 'utf8');
    const snippet = [...guide.matchAll(/```yaml\n(definitions:[\s\S]*?)```/g)].map((match) => match[1]!);
    expect(snippet).toHaveLength(1);
    const { definitions } = configSchema.parse(parseYaml(snippet[0]!));
    expect(definitions.calendars).toHaveLength(1);
    app = await start(definitions);
    const prisma = app.database.prisma;
    const job = await prisma.job.findUniqueOrThrow({ where: { key: 'status-ping' }, include: { calendars: { include: { calendar: true } } } });
    expect(job.calendars.map((attached) => ({ name: attached.calendar.name, timezone: attached.calendar.timezone, mode: attached.mode }))).toEqual([
      { name: 'Quiet hours', timezone: 'Europe/Berlin', mode: 'NEVER_INSIDE' },
    ]);
    await app.close(1000);
    app = undefined;
    // A restart with the same section changes nothing.
    app = await start(definitions);
    expect((await service(app).apply({ calendars: definitions.calendars, jobs: definitions.jobs })).calendars.unchanged).toEqual(['Quiet hours']);
    const calendarsBefore = await app.database.prisma.calendar.findMany({ orderBy: { name: 'asc' } });
    await app.close(1000);
    app = undefined;

    const bad = structuredClone(definitions);
    (bad.calendars[0] as { entries: Array<Record<string, unknown>> }).entries.push({ kind: 'WEEKLY', days: ['MON'], startTime: '25:00', endTime: '06:00' });
    bad.calendars.push({ name: 'Typo', timezone: 'Europe/Berlin', entries: [], colour: 'red' });
    const failed = await start(bad).catch((caught: unknown) => caught as Error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/nothing was applied/);
    expect((failed as Error).message).toContain('definitions.calendars[0].entries[1].startTime');
    expect((failed as Error).message).toContain('definitions.calendars[1].colour: unknown field');
    app = await start({});
    expect(await app.database.prisma.calendar.findMany({ orderBy: { name: 'asc' } })).toEqual(calendarsBefore);
  });

  it('two applies at once (processes starting together) take turns: one creates, the other finds it unchanged', async () => {
    app = await start({});
    const document = { roles: [{ name: 'together' }], jobs: [{ key: 'together', name: 'Together', action: 'examples.noop', targetRoles: ['together'] }] };
    const [one, two] = await Promise.all([service(app).apply(document), service(app).apply(document)]);
    expect([...one.jobs.created, ...two.jobs.created]).toEqual(['together']);
    expect([...one.jobs.unchanged, ...two.jobs.unchanged]).toEqual(['together']);
    expect(await app.database.prisma.job.count({ where: { key: 'together' } })).toBe(1);
  });

  it('a dry run reports what would change and changes nothing; prune deletes only declared-then-removed jobs', async () => {
    app = await start({});
    const dry = await service(app).apply({ jobs: [{ key: 'dry', name: 'Dry', action: 'examples.noop' }] }, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, jobs: { created: ['dry'] } });
    expect(await app.database.prisma.job.findUnique({ where: { key: 'dry' } })).toBeNull();

    await app.engine.jobs.create({ name: 'Made in the app', action: 'examples.noop' });
    await service(app).apply({ jobs: [{ key: 'keep', name: 'Keep', action: 'examples.noop' }, { key: 'drop', name: 'Drop', action: 'examples.noop' }] });
    const pruned = await service(app).apply({ jobs: [{ key: 'keep', name: 'Keep', action: 'examples.noop' }] }, { prune: true });
    expect(pruned.jobs.deleted).toContain('drop');
    expect(pruned.jobs.deleted).not.toContain('keep');
    const names = (await app.database.prisma.job.findMany({ select: { name: true } })).map((job) => job.name);
    expect(names).toContain('Made in the app');
    expect(names).toContain('Keep');
    expect(names).not.toContain('Drop');
  });
});

describe('export → import between two installs, and the GraphQL API', () => {
  let first: TestApi;
  let second: TestApi;
  beforeAll(async () => {
    first = await startTestApi();
    second = await startTestApi();
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  const EXPORT = `query ($format: DefinitionsFormat, $jobKeys: [String!]) {
    exportDefinitions(format: $format, jobKeys: $jobKeys) {
      __typename
      ... on QueryExportDefinitionsSuccess { data { text format generatedKeys { name key } } }
      ... on ValidationError { message fieldErrors { field message } }
    }
  }`;
  const IMPORT = `mutation ($document: String!, $format: DefinitionsFormat, $dryRun: Boolean) {
    importDefinitions(document: $document, format: $format, dryRun: $dryRun) {
      __typename
      ... on MutationImportDefinitionsSuccess { summary { dryRun jobs { created updated unchanged } users { created } roles { created } } }
      ... on ValidationError { message fieldErrors { field message } }
    }
  }`;

  it('round-trips jobs (with users and roles they refer to) into a second database', async () => {
    const imported = await first.gql<{ importDefinitions: { __typename: string } }>(IMPORT, { document: JSON.stringify(DOCUMENT), format: 'JSON' });
    expect(imported.errors).toBeUndefined();
    expect(imported.data?.importDefinitions.__typename).toBe('MutationImportDefinitionsSuccess');
    // A job made in the app has no key: the export names it from its name, and says so.
    await first.app.engine.jobs.create({ name: 'Nightly import', action: 'examples.noop', schedule: { scheduleKind: 'CRON', cron: '0 2 * * *' } });

    const exported = await first.gql<{ exportDefinitions: { data: { text: string; generatedKeys: { name: string; key: string }[] } } }>(EXPORT, { format: 'YAML' });
    expect(exported.errors).toBeUndefined();
    const { text, generatedKeys } = exported.data!.exportDefinitions.data;
    expect(generatedKeys).toEqual([{ name: 'Nightly import', key: 'nightly-import' }]);
    const document = parseYaml(text) as { version: number; jobs: { key: string }[]; users: { email: string }[] };
    expect(document.version).toBe(1);
    expect(document.jobs.map((job) => job.key).sort()).toEqual(['nightly-import', 'tick', 'weekly-report']);
    expect(text).not.toMatch(/password/i);

    const result = await second.gql<{ importDefinitions: { summary: { jobs: { created: string[] } } } }>(IMPORT, { document: text, format: 'YAML' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.importDefinitions.summary.jobs.created.sort()).toEqual(['nightly-import', 'tick', 'weekly-report']);
    const again = await second.gql<{ exportDefinitions: { data: { text: string } } }>(EXPORT, { format: 'YAML' });
    expect(again.data?.exportDefinitions.data.text).toBe(text);
  });

  it('export of chosen keys; an unknown key is an error', async () => {
    const one = await first.gql<{ exportDefinitions: { data: { text: string } } }>(EXPORT, { format: 'JSON', jobKeys: ['tick'] });
    const document = JSON.parse(one.data!.exportDefinitions.data.text) as { jobs: { key: string }[]; users: unknown[] };
    expect(document.jobs.map((job) => job.key)).toEqual(['tick']);
    expect(document.users).toEqual([]);
    const missing = await first.gql<{ exportDefinitions: { fieldErrors: { field: string; message: string }[] } }>(EXPORT, { jobKeys: ['nope'] });
    expect(missing.data?.exportDefinitions.fieldErrors).toEqual([{ field: 'jobKeys', message: 'no job with key "nope"' }]);
  });

  it('an invalid import is a ValidationError listing every problem; a dry run changes nothing', async () => {
    const bad = 'jobs:\n  - key: a\n    name: A\n    action: nope\n  - key: b\n    name: B\n    action: examples.noop\n    retries: -1\n';
    const result = await first.gql<{ importDefinitions: { __typename: string; fieldErrors: { field: string }[] } }>(IMPORT, { document: bad });
    expect(result.data?.importDefinitions.__typename).toBe('ValidationError');
    expect(result.data?.importDefinitions.fieldErrors.map((error) => error.field)).toEqual(['jobs[0].action', 'jobs[1].retries']);
    const unreadable = await first.gql<{ importDefinitions: { fieldErrors: { message: string }[] } }>(IMPORT, { document: 'jobs: [' });
    expect(unreadable.data?.importDefinitions.fieldErrors[0]?.message).toMatch(/not valid YAML/);

    const dry = await first.gql<{ importDefinitions: { summary: { dryRun: boolean; jobs: { created: string[] } } } }>(IMPORT, {
      document: 'jobs:\n  - key: dry-only\n    name: Dry\n    action: examples.noop\n',
      dryRun: true,
    });
    expect(dry.data?.importDefinitions.summary).toMatchObject({ dryRun: true, jobs: { created: ['dry-only'] } });
    expect(await first.app.database.prisma.job.findUnique({ where: { key: 'dry-only' } })).toBeNull();
  });

  it("docs/jobs-as-code.md's examples apply as written", async () => {
    const guide = fs.readFileSync(path.join(REPO_ROOT, 'docs/jobs-as-code.md'), 'utf8');
    const blocks = [...guide.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);
    const [full, ...configs] = blocks;
    // `second` already has weekly-report (from the round trip): the guide's version updates it.
    const result = await second.gql<{ importDefinitions: { __typename: string; summary: { jobs: { created: string[]; updated: string[] } } } }>(IMPORT, {
      document: full,
    });
    expect(result.data?.importDefinitions.__typename).toBe('MutationImportDefinitionsSuccess');
    expect(result.data?.importDefinitions.summary.jobs).toMatchObject({ created: ['status-ping', 'sundial.cleanup'], updated: ['weekly-report'] });
    // The sundial.yaml snippets are valid configuration, and their inline definitions valid documents.
    expect(configs.length).toBeGreaterThanOrEqual(2);
    for (const snippet of configs) {
      const config = configSchema.parse(parseYaml(snippet));
      if (config.definitions.file) continue;
      await expect(service(second.app).apply({ calendars: config.definitions.calendars, jobs: config.definitions.jobs }, { dryRun: true })).resolves.toMatchObject({ dryRun: true });
    }
  });

  it('export needs JOBS_READ; import needs the admin permissions (it can create users and roles)', async () => {
    const noRead = await first.tokenWith(['RUNS_EXECUTE']);
    const denied = await first.gql(EXPORT, {}, { token: noRead });
    expect(denied.errors?.[0]?.message).toMatch(/not authorized/i);
    const writer = await first.tokenWith(['JOBS_READ', 'JOBS_WRITE']);
    // Users' attributes are for USERS_MANAGE: the admin's export has Ana's locale, a job writer's does not.
    const asWriter = await first.gql<{ exportDefinitions: { data: { text: string } } }>(EXPORT, { jobKeys: ['weekly-report'] }, { token: writer });
    const asAdmin = await first.gql<{ exportDefinitions: { data: { text: string } } }>(EXPORT, { jobKeys: ['weekly-report'] });
    const ana = (text: string) => (parseYaml(text) as { users: { email: string }[] }).users.find((user) => user.email === 'ana@example.com');
    expect(ana(asAdmin.data!.exportDefinitions.data.text)).toMatchObject({ attributes: { locale: 'es' } });
    expect(ana(asWriter.data!.exportDefinitions.data.text)).not.toHaveProperty('attributes');
    const refused = await first.gql(IMPORT, { document: 'jobs: []' }, { token: writer });
    expect(refused.errors?.[0]?.message).toMatch(/not authorized/i);
  });
});
