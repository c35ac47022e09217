// What a job is: its action, args, targets, schedule and policies — the "definition" panel of the job page.
import type { ReactNode } from 'react';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { formatDateTime, formatDuration } from '../../lib/format';
import { Badge } from '../ui/Badge';
import { Card } from '../ui/Card';

export const JobDefinition_JobFragment = graphql(`
  fragment JobDefinition_JobFragment on Job {
    id
    action
    actionDetails {
      name
      description
      defaults {
        retries
        timeoutMs
      }
    }
    args
    perUser
    targetUsers {
      id
      name
      email
    }
    targetRoles {
      id
      name
    }
    retries
    retryBackoffMs
    timeoutMs
    overlapPolicy
    misfirePolicy
    queue
    priority
    concurrency
    createdAt
    updatedAt
    createdBy {
      id
      name
    }
  }
`);

export const JobSchedule_JobFragment = graphql(`
  fragment JobSchedule_JobFragment on Job {
    id
    enabled
    disabledReason
    scheduleDescription
    upcomingRuns(count: 5) {
      at
      scheduleTitle
      skipped
      movedFrom
      calendarReason
    }
    schedules {
      id
      label
      enabled
      disabledReason
      description
      kind
      cron
      startAt
      endAt
      runLimit
      runCount
      timezone
      args
    }
  }
`);

const OVERLAP = { SKIP: 'Skip the new occurrence', QUEUE: 'Queue it after the running one', ALLOW: 'Run both at once' } as const;
const MISFIRE = { CATCH_UP_ONCE: 'Run once to catch up', SKIP: 'Skip missed occurrences' } as const;

export function JobDefinition(props: { job: FragmentType<typeof JobDefinition_JobFragment> }) {
  const job = useFragment(JobDefinition_JobFragment, props.job);
  const targets = job.targetUsers.length + job.targetRoles.length;
  return (
    <Card title="Definition">
      <dl className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-2">
        <Item term="Action" wide>
          <code className="font-mono text-[13px]">{job.action}</code>
          {job.actionDetails ? (
            <p className="mt-0.5 text-stone-500 dark:text-stone-400">{job.actionDetails.description}</p>
          ) : (
            <p className="mt-0.5 text-red-600 dark:text-red-400">This server has no action of that name loaded: runs will fail.</p>
          )}
        </Item>
        <Item term="Args" wide>
          <pre className="max-h-56 overflow-auto rounded-lg bg-stone-50 p-3 font-mono text-[12px] leading-relaxed text-stone-800 ring-1 ring-stone-200 dark:bg-stone-950 dark:text-stone-200 dark:ring-stone-800">
            {JSON.stringify(job.args, null, 2)}
          </pre>
        </Item>
        <Item term="Targets" wide>
          {targets === 0 ? (
            <span className="text-stone-500 dark:text-stone-400">Nobody — the action gets an empty list of users.</span>
          ) : (
            <div className="flex flex-wrap gap-1.5">
              {job.targetRoles.map((role) => (
                <Badge key={role.id} tone="accent" dot={false}>
                  role: {role.name}
                </Badge>
              ))}
              {job.targetUsers.map((user) => (
                <Badge key={user.id} tone="neutral" dot={false}>
                  {user.name}
                </Badge>
              ))}
            </div>
          )}
          <p className="mt-1.5 text-xs text-stone-500 dark:text-stone-400">
            {job.perUser ? 'Per user: one child run for each targeted user.' : 'One run for all targeted users.'}
          </p>
        </Item>
        <Item term="Retries">
          {job.retries ?? `${job.actionDetails?.defaults.retries ?? '—'} (action default)`}
          {job.retryBackoffMs != null && <span className="text-stone-500 dark:text-stone-400"> · backoff {formatDuration(job.retryBackoffMs)}</span>}
        </Item>
        <Item term="Timeout">
          {job.timeoutMs != null ? formatDuration(job.timeoutMs) : `${formatDuration(job.actionDetails?.defaults.timeoutMs)} (action default)`}
        </Item>
        <Item term="When a run is still going">{OVERLAP[job.overlapPolicy]}</Item>
        <Item term="Missed while the server was down">{MISFIRE[job.misfirePolicy]}</Item>
        <Item term="Created">
          {formatDateTime(job.createdAt)}
          {job.createdBy && <span className="text-stone-500 dark:text-stone-400"> by {job.createdBy.name}</span>}
        </Item>
        <Item term="Updated">{formatDateTime(job.updatedAt)}</Item>
      </dl>
    </Card>
  );
}

export function JobSchedule(props: { job: FragmentType<typeof JobSchedule_JobFragment> }) {
  const job = useFragment(JobSchedule_JobFragment, props.job);
  const several = job.schedules.length > 1;
  return (
    <Card title={several ? 'Schedules' : 'Schedule'}>
      <p className="text-base font-medium" data-testid="schedule-description">
        {job.schedules.length === 0 ? job.scheduleDescription : several ? `${job.schedules.length} schedules` : job.schedules[0]!.description}
      </p>
      <ul className="mt-3 flex flex-col gap-3 text-sm" aria-label="Schedules">
        {job.schedules.map((schedule) => (
          <li key={schedule.id} className={several ? 'border-t border-stone-100 pt-3 dark:border-stone-800' : undefined}>
            {several && (
              <p className="font-medium">
                {schedule.label ?? schedule.description}
                {!schedule.enabled && <span className="ml-2 text-xs text-amber-700 dark:text-amber-300">disabled</span>}
              </p>
            )}
            {several && schedule.label && <p className="text-stone-600 dark:text-stone-400">{schedule.description}</p>}
            <dl className="mt-2 flex flex-col gap-2">
              {schedule.cron && <Item term="Cron"><code className="font-mono">{schedule.cron}</code></Item>}
              <Item term="Timezone">{schedule.timezone}</Item>
              {schedule.startAt != null && <Item term="Starts">{formatDateTime(schedule.startAt)}</Item>}
              {schedule.endAt != null && <Item term="Ends">{formatDateTime(schedule.endAt)}</Item>}
              {schedule.runLimit != null && (
                <Item term="Limit">
                  {schedule.runCount} of {schedule.runLimit} runs
                </Item>
              )}
              {schedule.args != null && (
                <Item term="Args override"><code className="font-mono break-all">{JSON.stringify(schedule.args)}</code></Item>
              )}
            </dl>
            {schedule.disabledReason && several && <p className="mt-2 text-amber-700 dark:text-amber-300">{schedule.disabledReason}</p>}
          </li>
        ))}
      </ul>
      {job.disabledReason && <p className="mt-3 text-sm text-amber-700 dark:text-amber-300">{job.disabledReason}</p>}
      {job.schedules.length > 0 && (
        <div className="mt-4 border-t border-stone-100 pt-3 dark:border-stone-800">
          <h3 className="text-xs font-semibold tracking-wide text-stone-500 uppercase dark:text-stone-400">
            {job.enabled ? 'Next runs' : 'Next runs when resumed'}
          </h3>
          {job.upcomingRuns.length === 0 ? (
            <p className="mt-1.5 text-sm text-stone-500 dark:text-stone-400">None: the schedule has ended.</p>
          ) : (
            <ol className="mt-1.5 flex flex-col gap-1 text-sm tabular-nums" aria-label="Next runs">
              {job.upcomingRuns.map((run) => (
                <li key={`${String(run.at)}-${run.scheduleTitle}`} className="flex flex-wrap justify-between gap-x-3">
                  <span className={run.skipped ? 'text-stone-500 line-through dark:text-stone-400' : undefined}>{formatDateTime(run.at)}</span>
                  {several && <span className="text-stone-600 dark:text-stone-400">{run.scheduleTitle}</span>}
                  {/* A calendar's verdict on the slot, as the engine will record it (SKIPPED run, or moved). */}
                  {(run.skipped || run.movedFrom != null) && (
                    <span className="basis-full text-xs text-amber-700 dark:text-amber-400">
                      {run.skipped ? 'Skipped' : `Moved from ${formatDateTime(run.movedFrom)}`}
                      {run.calendarReason ? `: ${run.calendarReason}` : ''}
                    </span>
                  )}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </Card>
  );
}

function Item({ term, children, wide = false }: { term: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? 'sm:col-span-2' : undefined}>
      <dt className="text-xs font-medium text-stone-500 dark:text-stone-400">{term}</dt>
      <dd className="mt-1 text-stone-800 dark:text-stone-200">{children}</dd>
    </div>
  );
}
