// The rules for a job's follow-ups (chains): the job each one starts exists; its args mapping's paths parse (by the
// database that evaluates them, db/sql/runs/follow-ups.ts) and fit the follow-up job's action where that can be
// known at save (the arg exists, a literal value is valid, a template lands in a text arg); and no chain comes
// back to where it started, directly or through several jobs. Saved whole in the caller's transaction, or refused
// with every problem naming its field and nothing changed. At run time the engine evaluates the mapping inside the
// statement that ends the run and checks the args again before the follow-up starts.
import { templateParts, type FollowUpInput, type FollowUpOn } from '@sundial/job-schema';
import { jsonPathProblem } from '../db/sql/chains/check-path.js';
import { lockChains } from '../db/sql/chains/lock.js';
import { prismaSql } from '../db/sql/client.js';
import type { Prisma } from '../db/prisma.js';
import type { ActionCatalog } from './action-catalog.js';
import { ValidationError, type FieldError } from './errors.js';
import { isUuid } from './ids.js';

/** One arg of the mapping as stored (args_mapping): a template keeps its parts for the SQL that evaluates it. */
export type StoredFollowUpArg =
  | { arg: string; path: string }
  | { arg: string; value: Prisma.InputJsonValue | null }
  | { arg: string; template: string; parts: Array<{ text: string } | { path: string }> };

export interface CheckedFollowUp {
  followUpJobId: string;
  on: FollowUpOn;
  argsMapping: StoredFollowUpArg[];
}

/** A stored mapping as the API and the file show it (without the template's parts). */
export function mappingToInput(mapping: unknown): Array<{ arg: string; path?: string; value?: unknown; template?: string }> {
  if (!Array.isArray(mapping)) return [];
  return (mapping as StoredFollowUpArg[]).map((entry) =>
    'template' in entry ? { arg: entry.arg, template: entry.template } : 'path' in entry ? { arg: entry.arg, path: entry.path } : { arg: entry.arg, value: entry.value },
  );
}

/**
 * Checks follow-ups already of the right shape (@sundial/job-schema) against the install. `jobId` is the job that
 * lists them (null while it is being created). Runs inside `tx` (the paths' check needs a transaction).
 */
export async function checkFollowUps(
  tx: Prisma.TransactionClient,
  actions: ActionCatalog,
  jobId: string | null,
  followUps: readonly FollowUpInput[],
): Promise<CheckedFollowUp[]> {
  const errors: FieldError[] = [];
  const ids = [...new Set(followUps.map((followUp) => followUp.jobId).filter(isUuid))];
  const jobs = new Map((await tx.job.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, action: true, args: true } })).map((job) => [job.id, job]));
  const sql = prismaSql(tx);
  const checked: CheckedFollowUp[] = [];
  for (const [index, followUp] of followUps.entries()) {
    const at = `followUps[${index}]`;
    const target = jobs.get(followUp.jobId);
    if (!target) {
      errors.push({ field: `${at}.jobId`, message: `no job with id ${followUp.jobId}` });
      continue;
    }
    if (target.id === jobId) {
      errors.push({ field: `${at}.jobId`, message: `a job cannot follow itself (cycle: ${target.name} → ${target.name})` });
      continue;
    }
    const action = actions.get(target.action);
    const properties = argProperties(action?.argsJsonSchema);
    const literals: Record<string, unknown> = {};
    const mapping: StoredFollowUpArg[] = [];
    for (const [position, entry] of (followUp.args ?? []).entries()) {
      const field = `${at}.args[${position}]`;
      const property = properties?.get(entry.arg);
      if (properties && !property) {
        errors.push({ field: `${field}.arg`, message: `job "${target.name}" (action ${target.action}) has no arg "${entry.arg}"; its args: ${[...properties.keys()].join(', ') || '(none)'}` });
        continue;
      }
      if (entry.path !== undefined) {
        const problem = await jsonPathProblem(sql, entry.path);
        if (problem) errors.push({ field: `${field}.path`, message: `is not a valid JSON path: ${problem}` });
        mapping.push({ arg: entry.arg, path: entry.path });
      } else if (entry.template !== undefined) {
        const parts = templateParts(entry.template);
        for (const part of parts) {
          const problem = 'path' in part ? await jsonPathProblem(sql, part.path) : null;
          if (problem) errors.push({ field: `${field}.template`, message: `the hole {{ ${'path' in part ? part.path : ''} }} is not a valid JSON path: ${problem}` });
        }
        if (property && !acceptsText(property)) {
          errors.push({ field: `${field}.template`, message: `a template makes text, but arg "${entry.arg}" of action ${target.action} is not text; use path or value` });
        }
        mapping.push({ arg: entry.arg, template: entry.template, parts });
      } else {
        literals[entry.arg] = entry.value;
        mapping.push({ arg: entry.arg, value: (entry.value ?? null) as Prisma.InputJsonValue | null });
      }
    }
    // Literal values are known now: the follow-up job's args with them must fit its action's schema.
    if (action && Object.keys(literals).length > 0) {
      const result = action.validateArgs({ ...(target.args as Record<string, unknown>), ...literals });
      if (!result.ok) {
        for (const problem of result.errors) {
          const name = problem.field.split(/[.[]/)[0] ?? '';
          const position = (followUp.args ?? []).findIndex((entry) => entry.arg === name && entry.value !== undefined);
          if (position >= 0) errors.push({ field: `${at}.args[${position}].value`, message: `${problem.field}: ${problem.message}` });
        }
      }
    }
    checked.push({ followUpJobId: target.id, on: followUp.on, argsMapping: mapping });
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return checked;
}

/**
 * Replaces the job's follow-ups, in the caller's transaction: under the chains lock, refused (nothing changed) when
 * the new edges close a cycle, the path named.
 */
export async function saveFollowUps(tx: Prisma.TransactionClient, jobId: string, followUps: readonly CheckedFollowUp[]): Promise<void> {
  await lockChains(prismaSql(tx));
  const edges = await tx.jobFollowUp.findMany({ where: { jobId: { not: jobId } }, select: { jobId: true, followUpJobId: true } });
  const next = new Map<string, Set<string>>();
  for (const edge of edges) next.set(edge.jobId, (next.get(edge.jobId) ?? new Set()).add(edge.followUpJobId));
  next.set(jobId, new Set(followUps.map((followUp) => followUp.followUpJobId)));
  const errors: FieldError[] = [];
  for (const [index, followUp] of followUps.entries()) {
    const path = pathBack(next, followUp.followUpJobId, jobId);
    if (path) {
      const names = new Map((await tx.job.findMany({ where: { id: { in: [jobId, ...path] } }, select: { id: true, name: true } })).map((job) => [job.id, job.name]));
      const cycle = [jobId, ...path].map((id) => names.get(id) ?? id).join(' → ');
      errors.push({ field: `followUps[${index}].jobId`, message: `would make a cycle: ${cycle}; a chain may not come back to a job it started from` });
    }
  }
  if (errors.length > 0) throw new ValidationError(errors);
  await tx.jobFollowUp.deleteMany({ where: { jobId } });
  await tx.jobFollowUp.createMany({
    data: followUps.map((followUp, position) => ({ jobId, followUpJobId: followUp.followUpJobId, on: followUp.on, argsMapping: followUp.argsMapping, position })),
  });
}

/** The jobs from `from` to `to` along follow-ups (both included), or null when `to` cannot be reached. */
function pathBack(next: Map<string, Set<string>>, from: string, to: string): string[] | null {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (current === to) {
      const path: string[] = [];
      for (let at: string | null = current; at !== null; at = previous.get(at) ?? null) path.unshift(at);
      return path;
    }
    for (const following of next.get(current) ?? []) {
      if (!previous.has(following)) {
        previous.set(following, current);
        queue.push(following);
      }
    }
  }
  return null;
}

/** The action's top-level args by name, when its JSON Schema lists them. */
function argProperties(schema: Record<string, unknown> | undefined): Map<string, Record<string, unknown>> | null {
  const properties = schema?.properties;
  if (!properties || typeof properties !== 'object') return null;
  return new Map(Object.entries(properties as Record<string, Record<string, unknown>>));
}

/** Whether a JSON Schema property may hold text (a string, or anything when it does not say). */
function acceptsText(property: Record<string, unknown>): boolean {
  const type = property.type;
  if (type === undefined) {
    const options = (property.anyOf ?? property.oneOf) as Array<Record<string, unknown>> | undefined;
    return !options || options.some(acceptsText);
  }
  return type === 'string' || (Array.isArray(type) && type.includes('string'));
}
