// Words and colours for an audit event's outcome, shared by the badge and the outcome filter.
import type { AuditOutcome } from '../../gql/graphql';
import type { Tone } from '../ui/Badge';

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['SUCCESS', 'FAILURE', 'DENIED'];

export const AUDIT_OUTCOME: Record<AuditOutcome, { label: string; tone: Tone; meaning: string }> = {
  SUCCESS: { label: 'Succeeded', tone: 'success', meaning: 'The mutation did what was asked.' },
  FAILURE: { label: 'Failed', tone: 'warning', meaning: 'The mutation was allowed but refused the input or failed.' },
  DENIED: { label: 'Denied', tone: 'danger', meaning: 'The actor lacked the permission, or was not signed in.' },
};
