// Runs per hour, stacked by outcome, from the server's histogram (runHistogram: one GROUP BY, true at any volume).
// Drawn with HTML boxes rather than a stretched SVG, so labels keep their size on every screen: a y axis with a
// rounded scale, an x axis of hours in the viewer's chosen zone, and an empty state when nothing ran.
import { type FragmentType, graphql, useFragment } from '../../gql';
import type { RunStatus } from '../../gql/graphql';
import { formatDateTime, formatHour, zoneName } from '../../lib/format';
import { RUN_STATUS, RUN_STATUS_COLOUR } from '../runs/runStatus';

export const RunsChart_RunHistogramFragment = graphql(`
  fragment RunsChart_RunHistogramFragment on RunHistogram {
    from
    to
    bucketSeconds
    total
    buckets {
      start
      total
      byStatus {
        status
        count
      }
    }
  }
`);

type Group = 'succeeded' | 'failed' | 'active' | 'other';
const GROUPS: { group: Group; label: string; colour: string }[] = [
  { group: 'succeeded', label: 'Succeeded', colour: RUN_STATUS_COLOUR.SUCCEEDED },
  { group: 'failed', label: 'Failed', colour: RUN_STATUS_COLOUR.FAILED },
  { group: 'active', label: 'Queued or running', colour: RUN_STATUS_COLOUR.RUNNING },
  { group: 'other', label: 'Cancelled, skipped, partial', colour: RUN_STATUS_COLOUR.CANCELLED },
];

function groupOf(status: RunStatus): Group {
  if (status === 'SUCCEEDED') return 'succeeded';
  if (status === 'FAILED' || status === 'TIMED_OUT' || status === 'INTERRUPTED') return 'failed';
  if (RUN_STATUS[status].active) return 'active';
  return 'other';
}

/** The smallest of 1, 2, 5 × 10ⁿ at or above `value`: a scale whose half is a round number too. */
function niceMax(value: number): number {
  if (value <= 2) return 2;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function RunsChart(props: { histogram: FragmentType<typeof RunsChart_RunHistogramFragment> }) {
  const histogram = useFragment(RunsChart_RunHistogramFragment, props.histogram);
  const buckets = histogram.buckets.map((bucket) => {
    const counts: Record<Group, number> = { succeeded: 0, failed: 0, active: 0, other: 0 };
    for (const { status, count } of bucket.byStatus) counts[groupOf(status)] += count;
    return { start: bucket.start, total: bucket.total, counts };
  });
  const top = niceMax(Math.max(0, ...buckets.map((bucket) => bucket.total)));
  const zone = zoneName();

  if (histogram.total === 0) {
    return (
      <div className="flex h-44 flex-col items-center justify-center rounded-xl border border-dashed border-stone-300 text-center dark:border-stone-700">
        <p className="text-sm font-medium text-stone-700 dark:text-stone-200">No runs in the last 24 hours</p>
        <p className="mt-1 text-xs text-stone-500 dark:text-stone-400">Runs appear here, by hour and outcome, as jobs run.</p>
      </div>
    );
  }

  return (
    <figure>
      <div
        role="img"
        aria-label={`Runs per hour from ${formatDateTime(histogram.from)} to ${formatDateTime(histogram.to)}: ${histogram.total} in all`}
        className="flex gap-2"
      >
        {/* y axis */}
        <div aria-hidden="true" className="relative h-44 w-8 shrink-0 text-right text-[11px] text-stone-500 tabular-nums dark:text-stone-400">
          <span className="absolute top-0 right-0 -translate-y-1/2">{top}</span>
          <span className="absolute top-1/2 right-0 -translate-y-1/2">{top / 2}</span>
          <span className="absolute bottom-0 right-0 translate-y-1/2">0</span>
        </div>
        <div className="min-w-0 flex-1">
          <div className="relative h-44 border-b border-l border-stone-300 dark:border-stone-700">
            <div aria-hidden="true" className="absolute inset-x-0 top-0 border-t border-dashed border-stone-200 dark:border-stone-800" />
            <div aria-hidden="true" className="absolute inset-x-0 top-1/2 border-t border-dashed border-stone-200 dark:border-stone-800" />
            <div className="absolute inset-0 flex items-end gap-px px-px sm:gap-1">
              {buckets.map((bucket) => (
                <div
                  key={String(bucket.start)}
                  data-testid="chart-bucket"
                  data-total={bucket.total}
                  title={`${formatDateTime(bucket.start)}: ${bucket.total} run${bucket.total === 1 ? '' : 's'} (${GROUPS.map((g) => `${bucket.counts[g.group]} ${g.label.toLowerCase()}`).join(', ')})`}
                  className="flex h-full min-w-0 flex-1 flex-col-reverse"
                >
                  {GROUPS.map(({ group, colour }) =>
                    bucket.counts[group] > 0 ? (
                      <div key={group} style={{ height: `${(bucket.counts[group] / top) * 100}%`, background: colour }} className="w-full first:rounded-b-none last:rounded-t-sm" />
                    ) : null,
                  )}
                </div>
              ))}
            </div>
          </div>
          {/* x axis: every 6th hour on phones, every 3rd on wider screens */}
          <div aria-hidden="true" className="relative mt-1 h-4 text-[11px] text-stone-500 tabular-nums dark:text-stone-400">
            {buckets.map((bucket, index) =>
              index % 3 === 0 ? (
                <span
                  key={String(bucket.start)}
                  className={index % 6 === 0 ? 'absolute' : 'absolute hidden sm:inline'}
                  style={{ left: `${(index / buckets.length) * 100}%` }}
                >
                  {formatHour(bucket.start)}
                </span>
              ) : null,
            )}
          </div>
        </div>
      </div>
      <figcaption className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-stone-600 dark:text-stone-400">
        <span className="font-medium">
          {histogram.total} run{histogram.total === 1 ? '' : 's'} · hours in {zone}
        </span>
        {GROUPS.map(({ group, label, colour }) => (
          <span key={group} className="flex items-center gap-1.5">
            <span aria-hidden="true" className="size-2.5 rounded-sm" style={{ background: colour }} />
            {label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
