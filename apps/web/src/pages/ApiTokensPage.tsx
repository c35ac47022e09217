// API tokens: credentials for scripts, each acting with its owner's permissions; create one, revoke from its row.
import { useState } from 'react';
import { useQuery } from 'urql';
import { ApiTokenRow } from '../components/tokens/ApiTokenRow';
import { CreateApiTokenDialog } from '../components/tokens/CreateApiTokenDialog';
import { Button } from '../components/ui/Button';
import { EmptyState } from '../components/ui/EmptyState';
import { KeyIcon, PlusIcon } from '../components/ui/icons';
import { ListBody, ListPage } from '../components/ui/ListPage';
import { ActionsTh, Table, TBody, Th, THead } from '../components/ui/Table';
import { graphql } from '../gql';

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
  const query = useQuery({ query: ApiTokensPageQuery, context: CONTEXT });
  const [{ data }] = query;
  const [creating, setCreating] = useState(false);
  const create = (
    <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
      New token
    </Button>
  );

  return (
    <>
      <ListPage
        title="API tokens"
        description="Credentials for scripts and integrations: send one as a Bearer token. Each acts with its owner's permissions."
        actions={create}
      >
        <ListBody
          query={query}
          list={data?.apiTokens}
          errorTitle="Could not load the tokens"
          loading={{ columns: 6, label: 'Loading tokens' }}
          empty={
            <EmptyState icon={<KeyIcon />} title="No API tokens yet" action={create}>
              Create a token to call Sundial's GraphQL API from a script, a CI pipeline or another service — for
              example to <code className="font-mono">dispatch</code> a job or read a run's status. The secret is shown
              once, when you create it.
            </EmptyState>
          }
        >
          {(apiTokens) => (
            <Table label="API tokens">
              <THead>
                <tr>
                  <Th>Name</Th>
                  <Th>Owner</Th>
                  <Th>Status</Th>
                  <Th>Created</Th>
                  <Th>Last used</Th>
                  <Th>Expires</Th>
                  <ActionsTh />
                </tr>
              </THead>
              <TBody>
                {apiTokens.map((token) => (
                  <ApiTokenRow key={token.id} token={token} />
                ))}
              </TBody>
            </Table>
          )}
        </ListBody>
      </ListPage>
      <CreateApiTokenDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
