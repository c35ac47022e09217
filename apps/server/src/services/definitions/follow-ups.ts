// Follow-ups (chains) in the definitions document. They name other jobs by key, and a job may name one declared
// further down, so an apply sets them in a pass of their own once every job entry is in (inside the same
// transaction, each job's list in its own savepoint); a job that declares none has none. The export writes each
// job's follow-ups with the keys the document gives the jobs they start, and takes those jobs along.
import { openEntrySavepoint, releaseEntrySavepoint, rollbackToEntrySavepoint } from '../../db/sql/definitions/entry-savepoint.js';
import type { SqlClient } from '../../db/sql/client.js';
import type { Prisma } from '../../db/prisma.js';
import { mappingToInput } from '../chains.js';
import { ValidationError, type FieldError } from '../errors.js';
import type { JobService } from '../jobs.js';
import { canonical } from './stored.js';
import { formatPath, type DefinitionsDocument, type FollowUpDefinition } from './format.js';

/** A job's stored follow-ups, in order, as the file writes them (`keyOf` gives the document's key of a job id). */
export async function followUpDefinitions(db: Prisma.TransactionClient | { jobFollowUp: Prisma.TransactionClient['jobFollowUp'] }, jobIds: readonly string[], keyOf: (jobId: string) => string) {
  const rows = await db.jobFollowUp.findMany({ where: { jobId: { in: [...jobIds] } }, orderBy: [{ jobId: 'asc' }, { position: 'asc' }] });
  const byJob = new Map<string, FollowUpDefinition[]>();
  for (const row of rows) {
    const args = mappingToInput(row.argsMapping);
    byJob.set(row.jobId, [...(byJob.get(row.jobId) ?? []), { job: keyOf(row.followUpJobId), on: row.on, ...(args.length > 0 ? { args } : {}) }]);
  }
  return byJob;
}

/** The jobs the given ones start, directly or through others, that are not among them (an export takes them along). */
export async function followUpClosure(db: { jobFollowUp: Prisma.TransactionClient['jobFollowUp'] }, jobIds: readonly string[]): Promise<string[]> {
  const seen = new Set(jobIds);
  const added: string[] = [];
  let frontier = [...jobIds];
  while (frontier.length > 0) {
    const rows = await db.jobFollowUp.findMany({ where: { jobId: { in: frontier } }, select: { followUpJobId: true } });
    frontier = [...new Set(rows.map((row) => row.followUpJobId))].filter((id) => !seen.has(id));
    for (const id of frontier) seen.add(id);
    added.push(...frontier);
  }
  return added;
}

/**
 * The apply's follow-ups pass: for each job entry that is in, its declared follow-ups (none when left out) replace
 * the stored ones when they differ. Returns the keys of the jobs whose follow-ups changed; problems go to `errors`
 * with their path in the file.
 */
export async function applyFollowUps(
  tx: Prisma.TransactionClient,
  sql: SqlClient,
  jobs: JobService,
  document: DefinitionsDocument,
  invalidJobs: ReadonlySet<string>,
  errors: FieldError[],
): Promise<string[]> {
  const keys = document.jobs.map((job) => job.key.trim());
  const referenced = document.jobs.flatMap((job) => (job.followUps ?? []).map((followUp) => followUp.job.trim()));
  const rows = await tx.job.findMany({ where: { key: { in: [...new Set([...keys, ...referenced])] } }, select: { id: true, key: true } });
  const idOf = new Map(rows.map((row) => [row.key, row.id]));
  const changed: string[] = [];
  for (const [index, job] of document.jobs.entries()) {
    const key = job.key.trim();
    const id = idOf.get(key);
    if (!id) continue;
    const at = (...path: (string | number)[]) => formatPath(['jobs', index, 'followUps', ...path]);
    const wanted: Array<{ jobId: string; on: FollowUpDefinition['on']; args: NonNullable<FollowUpDefinition['args']> }> = [];
    let unresolved = false;
    for (const [position, followUp] of (job.followUps ?? []).entries()) {
      const target = idOf.get(followUp.job.trim());
      if (target) wanted.push({ jobId: target, on: followUp.on, args: followUp.args ?? [] });
      else {
        unresolved = true;
        if (!invalidJobs.has(followUp.job.trim())) {
          errors.push({ field: at(position, 'job'), message: `no job with key "${followUp.job}": declare it under jobs: or create it first` });
        }
      }
    }
    if (unresolved) continue;
    const stored = await tx.jobFollowUp.findMany({ where: { jobId: id }, orderBy: { position: 'asc' } });
    const storedState = canonical(stored.map((row) => ({ jobId: row.followUpJobId, on: row.on, args: mappingToInput(row.argsMapping) })));
    if (storedState === canonical(wanted)) continue;
    await openEntrySavepoint(sql);
    try {
      await jobs.update(id, { followUps: wanted });
      await releaseEntrySavepoint(sql);
      changed.push(key);
    } catch (error) {
      await rollbackToEntrySavepoint(sql);
      await releaseEntrySavepoint(sql);
      if (!(error instanceof ValidationError)) throw error;
      for (const problem of error.errors) {
        const field = problem.field.replace(/^followUps\[(\d+)\]\.jobId$/, 'followUps[$1].job');
        errors.push({ field: `${formatPath(['jobs', index])}.${field}`, message: problem.message });
      }
    }
  }
  return changed;
}
