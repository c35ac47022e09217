// The operations the client sends. `npm run codegen` reads them and writes their result and variable types to
// ./gql (committed): the client's types follow schema.graphql, never a hand-copied shape.
import { graphql } from './gql/index.js';

export const RunFields = graphql(`
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
    job { id name action }
  }
`);

const ErrorFields = graphql(`
  fragment ClientErrors on Error {
    __typename
    message
    ... on ValidationError { fieldErrors { field message } }
    ... on NotFoundError { entity id }
  }
`);

export const DispatchDocument = graphql(`
  mutation ClientDispatch($input: DispatchInput!) {
    dispatch(input: $input) {
      __typename
      ... on MutationDispatchSuccess {
        result {
          status
          scheduledAt
          recurring
          nextRunAt
          job { id name action enabled nextRunAt }
          run { ...ClientRun }
        }
      }
      ...ClientErrors
    }
  }
`);

export const RunNowDocument = graphql(`
  mutation ClientRunNow($id: ID!, $args: JSON, $title: String, $since: DateTime) {
    runJobNow(id: $id, args: $args, title: $title, since: $since) {
      __typename
      ... on MutationRunJobNowSuccess { run { ...ClientRun } }
      ...ClientErrors
    }
  }
`);

export const CancelDocument = graphql(`
  mutation ClientCancel($id: ID!) {
    cancelRun(id: $id) {
      __typename
      ... on MutationCancelRunSuccess { run { ...ClientRun } }
      ...ClientErrors
    }
  }
`);

export const RunDocument = graphql(`
  query ClientRunById($id: ID!) {
    run(id: $id) { ...ClientRun }
  }
`);

export const RunUpdatedDocument = graphql(`
  subscription ClientRunUpdated($runId: ID!) {
    runUpdated(runId: $runId) { ...ClientRun }
  }
`);

export const RunLogLinesDocument = graphql(`
  subscription ClientRunLogLines($runId: ID!, $afterSequence: Int) {
    runLogLines(runId: $runId, afterSequence: $afterSequence) {
      lastSequence
      lines { sequence time level message data }
    }
  }
`);

export { ErrorFields };
