// Definitions applied outside the API leave audit events like the API's importDefinitions: `sundial import` on the
// command line (actor kind CLI) and sundial.yaml's definitions at start (CONFIGURATION). Neither has a signed-in
// user, so the actor is the OS user and host that ran the process, with the file it read. The details say what
// changed: the created, updated and deleted keys (jobs), e-mails (users) and names (roles), with their counts, and
// the jobs paused until a time (key and time); a refused document records its problems, and nothing changed.
import os from 'node:os';
import type { PrismaClient } from '../../db/prisma.js';
import { AuditService } from '../audit.js';
import type { FieldError } from '../errors.js';
import type { DefinitionsSummary, KindChanges } from './apply-run.js';

/** The audit events' action: the same as the GraphQL mutation's. */
export const DEFINITIONS_AUDIT_ACTION = 'importDefinitions';

export interface DefinitionsActor {
  kind: 'CLI' | 'CONFIGURATION';
  /** The file applied (`-` for standard input), or `sundial.yaml definitions` for inline entries. */
  source: string;
  /** Record an apply that changed nothing: yes for a person's `sundial import`, not for every start-up. */
  recordUnchanged: boolean;
  osUser: string;
  host: string;
}

/** The OS user running this process; a container without a passwd entry has only its uid. */
function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env['USER'] ?? `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

export function localActor(kind: DefinitionsActor['kind'], source: string): DefinitionsActor {
  return { kind, source, recordUnchanged: kind === 'CLI', osUser: osUser(), host: os.hostname() };
}

function changesOf(changes: KindChanges) {
  return {
    counts: { created: changes.created.length, updated: changes.updated.length, deleted: changes.deleted.length, unchanged: changes.unchanged.length },
    created: changes.created,
    updated: changes.updated,
    deleted: changes.deleted,
  };
}

const changedAnything = (summary: DefinitionsSummary) =>
  [summary.roles, summary.users, summary.jobs].some((changes) => changes.created.length + changes.updated.length + changes.deleted.length > 0);

export async function recordDefinitionsApply(
  prisma: PrismaClient,
  actor: DefinitionsActor,
  options: { prune: boolean },
  outcome: { summary: DefinitionsSummary } | { problems: FieldError[] },
): Promise<void> {
  if ('summary' in outcome && !actor.recordUnchanged && !changedAnything(outcome.summary)) return;
  const who = actor.kind === 'CLI' ? 'sundial import' : 'configuration';
  await new AuditService(prisma).record({
    actorId: null,
    actorLabel: `${who} ${actor.source} (${actor.osUser}@${actor.host})`,
    actorKind: actor.kind,
    ip: null,
    action: DEFINITIONS_AUDIT_ACTION,
    outcome: 'summary' in outcome ? 'SUCCESS' : 'FAILURE',
    details: {
      source: actor.source,
      osUser: actor.osUser,
      host: actor.host,
      prune: options.prune,
      ...('summary' in outcome
        ? {
            roles: changesOf(outcome.summary.roles),
            users: changesOf(outcome.summary.users),
            jobs: changesOf(outcome.summary.jobs),
            ...(outcome.summary.paused.length > 0 ? { paused: outcome.summary.paused } : {}),
          }
        : { problemCount: outcome.problems.length, problems: outcome.problems.slice(0, 20) }),
    },
  });
}
