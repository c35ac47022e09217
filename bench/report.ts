// Figures, targets and the comparison with raw Agenda: how a benchmark reports, and how the run prints and saves.
import fs from 'node:fs';
import path from 'node:path';

export type DatabaseModeName = 'postgres' | 'embedded';

/** One measured figure of one benchmark on one database. */
export interface Figure {
  benchmark: string;
  mode: DatabaseModeName;
  /** What is measured, e.g. "p99 latency". */
  metric: string;
  unit: 'ms' | 'runs/s' | 'req/s' | 'requests' | 'lines' | 'runs' | 'slots' | 's' | 'MB' | 'KB' | '%';
  sundial: number;
  /** Raw Agenda's figure for the same metric on the same database in the same run; null when none applies. */
  agenda: number | null;
  /** Whether larger is better (throughput) or smaller (latency, time, memory). */
  better: 'higher' | 'lower';
  /** The issue's target, when this metric has one. */
  target?: Target;
  note?: string;
  /** Other job queues' figures for the same metric on the same database in the same run (bench/peers.ts). */
  peers?: PeerFigure[];
}

export interface PeerFigure {
  name: string;
  value: number;
}

export type Target =
  | { kind: 'at most'; value: number }
  | { kind: 'at least'; value: number }
  /** A share of raw Agenda's figure, e.g. 0.8 = at least 80 % of its throughput. */
  | { kind: 'share of agenda'; value: number }
  /** A share of a peer's figure (by name) from the same run. */
  | { kind: 'share of peer'; peer: string; value: number };

export type Verdict = 'met' | 'MISSED' | '';

export function verdict(figure: Figure): Verdict {
  const target = figure.target;
  if (!target) return '';
  switch (target.kind) {
    case 'at most':
      return figure.sundial <= target.value ? 'met' : 'MISSED';
    case 'at least':
      return figure.sundial >= target.value ? 'met' : 'MISSED';
    case 'share of agenda':
      if (figure.agenda === null) return '';
      return figure.sundial >= target.value * figure.agenda ? 'met' : 'MISSED';
    case 'share of peer': {
      const peer = figure.peers?.find((p) => p.name === target.peer);
      if (!peer) return '';
      return figure.sundial >= target.value * peer.value ? 'met' : 'MISSED';
    }
  }
}

export function describeTarget(figure: Figure): string {
  const target = figure.target;
  if (!target) return '';
  switch (target.kind) {
    case 'at most':
      return `≤ ${format(target.value)} ${figure.unit}`;
    case 'at least':
      return `≥ ${format(target.value)} ${figure.unit}`;
    case 'share of agenda':
      return `≥ ${Math.round(target.value * 100)} % of Agenda`;
    case 'share of peer':
      return `≥ ${format(target.value)} × ${target.peer}`;
  }
}

/** Sundial ÷ raw Agenda: above 1 means Sundial's number is larger (faster for throughput, slower for latency). */
export function ratio(figure: Figure): number | null {
  return figure.agenda ? figure.sundial / figure.agenda : null;
}

// --- statistics ---

export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Percentiles by the nearest-rank method: p99 of 300 samples is the 297th smallest. */
export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return {
    count: sorted.length,
    min: sorted[0]!,
    p50: rank(50),
    p90: rank(90),
    p99: rank(99),
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

export function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

// --- output ---

/** Prints one figure as its benchmark finishes: the number, its target and verdict, raw Agenda and the ratio. */
export function printFigure(figure: Figure): void {
  const parts = [`  ${figure.metric.padEnd(26)} ${`${format(figure.sundial)} ${figure.unit}`.padStart(14)}`];
  if (figure.agenda !== null) {
    const r = ratio(figure);
    parts.push(`Agenda ${format(figure.agenda)} ${figure.unit}`, `ratio ${r === null ? '—' : format(r)}`);
  }
  for (const peer of figure.peers ?? []) parts.push(`${peer.name} ${format(peer.value)} ${figure.unit}, ratio ${format(figure.sundial / peer.value)}`);
  if (figure.target) parts.push(`target ${describeTarget(figure)} → ${verdict(figure)}`);
  if (figure.note) parts.push(figure.note);
  console.log(parts.join('  ·  '));
}

export function printTable(figures: Figure[]): void {
  const header = ['benchmark', 'db', 'metric', 'Sundial', 'raw Agenda', 'ratio', 'peers (ratio)', 'target', 'verdict'];
  const rows = figures.map((figure) => {
    const r = ratio(figure);
    return [
      figure.benchmark,
      figure.mode,
      figure.metric,
      `${format(figure.sundial)} ${figure.unit}`,
      figure.agenda === null ? '—' : `${format(figure.agenda)} ${figure.unit}`,
      r === null ? '—' : format(r),
      figure.peers?.map((peer) => `${peer.name} ${format(peer.value)} (${format(figure.sundial / peer.value)})`).join('; ') || '—',
      describeTarget(figure) || '—',
      verdict(figure) || '—',
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
  const missed = figures.filter((figure) => verdict(figure) === 'MISSED');
  console.log(
    missed.length === 0
      ? '\nAll targets met.'
      : `\nMISSED ${missed.length} target(s): ${missed.map((f) => `${f.benchmark}/${f.mode} ${f.metric}`).join(', ')}`,
  );
}

export interface ResultFile {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  machine: { cpus: number; loadAverageAtStart: number[]; node: string; platform: string };
  figures: Array<Figure & { ratio: number | null; verdict: Verdict }>;
  details: Record<string, unknown>;
  errors: Array<{ benchmark: string; mode: DatabaseModeName; message: string }>;
}

export function writeResults(directory: string, result: ResultFile): string {
  fs.mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${result.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}
