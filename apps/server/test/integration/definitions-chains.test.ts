// Follow-ups (chains) in jobs as code: a document names the jobs a job starts by key (one declared further down
// too), export writes them back with keys and takes the started jobs along, a second install imports the export
// unchanged, and a cycle or an unknown key is refused with its path in the file, nothing changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ValidationError } from '../../src/services/errors.js';
import { startTestApi, type TestApi } from '../support/api.js';

const DOCUMENT = {
  jobs: [
    {
      key: 'import',
      name: 'Import records',
      action: 'examples.import-records',
      followUps: [
        {
          job: 'tell-admins',
          on: 'SUCCEEDED',
          args: [{ arg: 'message', template: 'Imported {{ $.output.imported }} records from {{ $.output.source }}' }],
        },
        { job: 'tell-admins', on: 'FAILED', args: [{ arg: 'message', value: 'The import failed' }] },
      ],
    },
    { key: 'tell-admins', name: 'Tell the admins', action: 'examples.reminder', args: { message: 'hello' } },
  ],
};

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

const definitions = (api: TestApi) => api.app.services.definitions;
const fieldsOf = (error: unknown) => (error instanceof ValidationError ? error.errors : []);

describe('follow-ups in the definitions document', () => {
  it('applies follow-ups naming a job declared below, exports them by key, and round-trips to a second install', async () => {
    const summary = await definitions(first).apply(DOCUMENT);
    expect(summary.jobs.created.sort()).toEqual(['import', 'tell-admins']);
    const source = await first.app.database.prisma.job.findUniqueOrThrow({ where: { key: 'import' }, include: { followUps: { orderBy: { position: 'asc' } } } });
    expect(source.followUps.map((followUp) => followUp.on)).toEqual(['SUCCEEDED', 'FAILED']);

    expect(await definitions(first).apply(DOCUMENT)).toMatchObject({ jobs: { unchanged: ['import', 'tell-admins'], updated: [] } });

    // Exporting only the source takes the job it starts along.
    const { document } = await definitions(first).export({ jobKeys: ['import'] });
    expect(document.jobs.map((job) => job.key).sort()).toEqual(['import', 'tell-admins']);
    expect(document.jobs.find((job) => job.key === 'import')?.followUps).toEqual(DOCUMENT.jobs[0]!.followUps);

    const text = (await first.gql<{ exportDefinitions: { data: { text: string } } }>(`{ exportDefinitions(format: YAML) { ... on QueryExportDefinitionsSuccess { data { text } } } }`))
      .data!.exportDefinitions.data.text;
    expect(parseYaml(text)).toMatchObject({ jobs: expect.arrayContaining([expect.objectContaining({ key: 'import', followUps: DOCUMENT.jobs[0]!.followUps })]) });
    await definitions(second).applyText(text, 'yaml');
    expect((await definitions(second).export()).document.jobs).toEqual((await definitions(first).export()).document.jobs);
  });

  it('changing only the follow-ups reports the job updated; leaving them out removes them', async () => {
    const changed = structuredClone(DOCUMENT);
    changed.jobs[0]!.followUps = [{ job: 'tell-admins', on: 'ANY', args: [] }];
    expect(await definitions(first).apply(changed)).toMatchObject({ jobs: { updated: ['import'] } });
    const without = { jobs: DOCUMENT.jobs.map(({ followUps: _followUps, ...job }) => job) };
    await definitions(first).apply(without);
    expect(await first.app.database.prisma.jobFollowUp.count()).toBe(0);
  });

  it('refuses a cycle and an unknown key with their paths in the file, and changes nothing', async () => {
    await definitions(first).apply(DOCUMENT);
    const before = await first.app.database.prisma.jobFollowUp.findMany({ orderBy: { id: 'asc' } });
    const cyclic = structuredClone(DOCUMENT) as { jobs: Array<Record<string, unknown>> };
    cyclic.jobs[1]!.followUps = [{ job: 'import', on: 'ANY' }];
    cyclic.jobs.push({ key: 'lonely', name: 'Lonely', action: 'examples.noop', followUps: [{ job: 'nowhere', on: 'ANY' }] });
    const refused = await definitions(first).apply(cyclic).catch((error: unknown) => error);
    expect(fieldsOf(refused)).toEqual([
      { field: 'jobs[1].followUps[0].job', message: 'would make a cycle: Tell the admins → Import records → Tell the admins; a chain may not come back to a job it started from' },
      { field: 'jobs[2].followUps[0].job', message: 'no job with key "nowhere": declare it under jobs: or create it first' },
    ]);
    expect(await first.app.database.prisma.jobFollowUp.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
    expect(await first.app.database.prisma.job.findUnique({ where: { key: 'lonely' } })).toBeNull();
  });
});
