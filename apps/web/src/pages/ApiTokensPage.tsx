import { useState } from 'react';
import { useQuery } from 'urql';
import { PageHeader } from '../components/layout/PageHeader';
import { ApiTokenRow } from '../components/tokens/ApiTokenRow';
import { CreateApiTokenDialog } from '../components/tokens/CreateApiTokenDialog';
import { Button } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { KeyIcon, PlusIcon } from '../components/ui/icons';
import { SkeletonRows } from '../components/ui/Skeleton';
import { Table, TBody, Th, THead } from '../components/ui/Table';
import { graphql } from '../gql';
import { describeError } from '../lib/errors';

const ApiTokensPageQuery = graphql(`
  query ApiTokensPageQuery {
    apiTokens {
      id
      ...ApiTokenRow_ApiTokenFragment
    }
  }
`);

// An empty list has no ApiToken in it for the cache to watch; name the type so a created token refreshes it.
const CONTEXT = { additionalTypenames: ['ApiToken'] };

export default function ApiTokensPage() {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: ApiTokensPageQuery, context: CONTEXT });
  const [creating, setCreating] = useState(false);
  const create = (
    <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
      New token
    </Button>
  );

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Credentials for scripts and integrations: send one as a Bearer token. Each acts with its owner's permissions."
        actions={create}
      />
      <Card flush>
        {error && !data ? (
          <ErrorState
            title="Could not load the tokens"
            message={describeError(error)}
            onRetry={() => reexecute({ requestPolicy: 'network-only' })}
            retrying={fetching}
          />
        ) : !data ? (
          <SkeletonRows columns={6} label="Loading tokens" />
        ) : data.apiTokens.length === 0 ? (
          <EmptyState icon={<KeyIcon />} title="No API tokens yet" action={create}>
            Create a token to call Sundial's GraphQL API from a script, a CI pipeline or another service — for
            example to <code className="font-mono">dispatch</code> a job or read a run's status. The secret is shown
            once, when you create it.
          </EmptyState>
        ) : (
          <Table label="API tokens">
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Owner</Th>
                <Th>Status</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th>Expires</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {data.apiTokens.map((token) => (
                <ApiTokenRow key={token.id} token={token} />
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      <CreateApiTokenDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
