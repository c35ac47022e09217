// Chains over the real HTTP API: createJob and updateJob take follow-ups (refused ones name their input field and
// change nothing), Job.followUps reads them back, a follow-up run shows what caused it and the cause what it
// started, and the runs list filters by cause.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { waitFor } from '../support/engine.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const CREATE = /* GraphQL */ `mutation C($input: CreateJobInput!) { createJob(input: $input) {
  __typename ... on MutationCreateJobSuccess { job { id followUps { on job { id name } args { arg path value template } } } }
  ... on ValidationError { fieldErrors { field message } } } }`;

type Created = { createJob: { __typename: string; job?: { id: string; followUps: unknown[] }; fieldErrors?: { field: string; message: string }[] } };

describe('chains API', () => {
  it('creates follow-ups, runs the chain, and shows lineage both ways with a runs filter by cause', async () => {
    const next = await api.gql<Created>(CREATE, { input: { name: 'Announce', action: 'examples.reminder', args: { message: 'hi' } } });
    const nextId = next.data!.createJob.job!.id;
    const source = await api.gql<Created>(CREATE, {
      input: {
        name: 'Import',
        action: 'examples.import-records',
        args: { until: '2026-01-01T05:00:00Z' },
        followUps: [{ jobId: nextId, on: 'SUCCEEDED', args: [{ arg: 'message', template: 'imported {{ $.output.imported }}' }] }],
      },
    });
    expect(source.data!.createJob.job!.followUps).toEqual([
      { on: 'SUCCEEDED', job: { id: nextId, name: 'Announce' }, args: [{ arg: 'message', path: null, value: null, template: 'imported {{ $.output.imported }}' }] },
    ]);
    const sourceId = source.data!.createJob.job!.id;
    const run = await api.gql<{ runJobNow: { run: { id: string } } }>(`mutation { runJobNow(id: "${sourceId}") { ... on MutationRunJobNowSuccess { run { id } } } }`);
    const runId = run.data!.runJobNow.run.id;

    const started = await waitFor(async () => {
      const result = await api.gql<{ run: { status: string; startedRuns: Array<{ id: string; trigger: string; args: { message: string }; causedByRun: { id: string; job: { name: string } } }> } }>(
        `{ run(id: "${runId}") { status startedRuns { id trigger args causedByRun { id job { name } } } } }`,
      );
      // The run's status and the runs it started are read by separate statements: wait for both to show its ending.
      return result.data?.run.status === 'SUCCEEDED' && result.data.run.startedRuns.length ? result.data.run : null;
    });
    expect(started.status).toBe('SUCCEEDED');
    expect(started.startedRuns).toEqual([
      { id: expect.any(String), trigger: 'CHAIN', args: { message: 'imported 6' }, causedByRun: { id: runId, job: { name: 'Import' } } },
    ]);

    const byRun = await api.gql<{ runs: { totalCount: number; edges: Array<{ node: { id: string } }> } }>(
      `{ runs(filter: { causedByRunId: "${runId}" }) { totalCount edges { node { id } } } }`,
    );
    expect(byRun.data?.runs.edges.map((edge) => edge.node.id)).toEqual([started.startedRuns[0]!.id]);
    const byJob = await api.gql<{ runs: { totalCount: number } }>(`{ runs(filter: { causedByJobId: "${sourceId}" }) { totalCount } }`);
    expect(byJob.data?.runs.totalCount).toBe(1);
  });

  it('refuses a cycle through updateJob naming the input field, and changes nothing', async () => {
    const a = (await api.gql<Created>(CREATE, { input: { name: 'A', action: 'examples.noop' } })).data!.createJob.job!.id;
    const b = (await api.gql<Created>(CREATE, { input: { name: 'B', action: 'examples.noop', followUps: [{ jobId: a, on: 'ANY' }] } })).data!.createJob.job!.id;
    const result = await api.gql<{ updateJob: { __typename: string; fieldErrors: { field: string; message: string }[] } }>(
      `mutation ($id: ID!, $input: UpdateJobInput!) { updateJob(id: $id, input: $input) { __typename ... on ValidationError { fieldErrors { field message } } } }`,
      { id: a, input: { name: 'A2', followUps: [{ jobId: b, on: 'FAILED', args: [{ arg: 'logLines', value: 'many' }] }] } },
    );
    expect(result.data?.updateJob.__typename).toBe('ValidationError');
    expect(result.data?.updateJob.fieldErrors.map((error) => error.field)).toEqual(['followUps[0].args[0].value']);
    const cycle = await api.gql<{ updateJob: { fieldErrors: { field: string; message: string }[] } }>(
      `mutation ($id: ID!, $input: UpdateJobInput!) { updateJob(id: $id, input: $input) { ... on ValidationError { fieldErrors { field message } } } }`,
      { id: a, input: { name: 'A2', followUps: [{ jobId: b, on: 'FAILED' }] } },
    );
    expect(cycle.data?.updateJob.fieldErrors).toEqual([
      { field: 'followUps[0].jobId', message: 'would make a cycle: A2 → B → A2; a chain may not come back to a job it started from' },
    ]);
    const job = await api.gql<{ job: { name: string; followUps: unknown[] } }>(`{ job(id: "${a}") { name followUps { on } } }`);
    expect(job.data?.job).toEqual({ name: 'A', followUps: [] });
  });
});
