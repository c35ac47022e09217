// The signed-in user's own browser sessions and API tokens: which are open, from where, revoking one session, and
// signing out everywhere (API tokens kept unless the box says otherwise).
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { describeError } from '../../lib/errors';
import { formatDateTime, formatRelative, toDate } from '../../lib/format';
import { useSession } from '../../lib/session';
import { Badge } from '../ui/Badge';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { Checkbox } from '../ui/Checkbox';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ErrorState } from '../ui/ErrorState';
import { LogOutIcon } from '../ui/icons';
import { SkeletonRows } from '../ui/Skeleton';
import { ActionsTh, Table, TBody, Td, Th, THead, Tr } from '../ui/Table';
import { useToast } from '../ui/Toasts';

const SessionsCardQuery = graphql(`
  query SessionsCardQuery {
    mySessions {
      id
      createdAt
      lastSeenAt
      expiresAt
      ip
      userAgent
      current
    }
    myApiTokens {
      id
      name
      prefix
      createdAt
      lastUsedAt
      expiresAt
      revokedAt
    }
  }
`);

const RevokeSessionMutation = graphql(`
  mutation RevokeSessionMutation($id: ID!) {
    revokeSession(id: $id) {
      id
    }
  }
`);

const SignOutEverywhereMutation = graphql(`
  mutation SignOutEverywhereMutation($revokeApiTokens: Boolean) {
    signOutEverywhere(revokeApiTokens: $revokeApiTokens) {
      sessions
      apiTokens
    }
  }
`);

const CONTEXT = { additionalTypenames: ['Session', 'ApiToken'] };

export function SessionsCard() {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: SessionsCardQuery, context: CONTEXT, requestPolicy: 'cache-and-network' });
  const [, revokeSession] = useMutation(RevokeSessionMutation);
  const [, signOutEverywhere] = useMutation(SignOutEverywhereMutation);
  const [revoking, setRevoking] = useState<{ id: string; label: string } | null>(null);
  const [endingAll, setEndingAll] = useState(false);
  const [alsoTokens, setAlsoTokens] = useState(false);
  const { resetSession } = useSession();
  const navigate = useNavigate();
  const toast = useToast();

  const everywhere = (
    <Button variant="secondary" icon={<LogOutIcon />} onClick={() => setEndingAll(true)}>
      Sign out everywhere
    </Button>
  );

  return (
    <>
      <Card title="Sessions" description="Where you are signed in. Revoke a session you do not recognise." actions={everywhere} flush>
        {error && !data ? (
          <ErrorState title="Could not load your sessions" message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />
        ) : !data ? (
          <SkeletonRows columns={5} label="Loading sessions" />
        ) : (
          <Table label="Your sessions">
            <THead>
              <tr>
                <Th>Browser</Th>
                <Th>Address</Th>
                <Th>Signed in</Th>
                <Th>Last seen</Th>
                <ActionsTh />
              </tr>
            </THead>
            <TBody>
              {data.mySessions.map((session) => (
                <Tr key={session.id} aria-label={`Session ${session.userAgent ?? 'unknown browser'}`}>
                  <Td>
                    <div className="max-w-80 truncate text-stone-800 dark:text-stone-100" title={session.userAgent ?? undefined}>
                      {session.userAgent ?? 'Unknown browser'}
                    </div>
                    {session.current && <Badge tone="success">This session</Badge>}
                  </Td>
                  <Td className="text-stone-600 dark:text-stone-300">{session.ip ?? 'Unknown'}</Td>
                  <Td className="whitespace-nowrap text-stone-600 dark:text-stone-300" title={formatDateTime(session.createdAt)}>
                    {formatRelative(session.createdAt)}
                  </Td>
                  <Td className="whitespace-nowrap text-stone-600 dark:text-stone-300" title={formatDateTime(session.lastSeenAt)}>
                    {formatRelative(session.lastSeenAt)}
                  </Td>
                  <Td className="text-right">
                    {!session.current && (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-red-600 dark:text-red-400"
                        onClick={() => setRevoking({ id: session.id, label: session.userAgent ?? 'this session' })}
                      >
                        Revoke
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>

      <Card title="Your API tokens" description="Tokens you own. An admin manages every token on the API tokens page." flush>
        {!data ? (
          <SkeletonRows columns={3} label="Loading your tokens" />
        ) : data.myApiTokens.length === 0 ? (
          <p className="px-5 py-4 text-sm text-stone-500 dark:text-stone-400">You have no API tokens.</p>
        ) : (
          <Table label="Your API tokens">
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Status</Th>
                <Th>Last used</Th>
              </tr>
            </THead>
            <TBody>
              {data.myApiTokens.map((token) => {
                const expiresAt = toDate(token.expiresAt);
                return (
                  <Tr key={token.id} aria-label={`Token ${token.name}`}>
                    <Td>
                      <div className="font-medium text-stone-900 dark:text-stone-100">{token.name}</div>
                      <code className="text-xs text-stone-500 dark:text-stone-400">{token.prefix}…</code>
                    </Td>
                    <Td>
                      {token.revokedAt ? (
                        <Badge tone="danger">Revoked</Badge>
                      ) : expiresAt && expiresAt.getTime() <= Date.now() ? (
                        <Badge tone="muted">Expired</Badge>
                      ) : (
                        <Badge tone="success">Active</Badge>
                      )}
                    </Td>
                    <Td className="whitespace-nowrap text-stone-600 dark:text-stone-300">{token.lastUsedAt ? formatRelative(token.lastUsedAt) : 'Never'}</Td>
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>

      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke this session?"
        confirmLabel="Revoke session"
        onConfirm={async () => {
          const result = await revokeSession({ id: revoking!.id });
          if (result.error) return describeError(result.error);
          toast({ title: 'Session revoked', description: `${revoking!.label} is signed out.` });
          reexecute({ requestPolicy: 'network-only' });
        }}
      >
        <p>The browser using it is signed out at once.</p>
      </ConfirmDialog>

      <ConfirmDialog
        open={endingAll}
        onClose={() => setEndingAll(false)}
        title="Sign out everywhere?"
        confirmLabel="Sign out everywhere"
        onConfirm={async () => {
          const result = await signOutEverywhere({ revokeApiTokens: alsoTokens });
          if (result.error) return describeError(result.error);
          navigate('/sign-in', { replace: true });
          resetSession();
        }}
      >
        <p>Every session of yours ends, this one included. Your API tokens keep working unless you tick the box.</p>
        <div className="mt-3">
          <Checkbox label="Also revoke all my API tokens" checked={alsoTokens} onChange={(event) => setAlsoTokens(event.target.checked)} />
        </div>
      </ConfirmDialog>
    </>
  );
}
