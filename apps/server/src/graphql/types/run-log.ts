// A run's log: lines with consecutive sequence numbers. Paged by sequence (the cursor is the sequence number, so
// `after: "120"` means after line 120), and live: runLogLines sends the stored lines after a sequence, then new
// ones, in batches (one event carries many lines: at 1,000 lines a second, one event per line per subscriber is
// more than a server can write). runLog, one line per event, stays for clients written against it.
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { createGraphQLError } from 'graphql-yoga';
import type { PrismaClient } from '../../db/prisma.js';
import { oneByOne, runLogStream, withUnstoredLines, type LogLine } from '../../realtime/streams.js';
import { builder, type GraphQLContext, type SchemaTypes } from '../builder.js';
import { isUuid, LogLevelEnum, notFoundError } from './common.js';

export const RunLogLineRef = builder.objectRef<LogLine>('RunLogLine').implement({
  description: 'One line of a run\'s log. Sequence numbers are consecutive per run and never reused.',
  authScopes: { permission: 'JOBS_READ' },
  fields: (t) => ({
    runId: t.exposeID('runId'),
    sequence: t.exposeInt('sequence'),
    time: t.expose('time', { type: 'DateTime' }),
    level: t.expose('level', { type: LogLevelEnum }),
    message: t.exposeString('message'),
    data: t.field({ type: 'JSON', nullable: true, resolve: (line) => line.data ?? null }),
    traceId: t.exposeString('traceId', {
      nullable: true,
      description: 'The OpenTelemetry trace id (32 hex digits) of the attempt that wrote the line; null when tracing is off.',
    }),
  }),
});

const lineSelect = { runId: true, sequence: true, time: true, level: true, message: true, data: true, traceId: true } as const;

function readLines(prisma: PrismaClient, runId: string) {
  return async (after: number, upTo: number | null, limit: number): Promise<LogLine[]> =>
    prisma.runLogLine.findMany({
      where: { runId, sequence: { gt: after, ...(upTo !== null ? { lte: upTo } : {}) } },
      orderBy: { sequence: 'asc' },
      take: limit,
      select: lineSelect,
    });
}

/** The cursor is the sequence number itself; anything else is refused with a message. */
function sequenceOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,9}$/.test(cursor)) {
    throw createGraphQLError('a log cursor is a line sequence number, e.g. "120"', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return Number(cursor);
}

builder.prismaObjectField('Run', 'log', (t) =>
  t.connection({
    type: RunLogLineRef,
    description: 'The log, oldest first. `first`/`after` pages forward; `last` gives the tail.',
    select: { id: true },
    resolve: (run, args, context) =>
      resolveCursorConnection<Promise<LogLine[]>>({ args, toCursor: (line: LogLine) => String(line.sequence), defaultSize: 200, maxSize: 1000 }, async ({ before, after, limit, inverted }): Promise<LogLine[]> => {
        const gt = sequenceOf(after);
        const lt = sequenceOf(before);
        return context.prisma.runLogLine.findMany({
          where: { runId: run.id, sequence: { ...(gt !== undefined ? { gt } : {}), ...(lt !== undefined ? { lt } : {}) } },
          orderBy: { sequence: inverted ? 'desc' : 'asc' },
          take: limit,
          select: lineSelect,
        });
      }),
  }),
);

/** A batch: never empty, ascending. */
const RunLogLinesRef = builder.objectRef<LogLine[]>('RunLogLines').implement({
  description: 'Consecutive lines of a run\'s log, ascending by sequence: one event of the runLogLines subscription.',
  authScopes: { permission: 'JOBS_READ' },
  fields: (t) => ({
    runId: t.id({ resolve: (lines) => lines[0]!.runId }),
    lines: t.field({ type: [RunLogLineRef], description: 'At least one.', resolve: (lines) => lines }),
    lastSequence: t.int({
      description: 'The sequence of the last line: resume with `afterSequence` set to it.',
      resolve: (lines) => lines[lines.length - 1]!.sequence,
    }),
  }),
});

const liveLogArgs = (t: PothosSchemaTypes.SubscriptionFieldBuilder<SchemaTypes, object>) => ({
  runId: t.arg.id(),
  afterSequence: t.arg.int({ required: false, defaultValue: 0 }),
});

/** The run's log after `afterSequence` as batches; an unknown run is an error now, not a stream silent forever. */
async function logBatches(context: GraphQLContext, runId: string | number, afterSequence: number | null | undefined) {
  const id = String(runId);
  const run = isUuid(id) ? await context.prisma.run.findUnique({ where: { id }, select: { id: true } }) : null;
  if (!run) throw notFoundError('run', id);
  return runLogStream(
    (handler) => context.bus.listen('runLog', id, handler),
    withUnstoredLines(readLines(context.prisma, id), (after, upTo) => context.bus.unstoredLogLines(id, after, upTo)),
    Math.max(0, afterSequence ?? 0),
    () => context.bus.logLinesHeard(),
  );
}

builder.subscriptionField('runLogLines', (t) =>
  t.field({
    type: RunLogLinesRef,
    authScopes: { permission: 'JOBS_READ' },
    description:
      'The stored lines after `afterSequence` (default: from the start), then new lines as the run writes them: ' +
      'in order, no gap, no duplicate, several lines per event (a page of up to 1,000 stored lines, then what the ' +
      'run wrote since the previous event). Resume after a disconnect with the last sequence received.',
    args: liveLogArgs(t),
    subscribe: async (_root, { runId, afterSequence }, context) => logBatches(context, runId, afterSequence),
    resolve: (batch) => batch,
  }),
);

builder.subscriptionField('runLog', (t) =>
  t.field({
    type: RunLogLineRef,
    authScopes: { permission: 'JOBS_READ' },
    deprecationReason: 'One event per line; use runLogLines, which sends the same lines in batches.',
    description:
      'The stored lines after `afterSequence` (default: from the start), then new lines as the run writes them: ' +
      'in order, no gap, no duplicate, one line per event. Resume after a disconnect with the last sequence received.',
    args: liveLogArgs(t),
    subscribe: async (_root, { runId, afterSequence }, context) => oneByOne(await logBatches(context, runId, afterSequence)),
    resolve: (line) => line,
  }),
);
