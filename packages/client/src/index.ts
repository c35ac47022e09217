// @sundial/client: a typed client for Sundial's GraphQL API, for Node.js and browsers.
export { createClient } from './client.js';
export type { ClientOptions, DispatchOptions, DispatchResult, RunNowOptions, SundialClient } from './client.js';
export type { ActionArgs, ActionName, SundialActions } from './actions.js';
export { SundialError } from './errors.js';
export type { FieldError, SundialErrorKind } from './errors.js';
export { FINAL_STATUSES } from './watch.js';
export type { LogLine, ReconnectOptions, RunEvent, WatchedRun, WatchRunOptions } from './watch.js';
export type { TransportKind } from './transport.js';
export type { DispatchInput, RunStatus, RunTrigger, TypedDocumentString } from './gql/graphql.js';
