/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Ductape-style: omit startAt, cron and everySeconds to run now; give startAt to run once later; give cron or everySeconds (with optional startAt, endDate, limit, tz) to recur. Errors name these fields. */
export type DispatchInput = {
  action: string;
  /** A JSON object, validated against the action's schema. */
  args?: unknown;
  /** Cron expression (5 or 6 fields) for a recurring job. */
  cron?: string | null | undefined;
  description?: string | null | undefined;
  /** No runs after this time. */
  endDate?: string | null | undefined;
  /** Interval of a recurring job, in seconds (Ductape's `every` is in ms). */
  everySeconds?: number | null | undefined;
  /** At most this many runs. */
  limit?: number | null | undefined;
  /** The job's name; default the action's name. */
  name?: string | null | undefined;
  perUser?: boolean | null | undefined;
  /** Attempts after a failure; default: the action's. */
  retries?: number | null | undefined;
  /** Start time (Ductape start_at); absent or past: now. */
  startAt?: string | null | undefined;
  targetRoleIds?: Array<string | number> | null | undefined;
  targetUserIds?: Array<string | number> | null | undefined;
  /** Title of the run when it runs now. */
  title?: string | null | undefined;
  /** IANA timezone the cron is read in; default UTC. */
  tz?: string | null | undefined;
};

/** QUEUED: a run was queued to start now. SCHEDULED: the job waits for its (first) fire time. */
export type DispatchStatus =
  | 'QUEUED'
  | 'SCHEDULED';

export type LogLevel =
  | 'DEBUG'
  | 'ERROR'
  | 'INFO'
  | 'WARN';

export type RunStatus =
  | 'CANCELLED'
  | 'CANCELLING'
  | 'FAILED'
  | 'INTERRUPTED'
  | 'PARTIALLY_SUCCEEDED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SKIPPED'
  | 'SUCCEEDED'
  | 'TIMED_OUT';

/** What made a run. CHAIN: the ending of another run whose job lists this job as a follow-up (Run.causedByRun). BACKFILL: a backfill over a past range (Run.backfill). WEBHOOK: a POST to the job's inbound webhook. */
export type RunTrigger =
  | 'API'
  | 'BACKFILL'
  | 'CHAIN'
  | 'MANUAL'
  | 'RETRY'
  | 'SCHEDULE'
  | 'WEBHOOK';

export type ClientRunFragment = { id: string, status: RunStatus, statusReason: string | null, trigger: RunTrigger, title: string | null, attempt: number, maxAttempts: number, scheduledFor: string, startedAt: string | null, finishedAt: string | null, durationMs: number | null, progressDone: number | null, progressTotal: number | null, childrenTotal: number, childrenSucceeded: number, childrenFailed: number, output: unknown, errorMessage: string | null, lastLogSequence: number, job: { id: string, name: string, action: string } };

type ClientErrors_ConflictError_Fragment = { __typename: 'ConflictError', message: string };

type ClientErrors_NotFoundError_Fragment = { __typename: 'NotFoundError', entity: string, id: string, message: string };

type ClientErrors_ValidationError_Fragment = { __typename: 'ValidationError', message: string, fieldErrors: Array<{ field: string, message: string }> };

export type ClientErrorsFragment =
  | ClientErrors_ConflictError_Fragment
  | ClientErrors_NotFoundError_Fragment
  | ClientErrors_ValidationError_Fragment
;

export type ClientDispatchMutationVariables = Exact<{
  input: DispatchInput;
}>;


export type ClientDispatchMutation = { dispatch:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationDispatchSuccess', result: { status: DispatchStatus, scheduledAt: string, recurring: boolean, nextRunAt: string | null, job: { id: string, name: string, action: string, enabled: boolean, nextRunAt: string | null }, run: { id: string, status: RunStatus, statusReason: string | null, trigger: RunTrigger, title: string | null, attempt: number, maxAttempts: number, scheduledFor: string, startedAt: string | null, finishedAt: string | null, durationMs: number | null, progressDone: number | null, progressTotal: number | null, childrenTotal: number, childrenSucceeded: number, childrenFailed: number, output: unknown, errorMessage: string | null, lastLogSequence: number, job: { id: string, name: string, action: string } } | null } }
    | { __typename: 'NotFoundError', entity: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ field: string, message: string }> }
   };

export type ClientRunNowMutationVariables = Exact<{
  id: string | number;
  args?: unknown;
  title?: string | null | undefined;
  since?: string | null | undefined;
}>;


export type ClientRunNowMutation = { runJobNow:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationRunJobNowSuccess', run: { id: string, status: RunStatus, statusReason: string | null, trigger: RunTrigger, title: string | null, attempt: number, maxAttempts: number, scheduledFor: string, startedAt: string | null, finishedAt: string | null, durationMs: number | null, progressDone: number | null, progressTotal: number | null, childrenTotal: number, childrenSucceeded: number, childrenFailed: number, output: unknown, errorMessage: string | null, lastLogSequence: number, job: { id: string, name: string, action: string } } }
    | { __typename: 'NotFoundError', entity: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ field: string, message: string }> }
   };

export type ClientCancelMutationVariables = Exact<{
  id: string | number;
}>;


export type ClientCancelMutation = { cancelRun:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationCancelRunSuccess', run: { id: string, status: RunStatus, statusReason: string | null, trigger: RunTrigger, title: string | null, attempt: number, maxAttempts: number, scheduledFor: string, startedAt: string | null, finishedAt: string | null, durationMs: number | null, progressDone: number | null, progressTotal: number | null, childrenTotal: number, childrenSucceeded: number, childrenFailed: number, output: unknown, errorMessage: string | null, lastLogSequence: number, job: { id: string, name: string, action: string } } }
    | { __typename: 'NotFoundError', entity: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ field: string, message: string }> }
   };

export type ClientRunByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type ClientRunByIdQuery = { run: { id: string, status: RunStatus, statusReason: string | null, trigger: RunTrigger, title: string | null, attempt: number, maxAttempts: number, scheduledFor: string, startedAt: string | null, finishedAt: string | null, durationMs: number | null, progressDone: number | null, progressTotal: number | null, childrenTotal: number, childrenSucceeded: number, childrenFailed: number, output: unknown, errorMessage: string | null, lastLogSequence: number, job: { id: string, name: string, action: string } } | null };

export type ClientRunUpdatedSubscriptionVariables = Exact<{
  runId: string | number;
}>;


export type ClientRunUpdatedSubscription = { runUpdated: { id: string, status: RunStatus, statusReason: string | null, trigger: RunTrigger, title: string | null, attempt: number, maxAttempts: number, scheduledFor: string, startedAt: string | null, finishedAt: string | null, durationMs: number | null, progressDone: number | null, progressTotal: number | null, childrenTotal: number, childrenSucceeded: number, childrenFailed: number, output: unknown, errorMessage: string | null, lastLogSequence: number, job: { id: string, name: string, action: string } } | null };

export type ClientRunLogLinesSubscriptionVariables = Exact<{
  runId: string | number;
  afterSequence?: number | null | undefined;
}>;


export type ClientRunLogLinesSubscription = { runLogLines: { lastSequence: number, lines: Array<{ sequence: number, time: string, level: LogLevel, message: string, data: unknown }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ClientRunFragmentDoc = new TypedDocumentString(`
    fragment ClientRun on Run {
  id
  status
  statusReason
  trigger
  title
  attempt
  maxAttempts
  scheduledFor
  startedAt
  finishedAt
  durationMs
  progressDone
  progressTotal
  childrenTotal
  childrenSucceeded
  childrenFailed
  output
  errorMessage
  lastLogSequence
  job {
    id
    name
    action
  }
}
    `, {"fragmentName":"ClientRun"}) as unknown as TypedDocumentString<ClientRunFragment, unknown>;
export const ClientErrorsFragmentDoc = new TypedDocumentString(`
    fragment ClientErrors on Error {
  __typename
  message
  ... on ValidationError {
    fieldErrors {
      field
      message
    }
  }
  ... on NotFoundError {
    entity
    id
  }
}
    `, {"fragmentName":"ClientErrors"}) as unknown as TypedDocumentString<ClientErrorsFragment, unknown>;
export const ClientDispatchDocument = new TypedDocumentString(`
    mutation ClientDispatch($input: DispatchInput!) {
  dispatch(input: $input) {
    __typename
    ... on MutationDispatchSuccess {
      result {
        status
        scheduledAt
        recurring
        nextRunAt
        job {
          id
          name
          action
          enabled
          nextRunAt
        }
        run {
          ...ClientRun
        }
      }
    }
    ...ClientErrors
  }
}
    fragment ClientRun on Run {
  id
  status
  statusReason
  trigger
  title
  attempt
  maxAttempts
  scheduledFor
  startedAt
  finishedAt
  durationMs
  progressDone
  progressTotal
  childrenTotal
  childrenSucceeded
  childrenFailed
  output
  errorMessage
  lastLogSequence
  job {
    id
    name
    action
  }
}
fragment ClientErrors on Error {
  __typename
  message
  ... on ValidationError {
    fieldErrors {
      field
      message
    }
  }
  ... on NotFoundError {
    entity
    id
  }
}`) as unknown as TypedDocumentString<ClientDispatchMutation, ClientDispatchMutationVariables>;
export const ClientRunNowDocument = new TypedDocumentString(`
    mutation ClientRunNow($id: ID!, $args: JSON, $title: String, $since: DateTime) {
  runJobNow(id: $id, args: $args, title: $title, since: $since) {
    __typename
    ... on MutationRunJobNowSuccess {
      run {
        ...ClientRun
      }
    }
    ...ClientErrors
  }
}
    fragment ClientRun on Run {
  id
  status
  statusReason
  trigger
  title
  attempt
  maxAttempts
  scheduledFor
  startedAt
  finishedAt
  durationMs
  progressDone
  progressTotal
  childrenTotal
  childrenSucceeded
  childrenFailed
  output
  errorMessage
  lastLogSequence
  job {
    id
    name
    action
  }
}
fragment ClientErrors on Error {
  __typename
  message
  ... on ValidationError {
    fieldErrors {
      field
      message
    }
  }
  ... on NotFoundError {
    entity
    id
  }
}`) as unknown as TypedDocumentString<ClientRunNowMutation, ClientRunNowMutationVariables>;
export const ClientCancelDocument = new TypedDocumentString(`
    mutation ClientCancel($id: ID!) {
  cancelRun(id: $id) {
    __typename
    ... on MutationCancelRunSuccess {
      run {
        ...ClientRun
      }
    }
    ...ClientErrors
  }
}
    fragment ClientRun on Run {
  id
  status
  statusReason
  trigger
  title
  attempt
  maxAttempts
  scheduledFor
  startedAt
  finishedAt
  durationMs
  progressDone
  progressTotal
  childrenTotal
  childrenSucceeded
  childrenFailed
  output
  errorMessage
  lastLogSequence
  job {
    id
    name
    action
  }
}
fragment ClientErrors on Error {
  __typename
  message
  ... on ValidationError {
    fieldErrors {
      field
      message
    }
  }
  ... on NotFoundError {
    entity
    id
  }
}`) as unknown as TypedDocumentString<ClientCancelMutation, ClientCancelMutationVariables>;
export const ClientRunByIdDocument = new TypedDocumentString(`
    query ClientRunById($id: ID!) {
  run(id: $id) {
    ...ClientRun
  }
}
    fragment ClientRun on Run {
  id
  status
  statusReason
  trigger
  title
  attempt
  maxAttempts
  scheduledFor
  startedAt
  finishedAt
  durationMs
  progressDone
  progressTotal
  childrenTotal
  childrenSucceeded
  childrenFailed
  output
  errorMessage
  lastLogSequence
  job {
    id
    name
    action
  }
}`) as unknown as TypedDocumentString<ClientRunByIdQuery, ClientRunByIdQueryVariables>;
export const ClientRunUpdatedDocument = new TypedDocumentString(`
    subscription ClientRunUpdated($runId: ID!) {
  runUpdated(runId: $runId) {
    ...ClientRun
  }
}
    fragment ClientRun on Run {
  id
  status
  statusReason
  trigger
  title
  attempt
  maxAttempts
  scheduledFor
  startedAt
  finishedAt
  durationMs
  progressDone
  progressTotal
  childrenTotal
  childrenSucceeded
  childrenFailed
  output
  errorMessage
  lastLogSequence
  job {
    id
    name
    action
  }
}`) as unknown as TypedDocumentString<ClientRunUpdatedSubscription, ClientRunUpdatedSubscriptionVariables>;
export const ClientRunLogLinesDocument = new TypedDocumentString(`
    subscription ClientRunLogLines($runId: ID!, $afterSequence: Int) {
  runLogLines(runId: $runId, afterSequence: $afterSequence) {
    lastSequence
    lines {
      sequence
      time
      level
      message
      data
    }
  }
}
    `) as unknown as TypedDocumentString<ClientRunLogLinesSubscription, ClientRunLogLinesSubscriptionVariables>;