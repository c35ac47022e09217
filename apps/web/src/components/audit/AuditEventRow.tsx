// One audit event as a table row; its details (the redacted input and result) open in a second row below, as
// pretty JSON, so the table stays one line per event until someone asks for more.
import { useId, useState } from 'react';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { cx } from '../../lib/cx';
import { formatDateTime, formatRelative } from '../../lib/format';
import { Badge } from '../ui/Badge';
import { ChevronRightIcon } from '../ui/icons';
import { Td, Tr } from '../ui/Table';
import { AUDIT_OUTCOME } from './auditOutcome';

export const AuditEventRow_AuditEventFragment = graphql(`
  fragment AuditEventRow_AuditEventFragment on AuditEvent {
    id
    at
    actorId
    actorLabel
    ip
    action
    targetType
    targetId
    outcome
    details
  }
`);

export const AUDIT_COLUMNS = 6;

export function AuditEventRow(props: { event: FragmentType<typeof AuditEventRow_AuditEventFragment> }) {
  const event = useFragment(AuditEventRow_AuditEventFragment, props.event);
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const outcome = AUDIT_OUTCOME[event.outcome];
  const hasDetails = event.details != null;

  return (
    <>
      <Tr aria-label={`Audit event ${event.action} by ${event.actorLabel}`} className={cx(open && 'bg-stone-50/70 dark:bg-stone-800/30')}>
        <Td className="w-10 pr-0">
          {hasDetails && (
            <button
              type="button"
              aria-expanded={open}
              aria-controls={detailsId}
              aria-label={open ? 'Hide details' : 'Show details'}
              onClick={() => setOpen((value) => !value)}
              className="-m-1 rounded p-1 text-stone-500 dark:text-stone-400 hover:bg-stone-100 hover:text-stone-700 focus-visible:outline-2 focus-visible:outline-amber-500 dark:hover:bg-stone-800 dark:hover:text-stone-200"
            >
              <ChevronRightIcon className={cx('size-4 transition-transform', open && 'rotate-90')} />
            </button>
          )}
        </Td>
        <Td className="whitespace-nowrap text-stone-600 tabular-nums dark:text-stone-300">
          <span title={formatRelative(event.at)}>{formatDateTime(event.at, { seconds: true })}</span>
        </Td>
        <Td className="max-w-64">
          <p className="truncate font-medium text-stone-900 dark:text-stone-100" title={event.actorId ?? undefined}>
            {event.actorLabel}
          </p>
          {event.ip && <p className="mt-0.5 font-mono text-xs text-stone-500 dark:text-stone-400">{event.ip}</p>}
        </Td>
        <Td>
          <code className="rounded bg-stone-100 px-1.5 py-0.5 text-xs text-stone-700 dark:bg-stone-800 dark:text-stone-300">{event.action}</code>
        </Td>
        <Td className="max-w-72">
          {event.targetType ? (
            <>
              <p className="text-stone-700 dark:text-stone-200">{event.targetType}</p>
              {event.targetId && (
                <p className="mt-0.5 truncate font-mono text-xs text-stone-500 dark:text-stone-400" title={event.targetId}>
                  {event.targetId}
                </p>
              )}
            </>
          ) : (
            <span className="text-stone-500 dark:text-stone-400">—</span>
          )}
        </Td>
        <Td>
          <span title={outcome.meaning}>
            <Badge tone={outcome.tone}>{outcome.label}</Badge>
          </span>
        </Td>
      </Tr>
      {open && hasDetails && (
        <tr id={detailsId} className="bg-stone-50/70 dark:bg-stone-800/30">
          <td colSpan={AUDIT_COLUMNS} className="px-4 pt-0 pb-4">
            <pre
              aria-label={`Details of ${event.action}`}
              className="max-h-96 overflow-auto rounded-lg border border-stone-200 bg-white p-3 font-mono text-xs leading-relaxed text-stone-800 dark:border-stone-700 dark:bg-stone-950 dark:text-stone-200"
            >
              {JSON.stringify(event.details, null, 2)}
            </pre>
          </td>
        </tr>
      )}
    </>
  );
}
