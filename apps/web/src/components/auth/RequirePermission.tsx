import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Permission } from '../../gql/graphql';
import { usePermission } from '../../lib/viewer';
import { PageHeader } from '../layout/PageHeader';
import { buttonClass } from '../ui/Button';
import { Card } from '../ui/Card';
import { EmptyState } from '../ui/EmptyState';
import { ShieldIcon } from '../ui/icons';

/** A page the viewer's permissions do not cover says so, and why, instead of failing on its first query. */
export function RequirePermission({ permission, title, children }: { permission: Permission; title: string; children: ReactNode }) {
  const { allowed, reason } = usePermission(permission);
  if (allowed) return children;
  return (
    <>
      <PageHeader title={title} />
      <Card>
        <EmptyState
          icon={<ShieldIcon />}
          title="You cannot open this page"
          action={
            <Link to="/" className={buttonClass()}>
              Back to the dashboard
            </Link>
          }
        >
          {reason}
        </EmptyState>
      </Card>
    </>
  );
}
