import type { ReactNode } from 'react';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { Badge, type Tone } from '../ui/Badge';

export const HealthCard_HealthFragment = graphql(`
  fragment HealthCard_HealthFragment on Health {
    status
    database {
      up
      mode
    }
    scheduler {
      up
      state
      backend
      executesJobs
    }
  }
`);

const DATABASE_MODE = {
  embedded: 'Embedded (PGlite)',
  external: 'External PostgreSQL',
} as const;

const SCHEDULER_BACKEND = {
  postgres: 'PostgreSQL',
  mongodb: 'MongoDB',
} as const;

/** The process's health: the overall verdict first, then what it was made of. */
export function HealthCard(props: { health: FragmentType<typeof HealthCard_HealthFragment> }) {
  const health = useFragment(HealthCard_HealthFragment, props.health);
  const healthy = health.status === 'healthy';

  return (
    <div className="flex flex-col gap-6">
      <div className="flex items-center gap-4">
        <span
          aria-hidden="true"
          className={`relative flex size-12 items-center justify-center rounded-full ${healthy ? 'bg-emerald-100 dark:bg-emerald-500/15' : 'bg-red-100 dark:bg-red-500/15'}`}
        >
          <span className={`size-4 rounded-full ${healthy ? 'bg-emerald-500' : 'bg-red-500'}`} />
        </span>
        <div>
          <p className="text-sm text-stone-500 dark:text-stone-400">Overall</p>
          <p
            aria-label="Overall status"
            className={`text-2xl font-semibold tracking-tight ${healthy ? 'text-emerald-700 dark:text-emerald-300' : 'text-red-700 dark:text-red-300'}`}
          >
            {health.status}
          </p>
        </div>
      </div>

      <div className="grid gap-4 sm:grid-cols-2">
        <Section title="Database">
          <Row term="Connection">
            <Badge tone={health.database.up ? 'success' : 'danger'}>{health.database.up ? 'up' : 'down'}</Badge>
          </Row>
          <Row term="Mode">{DATABASE_MODE[health.database.mode]}</Row>
        </Section>
        <Section title="Scheduler">
          <Row term="State">
            <Badge tone={schedulerTone(health.scheduler.state, health.scheduler.up)}>{health.scheduler.state}</Badge>
          </Row>
          <Row term="Queue backend">{SCHEDULER_BACKEND[health.scheduler.backend]}</Row>
          <Row term="Executes jobs">{health.scheduler.executesJobs ? 'Yes' : 'No (API only)'}</Row>
        </Section>
      </div>
    </div>
  );
}

function schedulerTone(state: string, up: boolean): Tone {
  if (up) return 'success';
  if (state === 'starting' || state === 'stopping') return 'warning';
  return 'danger';
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="rounded-xl border border-stone-200 p-4 dark:border-stone-800">
      <h3 className="mb-3 text-xs font-semibold tracking-wide text-stone-500 uppercase dark:text-stone-400">{title}</h3>
      <dl className="flex flex-col gap-2.5 text-sm">{children}</dl>
    </div>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex items-center justify-between gap-4">
      <dt className="text-stone-500 dark:text-stone-400">{term}</dt>
      <dd className="font-medium">{children}</dd>
    </div>
  );
}
