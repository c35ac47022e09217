import { useState } from 'react';
import { useMutation } from 'urql';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { describeError } from '../../lib/errors';
import { formatDateTime, formatRelative, toDate } from '../../lib/format';
import { Badge } from '../ui/Badge';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Td, Tr } from '../ui/Table';
import { useToast } from '../ui/Toasts';

export const ApiTokenRow_ApiTokenFragment = graphql(`
  fragment ApiTokenRow_ApiTokenFragment on ApiToken {
    id
    name
    prefix
    ownerEmail
    createdAt
    lastUsedAt
    expiresAt
    revokedAt
  }
`);

const RevokeApiTokenMutation = graphql(`
  mutation RevokeApiTokenMutation($id: ID!) {
    revokeApiToken(id: $id) {
      id
      revokedAt
    }
  }
`);

export function ApiTokenRow(props: { token: FragmentType<typeof ApiTokenRow_ApiTokenFragment> }) {
  const token = useFragment(ApiTokenRow_ApiTokenFragment, props.token);
  const [confirming, setConfirming] = useState(false);
  const [, revoke] = useMutation(RevokeApiTokenMutation);
  const toast = useToast();
  const expiresAt = toDate(token.expiresAt);
  const expired = expiresAt !== null && expiresAt.getTime() <= Date.now();

  return (
    <Tr aria-label={`Token ${token.name}`}>
      <Td>
        <div className="font-medium text-stone-900 dark:text-stone-100">{token.name}</div>
        <code className="text-xs text-stone-500 dark:text-stone-400">{token.prefix}…</code>
      </Td>
      <Td className="text-stone-600 dark:text-stone-300">{token.ownerEmail}</Td>
      <Td>
        {token.revokedAt ? (
          <Badge tone="danger">Revoked</Badge>
        ) : expired ? (
          <Badge tone="muted">Expired</Badge>
        ) : (
          <Badge tone="success">Active</Badge>
        )}
      </Td>
      <Td className="whitespace-nowrap text-stone-600 dark:text-stone-300" title={formatDateTime(token.createdAt)}>
        {formatRelative(token.createdAt)}
      </Td>
      <Td className="whitespace-nowrap text-stone-600 dark:text-stone-300" title={token.lastUsedAt ? formatDateTime(token.lastUsedAt) : undefined}>
        {token.lastUsedAt ? formatRelative(token.lastUsedAt) : <span className="text-stone-500 dark:text-stone-400">Never</span>}
      </Td>
      <Td className="whitespace-nowrap text-stone-600 dark:text-stone-300">
        {token.revokedAt ? (
          <span title={formatDateTime(token.revokedAt)}>Revoked {formatRelative(token.revokedAt)}</span>
        ) : token.expiresAt ? (
          <span title={formatDateTime(token.expiresAt)}>{formatRelative(token.expiresAt)}</span>
        ) : (
          <span className="text-stone-500 dark:text-stone-400">Never</span>
        )}
      </Td>
      <Td className="text-right">
        {!token.revokedAt && (
          <Button size="sm" variant="ghost" className="text-red-600 dark:text-red-400" onClick={() => setConfirming(true)}>
            Revoke
          </Button>
        )}
        <ConfirmDialog
          open={confirming}
          onClose={() => setConfirming(false)}
          title={`Revoke “${token.name}”?`}
          confirmLabel="Revoke token"
          onConfirm={async () => {
            const result = await revoke({ id: token.id });
            if (result.error) return describeError(result.error);
            toast({ title: 'Token revoked', description: `${token.name} no longer works.` });
          }}
        >
          <p>
            Anything using <code className="font-mono">{token.prefix}…</code> is refused from now on, and its open live
            connections close within seconds. This cannot be undone: a new token would be needed.
          </p>
        </ConfirmDialog>
      </Td>
    </Tr>
  );
}
