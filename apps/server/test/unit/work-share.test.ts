// Placement of runs among workers (engine/share.ts): deterministic per run, shares proportional to free slots, and
// the fast path of a lone run now on an idle worker, and the first firing of a schedule's slots.
import { describe, expect, it } from 'vitest';
import { placeRun, WorkShare } from '../../src/engine/share.js';

const RUNS = Array.from({ length: 4000 }, (_, index) => `01a24ca4-0000-7000-8000-${String(index).padStart(12, '0')}`);

function shares(candidates: Array<{ id: string; free: number }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const runId of RUNS) {
    const id = placeRun(runId, candidates);
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

describe('placing runs among workers', () => {
  it('gives the same run to the same worker whichever worker asks (the order of candidates does not matter)', () => {
    const a = { id: 'host:1:aaaaaa', free: 10 };
    const b = { id: 'host:2:bbbbbb', free: 10 };
    for (const runId of RUNS.slice(0, 200)) expect(placeRun(runId, [a, b])).toBe(placeRun(runId, [b, a]));
  });

  it('gives idle workers about equal shares, and a busy one a share in proportion to its free slots', () => {
    const idle = shares([
      { id: 'one', free: 10 },
      { id: 'two', free: 10 },
    ]);
    expect(idle.one! / RUNS.length).toBeGreaterThan(0.45);
    expect(idle.two! / RUNS.length).toBeGreaterThan(0.45);
    // Weights 11 and 3 (free slots + 1): about 79 % and 21 %.
    const busy = shares([
      { id: 'one', free: 10 },
      { id: 'two', free: 2 },
    ]);
    expect(busy.two! / RUNS.length).toBeGreaterThan(0.15);
    expect(busy.two! / RUNS.length).toBeLessThan(0.27);
  });

  it('starts a run now here on an idle worker and places it when busy; with no other worker everything stays here', () => {
    const share = new WorkShare('me', 10);
    expect(share.startsHere(RUNS[0]!, undefined, 3)).toBe(true);
    expect(share.firesFirst(`job@${RUNS[0]}`)).toBe(true);
    share.update(0, [{ id: 'other', queues: null, activeRuns: 0 }]);
    expect(share.startsHere(RUNS[0]!, undefined, 0)).toBe(true);
    const placed = RUNS.slice(0, 400).filter((runId) => share.startsHere(runId, undefined, 3)).length;
    expect(placed).toBeGreaterThan(160);
    expect(placed).toBeLessThan(240);
    // A worker that does not take the run's queue is no candidate.
    share.update(0, [{ id: 'other', queues: ['reports'], activeRuns: 0 }]);
    expect(RUNS.slice(0, 50).every((runId) => share.startsHere(runId, 'default', 3))).toBe(true);
  });

  it('places the first firing of each slot on exactly one worker: two workers with the same beats split the slots', () => {
    const me = new WorkShare('me', 10);
    const other = new WorkShare('other', 10);
    me.update(0, [{ id: 'other', queues: ['reports'], activeRuns: 0 }]);
    other.update(0, [{ id: 'me', queues: null, activeRuns: 0 }]);
    // Every worker fires slots, whatever queues it takes: the run goes to the queue when this one does not take it.
    const keys = RUNS.slice(0, 400).map((runId) => `job-${runId}@2026-12-07T00:00:00.000Z`);
    const mine = keys.filter((key) => me.firesFirst(key));
    const theirs = keys.filter((key) => other.firesFirst(key));
    expect(mine.length + theirs.length).toBe(keys.length);
    expect(mine.filter((key) => theirs.includes(key))).toEqual([]);
    expect(mine.length).toBeGreaterThan(160);
    expect(mine.length).toBeLessThan(240);
  });
});
