// A run's log, streamed: the runLogLines subscription sends the stored lines after a sequence (a page per event),
// then new ones live in batches, with no gap and no duplicate; after a dropped connection it resumes from the last
// sequence received. Lines are kept
// outside React state and rendered in frames, and only the visible rows are in the DOM, so 100,000 lines scroll
// as smoothly as 100. Level colours and filter, search, follow (auto-scroll), copy and download.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type UIEvent } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql';
import type { LogLevel } from '../../gql/graphql';
import { cx } from '../../lib/cx';
import { Button } from '../ui/Button';
import { CopyButton } from '../ui/CopyButton';
import { DownloadIcon, SearchIcon } from '../ui/icons';

const RunLogSubscription = graphql(`
  subscription RunLogSubscription($runId: ID!, $afterSequence: Int!) {
    runLogLines(runId: $runId, afterSequence: $afterSequence) {
      lines {
        sequence
        time
        level
        message
        data
      }
    }
  }
`);

export interface LogLine {
  sequence: number;
  time: string;
  level: LogLevel;
  message: string;
  data: unknown;
}

const ROW_HEIGHT = 20;
const OVERSCAN = 20;
const MIN_HEIGHT = 120;
const MAX_HEIGHT = 480;
const LEVELS: LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
const LEVEL_STYLE: Record<LogLevel, string> = {
  DEBUG: 'text-stone-400 dark:text-stone-500',
  INFO: 'text-sky-600 dark:text-sky-400',
  WARN: 'text-amber-600 dark:text-amber-400',
  ERROR: 'text-red-600 dark:text-red-400',
};
const RETRY_MS = 1500;

function lineText(line: LogLine): string {
  const data = line.data == null ? '' : ` ${JSON.stringify(line.data)}`;
  return `${line.time} ${line.level.padEnd(5)} ${line.message}${data}`;
}

/** Streams the log of `runId`; `live` says whether more can come (the run is not finished). */
function useRunLog(runId: string) {
  const client = useClient();
  const lines = useRef<LogLine[]>([]);
  const [version, setVersion] = useState(0);
  const [connection, setConnection] = useState<'connecting' | 'open' | 'retrying'>('connecting');

  useEffect(() => {
    lines.current = [];
    setVersion((v) => v + 1);
    let frame = 0;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe = () => {};

    const schedule = () => {
      if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          setVersion((v) => v + 1);
        });
      }
    };

    const connect = () => {
      const after = lines.current.length > 0 ? lines.current[lines.current.length - 1]!.sequence : 0;
      const subscription = client.subscription(RunLogSubscription, { runId, afterSequence: after }).subscribe((result) => {
        if (result.error) {
          setConnection('retrying');
          subscription.unsubscribe();
          if (!stopped) retry = setTimeout(connect, RETRY_MS);
          return;
        }
        const batch = result.data?.runLogLines;
        if (!batch) return;
        setConnection('open');
        let last = lines.current[lines.current.length - 1]?.sequence ?? 0;
        for (const line of batch.lines) {
          // Resuming can overlap by a line; the sequence tells.
          if (line.sequence <= last) continue;
          lines.current.push({ ...line, time: String(line.time) });
          last = line.sequence;
        }
        schedule();
      });
      unsubscribe = subscription.unsubscribe;
    };
    connect();

    return () => {
      stopped = true;
      clearTimeout(retry);
      cancelAnimationFrame(frame);
      unsubscribe();
    };
  }, [client, runId]);

  return { lines: lines.current, version, connection };
}

export function LogViewer({ runId, live, fileName }: { runId: string; live: boolean; fileName: string }) {
  const { lines, version, connection } = useRunLog(runId);
  const [levels, setLevels] = useState<ReadonlySet<LogLevel>>(new Set(LEVELS));
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(480);
  const scroller = useRef<HTMLDivElement>(null);

  const needle = search.trim().toLowerCase();
  const visible = useMemo(
    () =>
      lines.filter(
        (line) =>
          levels.has(line.level) &&
          (!needle || line.message.toLowerCase().includes(needle) || (line.data != null && JSON.stringify(line.data).toLowerCase().includes(needle))),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` changes when lines arrive; the array is appended in place
    [lines, version, levels, needle],
  );

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    setViewport(element.clientHeight);
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Follow: stay at the bottom as lines arrive.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (follow && element) element.scrollTop = element.scrollHeight;
  }, [follow, visible.length]);

  const onScroll = useCallback(
    (event: UIEvent<HTMLDivElement>) => {
      const element = event.currentTarget;
      setScrollTop(element.scrollTop);
      const atBottom = element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT;
      // Scrolling up to read stops following; scrolling back to the bottom resumes it.
      if (!atBottom && follow) setFollow(false);
      else if (atBottom && !follow && live) setFollow(true);
    },
    [follow, live],
  );

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(visible.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const rows = visible.slice(first, last);

  const text = () => visible.map(lineText).join('\n');
  const download = () => {
    const url = URL.createObjectURL(new Blob([`${text()}\n`], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
    URL.revokeObjectURL(url);
  };

  const toggleLevel = (level: LogLevel) =>
    setLevels((current) => {
      const next = new Set(current);
      if (next.has(level)) next.delete(level);
      else next.add(level);
      return next;
    });

  return (
    <section aria-label="Log" className="overflow-hidden rounded-2xl border border-stone-200 bg-white dark:border-stone-800 dark:bg-stone-900">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-stone-100 px-4 py-2.5 dark:border-stone-800">
        <h2 className="mr-1 text-base font-semibold">Log</h2>
        <span className="text-xs text-stone-500 tabular-nums dark:text-stone-400" data-testid="log-count">
          {visible.length === lines.length ? `${lines.length} lines` : `${visible.length} of ${lines.length} lines`}
        </span>
        {live && (
          <span className={cx('flex items-center gap-1.5 text-xs', connection === 'retrying' ? 'text-amber-600' : 'text-emerald-600 dark:text-emerald-400')}>
            <span aria-hidden="true" className={cx('size-1.5 rounded-full', connection === 'retrying' ? 'bg-amber-500' : 'animate-pulse bg-emerald-500')} />
            {connection === 'retrying' ? 'Reconnecting…' : 'Live'}
          </span>
        )}
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <div role="group" aria-label="Levels" className="flex overflow-hidden rounded-lg border border-stone-200 dark:border-stone-700">
            {LEVELS.map((level) => (
              <button
                key={level}
                type="button"
                aria-pressed={levels.has(level)}
                onClick={() => toggleLevel(level)}
                className={cx(
                  'px-2 py-1 font-mono text-[11px] font-semibold transition-colors',
                  levels.has(level) ? cx('bg-stone-100 dark:bg-stone-800', LEVEL_STYLE[level]) : 'text-stone-300 line-through dark:text-stone-600',
                )}
              >
                {level}
              </button>
            ))}
          </div>
          <div className="relative">
            <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-stone-400" />
            <input
              type="search"
              aria-label="Search the log"
              placeholder="Search"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              className="h-8 w-44 rounded-lg border border-stone-200 bg-white pr-2 pl-8 text-sm focus:border-amber-500 focus:outline-none dark:border-stone-700 dark:bg-stone-900"
            />
          </div>
          <label className="flex items-center gap-1.5 text-sm text-stone-600 dark:text-stone-300">
            <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} className="accent-amber-500" />
            Follow
          </label>
          <CopyButton size="sm" text={text} label="Copy" />
          <Button size="sm" icon={<DownloadIcon />} onClick={download}>
            Download
          </Button>
        </div>
      </div>
      <div
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        role="log"
        aria-label="Log lines"
        aria-live="off"
        // Grows with the log up to a fixed height, then scrolls (and virtualises).
        style={{ height: Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, visible.length * ROW_HEIGHT + 16)) }}
        className="overflow-auto bg-stone-50 font-mono text-[12px] focus-visible:outline-2 focus-visible:outline-amber-500 dark:bg-stone-950"
      >
        {visible.length === 0 ? (
          <p className="p-4 font-sans text-sm text-stone-500 dark:text-stone-400">
            {lines.length > 0 ? 'No line matches the level filter and search.' : live ? 'Waiting for the first line…' : 'This run wrote no log.'}
          </p>
        ) : (
          <div style={{ height: visible.length * ROW_HEIGHT, position: 'relative' }} className="w-max min-w-full py-2">
            <div style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
              {rows.map((line) => (
                <div
                  key={line.sequence}
                  data-testid="log-line"
                  data-level={line.level}
                  style={{ height: ROW_HEIGHT }}
                  className="flex items-center gap-3 px-4 leading-5 whitespace-pre hover:bg-stone-100 dark:hover:bg-stone-900"
                >
                  <span className="w-10 shrink-0 text-right text-stone-300 select-none dark:text-stone-600">{line.sequence}</span>
                  <span className="shrink-0 text-stone-400 dark:text-stone-500">{timeOf(line.time)}</span>
                  <span className={cx('w-11 shrink-0 font-semibold', LEVEL_STYLE[line.level])}>{line.level}</span>
                  <span className="text-stone-800 dark:text-stone-200">
                    <Highlight text={line.message} needle={needle} />
                    {line.data != null && <span className="ml-2 text-stone-400 dark:text-stone-500">{JSON.stringify(line.data)}</span>}
                  </span>
                </div>
              ))}
            </div>
          </div>
        )}
      </div>
    </section>
  );
}

function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toLocaleTimeString(undefined, { hour12: false })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function Highlight({ text, needle }: { text: string; needle: string }) {
  if (!needle) return text;
  const at = text.toLowerCase().indexOf(needle);
  if (at < 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <mark className="rounded-sm bg-amber-200 text-stone-900 dark:bg-amber-500/40 dark:text-amber-50">{text.slice(at, at + needle.length)}</mark>
      {text.slice(at + needle.length)}
    </>
  );
}
