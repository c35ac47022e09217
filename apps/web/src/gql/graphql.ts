/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type DatabaseMode =
  | 'embedded'
  | 'external';

export type HealthStatus =
  | 'healthy'
  | 'unhealthy';

export type SchedulerBackend =
  | 'mongodb'
  | 'postgres';

export type SchedulerState =
  | 'failed'
  | 'idle'
  | 'running'
  | 'starting'
  | 'stopped'
  | 'stopping';

export type HealthCard_HealthFragmentFragment = { status: HealthStatus, database: { up: boolean, mode: DatabaseMode }, scheduler: { up: boolean, state: SchedulerState, backend: SchedulerBackend, executesJobs: boolean } } & { ' $fragmentName'?: 'HealthCard_HealthFragmentFragment' };

export type StatusPageQueryQueryVariables = Exact<{ [key: string]: never; }>;


export type StatusPageQueryQuery = { health: { ' $fragmentRefs'?: { 'HealthCard_HealthFragmentFragment': HealthCard_HealthFragmentFragment } } };

export const HealthCard_HealthFragmentFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HealthCard_HealthFragment"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Health"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"database"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"up"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"scheduler"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"up"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"backend"}},{"kind":"Field","name":{"kind":"Name","value":"executesJobs"}}]}}]}}]} as unknown as DocumentNode<HealthCard_HealthFragmentFragment, unknown>;
export const StatusPageQueryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StatusPageQuery"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HealthCard_HealthFragment"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HealthCard_HealthFragment"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Health"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"database"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"up"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"scheduler"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"up"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"backend"}},{"kind":"Field","name":{"kind":"Name","value":"executesJobs"}}]}}]}}]} as unknown as DocumentNode<StatusPageQueryQuery, StatusPageQueryQueryVariables>;