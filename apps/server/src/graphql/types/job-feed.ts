// The jobs list, live: one subscription says "job X changed" whenever a job is created, edited, enabled or
// deleted, or one of its top-level runs changes (its last run, status and next fire time move with them). Ids only;
// the list re-reads what it shows (the trigger.dev pattern), coalesced per job for a slow client.
import type { JobChange, RunChange } from '../../realtime/bus.js';
import { coalescedStream } from '../../realtime/streams.js';
import { builder } from '../builder.js';

interface JobsFeedEvent {
  jobId: string;
}

const JobsFeedEventRef = builder.objectRef<JobsFeedEvent>('JobsFeedEvent').implement({
  description: 'Something the jobs list shows about this job changed: re-read it.',
  fields: (t) => ({ jobId: t.exposeID('jobId') }),
});

builder.subscriptionField('jobsFeed', (t) =>
  t.field({
    type: JobsFeedEventRef,
    authScopes: { permission: 'JOBS_READ' },
    description: 'A job was created, changed or deleted, or one of its top-level runs changed.',
    subscribe: (_root, _args, context) =>
      coalescedStream<JobsFeedEvent>(
        (handler) => {
          const stopJobs = context.bus.listen('jobsFeed', (change: JobChange) => handler({ jobId: change.jobId }));
          const stopRuns = context.bus.listen('runsFeed', (change: RunChange) => change.parentRunId === null && handler({ jobId: change.jobId }));
          return () => {
            stopJobs();
            stopRuns();
          };
        },
        (event) => event.jobId,
      ),
    resolve: (event) => event,
  }),
);
