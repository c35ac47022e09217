import type { RunStatus } from '../../gql/graphql';
import { Badge } from '../ui/Badge';
import { RUN_STATUS } from './runStatus';

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { label, tone, active } = RUN_STATUS[status];
  return (
    <Badge tone={tone} pulse={active}>
      {label}
    </Badge>
  );
}
