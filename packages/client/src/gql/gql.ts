/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ClientRun on Run {\n    id\n    status\n    statusReason\n    trigger\n    title\n    attempt\n    maxAttempts\n    scheduledFor\n    startedAt\n    finishedAt\n    durationMs\n    progressDone\n    progressTotal\n    childrenTotal\n    childrenSucceeded\n    childrenFailed\n    output\n    errorMessage\n    lastLogSequence\n    job { id name action }\n  }\n": typeof types.ClientRunFragmentDoc,
    "\n  fragment ClientErrors on Error {\n    __typename\n    message\n    ... on ValidationError { fieldErrors { field message } }\n    ... on NotFoundError { entity id }\n  }\n": typeof types.ClientErrorsFragmentDoc,
    "\n  mutation ClientDispatch($input: DispatchInput!) {\n    dispatch(input: $input) {\n      __typename\n      ... on MutationDispatchSuccess {\n        result {\n          status\n          scheduledAt\n          recurring\n          nextRunAt\n          job { id name action enabled nextRunAt }\n          run { ...ClientRun }\n        }\n      }\n      ...ClientErrors\n    }\n  }\n": typeof types.ClientDispatchDocument,
    "\n  mutation ClientRunNow($id: ID!, $args: JSON, $title: String, $since: DateTime) {\n    runJobNow(id: $id, args: $args, title: $title, since: $since) {\n      __typename\n      ... on MutationRunJobNowSuccess { run { ...ClientRun } }\n      ...ClientErrors\n    }\n  }\n": typeof types.ClientRunNowDocument,
    "\n  mutation ClientCancel($id: ID!) {\n    cancelRun(id: $id) {\n      __typename\n      ... on MutationCancelRunSuccess { run { ...ClientRun } }\n      ...ClientErrors\n    }\n  }\n": typeof types.ClientCancelDocument,
    "\n  query ClientRunById($id: ID!) {\n    run(id: $id) { ...ClientRun }\n  }\n": typeof types.ClientRunByIdDocument,
    "\n  subscription ClientRunUpdated($runId: ID!) {\n    runUpdated(runId: $runId) { ...ClientRun }\n  }\n": typeof types.ClientRunUpdatedDocument,
    "\n  subscription ClientRunLogLines($runId: ID!, $afterSequence: Int) {\n    runLogLines(runId: $runId, afterSequence: $afterSequence) {\n      lastSequence\n      lines { sequence time level message data }\n    }\n  }\n": typeof types.ClientRunLogLinesDocument,
};
const documents: Documents = {
    "\n  fragment ClientRun on Run {\n    id\n    status\n    statusReason\n    trigger\n    title\n    attempt\n    maxAttempts\n    scheduledFor\n    startedAt\n    finishedAt\n    durationMs\n    progressDone\n    progressTotal\n    childrenTotal\n    childrenSucceeded\n    childrenFailed\n    output\n    errorMessage\n    lastLogSequence\n    job { id name action }\n  }\n": types.ClientRunFragmentDoc,
    "\n  fragment ClientErrors on Error {\n    __typename\n    message\n    ... on ValidationError { fieldErrors { field message } }\n    ... on NotFoundError { entity id }\n  }\n": types.ClientErrorsFragmentDoc,
    "\n  mutation ClientDispatch($input: DispatchInput!) {\n    dispatch(input: $input) {\n      __typename\n      ... on MutationDispatchSuccess {\n        result {\n          status\n          scheduledAt\n          recurring\n          nextRunAt\n          job { id name action enabled nextRunAt }\n          run { ...ClientRun }\n        }\n      }\n      ...ClientErrors\n    }\n  }\n": types.ClientDispatchDocument,
    "\n  mutation ClientRunNow($id: ID!, $args: JSON, $title: String, $since: DateTime) {\n    runJobNow(id: $id, args: $args, title: $title, since: $since) {\n      __typename\n      ... on MutationRunJobNowSuccess { run { ...ClientRun } }\n      ...ClientErrors\n    }\n  }\n": types.ClientRunNowDocument,
    "\n  mutation ClientCancel($id: ID!) {\n    cancelRun(id: $id) {\n      __typename\n      ... on MutationCancelRunSuccess { run { ...ClientRun } }\n      ...ClientErrors\n    }\n  }\n": types.ClientCancelDocument,
    "\n  query ClientRunById($id: ID!) {\n    run(id: $id) { ...ClientRun }\n  }\n": types.ClientRunByIdDocument,
    "\n  subscription ClientRunUpdated($runId: ID!) {\n    runUpdated(runId: $runId) { ...ClientRun }\n  }\n": types.ClientRunUpdatedDocument,
    "\n  subscription ClientRunLogLines($runId: ID!, $afterSequence: Int) {\n    runLogLines(runId: $runId, afterSequence: $afterSequence) {\n      lastSequence\n      lines { sequence time level message data }\n    }\n  }\n": types.ClientRunLogLinesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ClientRun on Run {\n    id\n    status\n    statusReason\n    trigger\n    title\n    attempt\n    maxAttempts\n    scheduledFor\n    startedAt\n    finishedAt\n    durationMs\n    progressDone\n    progressTotal\n    childrenTotal\n    childrenSucceeded\n    childrenFailed\n    output\n    errorMessage\n    lastLogSequence\n    job { id name action }\n  }\n"): typeof import('./graphql.js').ClientRunFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ClientErrors on Error {\n    __typename\n    message\n    ... on ValidationError { fieldErrors { field message } }\n    ... on NotFoundError { entity id }\n  }\n"): typeof import('./graphql.js').ClientErrorsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClientDispatch($input: DispatchInput!) {\n    dispatch(input: $input) {\n      __typename\n      ... on MutationDispatchSuccess {\n        result {\n          status\n          scheduledAt\n          recurring\n          nextRunAt\n          job { id name action enabled nextRunAt }\n          run { ...ClientRun }\n        }\n      }\n      ...ClientErrors\n    }\n  }\n"): typeof import('./graphql.js').ClientDispatchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClientRunNow($id: ID!, $args: JSON, $title: String, $since: DateTime) {\n    runJobNow(id: $id, args: $args, title: $title, since: $since) {\n      __typename\n      ... on MutationRunJobNowSuccess { run { ...ClientRun } }\n      ...ClientErrors\n    }\n  }\n"): typeof import('./graphql.js').ClientRunNowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClientCancel($id: ID!) {\n    cancelRun(id: $id) {\n      __typename\n      ... on MutationCancelRunSuccess { run { ...ClientRun } }\n      ...ClientErrors\n    }\n  }\n"): typeof import('./graphql.js').ClientCancelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClientRunById($id: ID!) {\n    run(id: $id) { ...ClientRun }\n  }\n"): typeof import('./graphql.js').ClientRunByIdDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ClientRunUpdated($runId: ID!) {\n    runUpdated(runId: $runId) { ...ClientRun }\n  }\n"): typeof import('./graphql.js').ClientRunUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ClientRunLogLines($runId: ID!, $afterSequence: Int) {\n    runLogLines(runId: $runId, afterSequence: $afterSequence) {\n      lastSequence\n      lines { sequence time level message data }\n    }\n  }\n"): typeof import('./graphql.js').ClientRunLogLinesDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
