// Runs per hour over the last 24 hours, stacked by outcome. Plain SVG: no chart library in the bundle.
import { useMemo } from 'react';
import type { RunStatus } from '../../gql/graphql';
import { RUN_STATUS, RUN_STATUS_COLOUR } from '../runs/runStatus';

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

const HOURS = 24;
const WIDTH = 720;
const HEIGHT = 160;
const GAP = 4;

export function RunsChart({ runs, now }: { runs: readonly { createdAt: unknown; status: RunStatus }[]; now: Date }) {
  const buckets = useMemo(() => {
    const end = Math.ceil(now.getTime() / 3_600_000) * 3_600_000;
    const start = end - HOURS * 3_600_000;
    const result = Array.from({ length: HOURS }, (_, index) => ({
      start: new Date(start + index * 3_600_000),
      counts: { succeeded: 0, failed: 0, active: 0, other: 0 },
    }));
    for (const run of runs) {
      const time = new Date(String(run.createdAt)).getTime();
      const index = Math.floor((time - start) / 3_600_000);
      if (index >= 0 && index < HOURS) result[index]!.counts[groupOf(run.status)] += 1;
    }
    return result;
  }, [runs, now]);

  const max = Math.max(1, ...buckets.map((bucket) => Object.values(bucket.counts).reduce((a, b) => a + b, 0)));
  const barWidth = WIDTH / HOURS - GAP;
  const total = runs.length;

  return (
    <figure>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 18}`}
        role="img"
        aria-label={`Runs per hour over the last 24 hours: ${total} in all`}
        className="h-44 w-full"
        preserveAspectRatio="none"
      >
        {[0.25, 0.5, 0.75, 1].map((fraction) => (
          <line key={fraction} x1={0} x2={WIDTH} y1={HEIGHT - HEIGHT * fraction} y2={HEIGHT - HEIGHT * fraction} className="stroke-stone-200 dark:stroke-stone-800" strokeDasharray="3 4" />
        ))}
        {buckets.map((bucket, index) => {
          let y = HEIGHT;
          const x = index * (barWidth + GAP) + GAP / 2;
          return (
            <g key={bucket.start.getTime()}>
              <title>
                {`${bucket.start.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}: ${GROUPS.map((g) => `${bucket.counts[g.group]} ${g.label.toLowerCase()}`).join(', ')}`}
              </title>
              {GROUPS.map(({ group, colour }) => {
                const height = (bucket.counts[group] / max) * HEIGHT;
                y -= height;
                return height > 0 ? <rect key={group} x={x} y={y} width={barWidth} height={height} rx={2} fill={colour} /> : null;
              })}
              {index % 4 === 0 && (
                <text x={x} y={HEIGHT + 14} className="fill-stone-400 text-[10px]">
                  {bucket.start.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-stone-500 dark:text-stone-400">
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
