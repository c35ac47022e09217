import cronstrue from 'cronstrue';
import { formatLocal } from './timezone.js';
import type { Schedule, ScheduleBounds } from './types.js';

/**
 * A sentence for the UI and the API: "At 09:00, Monday through Friday (Europe/Madrid)", "Every 15 minutes",
 * "Once at 2026-12-01 09:00 (Europe/Madrid)", "Manual only", followed by the bounds
 * ("…, until 2027-01-01, at most 10 runs"). Dates are shown in the schedule's timezone.
 */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.scheduleKind) {
    case 'MANUAL':
      return 'Manual only';
    case 'ONCE':
      return `Once at ${formatLocal(schedule.runAt, schedule.timezone)} (${schedule.timezone})`;
    case 'CRON': {
      const bounds = describeBounds(schedule, schedule.timezone);
      return [`${describeCron(schedule.cron)} (${schedule.timezone})`, ...bounds.window, ...bounds.limit].join(', ');
    }
    case 'INTERVAL': {
      // An interval counts real seconds, so the timezone only matters for the dates, and is shown after them.
      const bounds = describeBounds(schedule, schedule.timezone);
      const window = bounds.window.length > 0 ? [`${bounds.window.join(' ')} (${schedule.timezone})`] : [];
      return [describeInterval(schedule.intervalSeconds), ...window, ...bounds.limit].join(', ');
    }
  }
}

// A page of jobs shares a handful of expressions, and cronstrue parses the expression again on every call.
const cronSentences = new Map<string, string>();
const CRON_SENTENCES_KEPT = 1_000;

/** cronstrue's sentence for the expression; the expression itself when cronstrue cannot read it (e.g. '+MON'). */
export function describeCron(cron: string): string {
  let sentence = cronSentences.get(cron);
  if (sentence === undefined) {
    try {
      sentence = cronstrue.toString(cron, { use24HourTimeFormat: true, throwExceptionOnParseError: true, verbose: false });
    } catch {
      sentence = `Cron '${cron}'`;
    }
    if (cronSentences.size >= CRON_SENTENCES_KEPT) cronSentences.clear();
    cronSentences.set(cron, sentence);
  }
  return sentence;
}

export function describeInterval(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [size, name] of units) {
    if (seconds % size !== 0) continue;
    const count = seconds / size;
    return count === 1 ? `Every ${name}` : `Every ${count} ${name}s`;
  }
  return `Every ${seconds} seconds`;
}

function describeBounds(bounds: ScheduleBounds, timezone: string): { window: string[]; limit: string[] } {
  const show = (instant: Date): string => formatLocal(instant, timezone, { dateOnlyAtMidnight: true });
  const window: string[] = [];
  if (bounds.startAt !== null) window.push(`from ${show(bounds.startAt)}`);
  if (bounds.endAt !== null) window.push(`until ${show(bounds.endAt)}`);
  const limit: string[] = [];
  if (bounds.runLimit !== null) {
    const runs = `at most ${bounds.runLimit} ${bounds.runLimit === 1 ? 'run' : 'runs'}`;
    limit.push(bounds.runCount > 0 ? `${runs} (${bounds.runCount} done)` : runs);
  }
  return { window, limit };
}
