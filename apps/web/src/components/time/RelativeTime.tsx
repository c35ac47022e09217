// "5 minutes ago" with the exact time (and its zone) as a tooltip and in the <time> element's datetime.
import { formatDateTime, formatRelative, toDate, useZoneChoice } from '../../lib/format';

export function RelativeTime({ value, now, className }: { value: unknown; now?: Date; className?: string }) {
  useZoneChoice();
  const date = toDate(value);
  if (!date) return <span className={className}>—</span>;
  return (
    <time dateTime={date.toISOString()} title={formatDateTime(date, { seconds: true })} className={className}>
      {formatRelative(date, now)}
    </time>
  );
}
