// Live updates. Events say "run X changed" (ids and status) and readers re-read what they show; only log lines
// carry their content, because a live log is the content. In-process for now: the same interface can be backed by
// a cross-process event target (PostgreSQL LISTEN/NOTIFY or Redis) without touching publishers or subscribers.
import { createPubSub } from 'graphql-yoga';
import type { LogLevel, RunStatus } from '../db/prisma.js';

export interface RunChange {
  runId: string;
  jobId: string;
  parentRunId: string | null;
  status: RunStatus;
}

export interface RunLogEvent {
  runId: string;
  sequence: number;
  time: Date;
  level: LogLevel;
  message: string;
  data: unknown;
}

export interface JobChange {
  jobId: string;
  change: 'created' | 'updated' | 'deleted';
}

export type RealtimeTopics = {
  /** A run's status or counters changed. */
  run: [runId: string, payload: RunChange];
  /** A run wrote a log line (already stored). */
  runLog: [runId: string, payload: RunLogEvent];
  /** A run of this job changed (including new runs). */
  jobRuns: [jobId: string, payload: RunChange];
  /** The job's definition or state changed. */
  job: [jobId: string, payload: JobChange];
  /** Every run status change, for dashboards. */
  runsFeed: [payload: RunChange];
};

export type RealtimeBus = ReturnType<typeof createRealtimeBus>;

export function createRealtimeBus() {
  const pubsub = createPubSub<RealtimeTopics>();
  return {
    subscribe: pubsub.subscribe,
    publishRunChange(change: RunChange) {
      pubsub.publish('run', change.runId, change);
      pubsub.publish('jobRuns', change.jobId, change);
      pubsub.publish('runsFeed', change);
    },
    publishLogLine(line: RunLogEvent) {
      pubsub.publish('runLog', line.runId, line);
    },
    publishJobChange(change: JobChange) {
      pubsub.publish('job', change.jobId, change);
    },
  };
}
