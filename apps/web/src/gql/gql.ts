/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

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
    "\n  query ViewerGateQuery {\n    viewer {\n      userId\n      permissions\n      via\n      ...AppShell_ViewerFragment\n    }\n  }\n": typeof types.ViewerGateQueryDocument,
    "\n  fragment HealthCard_HealthFragment on Health {\n    status\n    database {\n      up\n      mode\n    }\n    scheduler {\n      up\n      state\n      backend\n      executesJobs\n    }\n  }\n": typeof types.HealthCard_HealthFragmentFragmentDoc,
    "\n  fragment AppShell_ViewerFragment on Viewer {\n    ...UserMenu_ViewerFragment\n  }\n": typeof types.AppShell_ViewerFragmentFragmentDoc,
    "\n  fragment UserMenu_ViewerFragment on Viewer {\n    name\n    email\n    permissions\n    via\n  }\n": typeof types.UserMenu_ViewerFragmentFragmentDoc,
    "\n  mutation SignOutMutation {\n    signOut\n  }\n": typeof types.SignOutMutationDocument,
    "\n  fragment ApiTokenRow_ApiTokenFragment on ApiToken {\n    id\n    name\n    prefix\n    ownerEmail\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n": typeof types.ApiTokenRow_ApiTokenFragmentFragmentDoc,
    "\n  mutation RevokeApiTokenMutation($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeApiTokenMutationDocument,
    "\n  mutation CreateApiTokenMutation($name: String!, $expiresAt: DateTime) {\n    createApiToken(name: $name, expiresAt: $expiresAt) {\n      secret\n      token {\n        id\n        name\n        ...ApiTokenRow_ApiTokenFragment\n      }\n    }\n  }\n": typeof types.CreateApiTokenMutationDocument,
    "\n  query ApiTokensPageQuery {\n    apiTokens {\n      id\n      ...ApiTokenRow_ApiTokenFragment\n    }\n  }\n": typeof types.ApiTokensPageQueryDocument,
    "\n  query SignInPageQuery {\n    viewer {\n      userId\n    }\n  }\n": typeof types.SignInPageQueryDocument,
    "\n  mutation SignInMutation($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      userId\n    }\n  }\n": typeof types.SignInMutationDocument,
    "\n  query StatusPageQuery {\n    health {\n      ...HealthCard_HealthFragment\n    }\n  }\n": typeof types.StatusPageQueryDocument,
};
const documents: Documents = {
    "\n  query ViewerGateQuery {\n    viewer {\n      userId\n      permissions\n      via\n      ...AppShell_ViewerFragment\n    }\n  }\n": types.ViewerGateQueryDocument,
    "\n  fragment HealthCard_HealthFragment on Health {\n    status\n    database {\n      up\n      mode\n    }\n    scheduler {\n      up\n      state\n      backend\n      executesJobs\n    }\n  }\n": types.HealthCard_HealthFragmentFragmentDoc,
    "\n  fragment AppShell_ViewerFragment on Viewer {\n    ...UserMenu_ViewerFragment\n  }\n": types.AppShell_ViewerFragmentFragmentDoc,
    "\n  fragment UserMenu_ViewerFragment on Viewer {\n    name\n    email\n    permissions\n    via\n  }\n": types.UserMenu_ViewerFragmentFragmentDoc,
    "\n  mutation SignOutMutation {\n    signOut\n  }\n": types.SignOutMutationDocument,
    "\n  fragment ApiTokenRow_ApiTokenFragment on ApiToken {\n    id\n    name\n    prefix\n    ownerEmail\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n": types.ApiTokenRow_ApiTokenFragmentFragmentDoc,
    "\n  mutation RevokeApiTokenMutation($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeApiTokenMutationDocument,
    "\n  mutation CreateApiTokenMutation($name: String!, $expiresAt: DateTime) {\n    createApiToken(name: $name, expiresAt: $expiresAt) {\n      secret\n      token {\n        id\n        name\n        ...ApiTokenRow_ApiTokenFragment\n      }\n    }\n  }\n": types.CreateApiTokenMutationDocument,
    "\n  query ApiTokensPageQuery {\n    apiTokens {\n      id\n      ...ApiTokenRow_ApiTokenFragment\n    }\n  }\n": types.ApiTokensPageQueryDocument,
    "\n  query SignInPageQuery {\n    viewer {\n      userId\n    }\n  }\n": types.SignInPageQueryDocument,
    "\n  mutation SignInMutation($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      userId\n    }\n  }\n": types.SignInMutationDocument,
    "\n  query StatusPageQuery {\n    health {\n      ...HealthCard_HealthFragment\n    }\n  }\n": types.StatusPageQueryDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ViewerGateQuery {\n    viewer {\n      userId\n      permissions\n      via\n      ...AppShell_ViewerFragment\n    }\n  }\n"): (typeof documents)["\n  query ViewerGateQuery {\n    viewer {\n      userId\n      permissions\n      via\n      ...AppShell_ViewerFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment HealthCard_HealthFragment on Health {\n    status\n    database {\n      up\n      mode\n    }\n    scheduler {\n      up\n      state\n      backend\n      executesJobs\n    }\n  }\n"): (typeof documents)["\n  fragment HealthCard_HealthFragment on Health {\n    status\n    database {\n      up\n      mode\n    }\n    scheduler {\n      up\n      state\n      backend\n      executesJobs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AppShell_ViewerFragment on Viewer {\n    ...UserMenu_ViewerFragment\n  }\n"): (typeof documents)["\n  fragment AppShell_ViewerFragment on Viewer {\n    ...UserMenu_ViewerFragment\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserMenu_ViewerFragment on Viewer {\n    name\n    email\n    permissions\n    via\n  }\n"): (typeof documents)["\n  fragment UserMenu_ViewerFragment on Viewer {\n    name\n    email\n    permissions\n    via\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOutMutation {\n    signOut\n  }\n"): (typeof documents)["\n  mutation SignOutMutation {\n    signOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiTokenRow_ApiTokenFragment on ApiToken {\n    id\n    name\n    prefix\n    ownerEmail\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n"): (typeof documents)["\n  fragment ApiTokenRow_ApiTokenFragment on ApiToken {\n    id\n    name\n    prefix\n    ownerEmail\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiTokenMutation($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiTokenMutation($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiTokenMutation($name: String!, $expiresAt: DateTime) {\n    createApiToken(name: $name, expiresAt: $expiresAt) {\n      secret\n      token {\n        id\n        name\n        ...ApiTokenRow_ApiTokenFragment\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiTokenMutation($name: String!, $expiresAt: DateTime) {\n    createApiToken(name: $name, expiresAt: $expiresAt) {\n      secret\n      token {\n        id\n        name\n        ...ApiTokenRow_ApiTokenFragment\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokensPageQuery {\n    apiTokens {\n      id\n      ...ApiTokenRow_ApiTokenFragment\n    }\n  }\n"): (typeof documents)["\n  query ApiTokensPageQuery {\n    apiTokens {\n      id\n      ...ApiTokenRow_ApiTokenFragment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SignInPageQuery {\n    viewer {\n      userId\n    }\n  }\n"): (typeof documents)["\n  query SignInPageQuery {\n    viewer {\n      userId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignInMutation($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      userId\n    }\n  }\n"): (typeof documents)["\n  mutation SignInMutation($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      userId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StatusPageQuery {\n    health {\n      ...HealthCard_HealthFragment\n    }\n  }\n"): (typeof documents)["\n  query StatusPageQuery {\n    health {\n      ...HealthCard_HealthFragment\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;