// The column each job-summaries row carries its job in, named so that no table's own column can clash with it.
import { z } from 'zod';

export const pageJob = z.object({ page_job_id: z.string() });
export type JobLink = 'targets' | 'notified';
