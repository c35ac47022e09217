// The bus across processes over PostgreSQL LISTEN/NOTIFY: every process on the database listens on one channel for
// run, job and queue events, and on a second one for log lines only while it has a live-log listener (most processes,
// workers above all, have none, and the lines are most of the traffic). Events are batched per tick into as few
// NOTIFYs as fit PostgreSQL's 8000-byte payload limit, sent in order on the app's pool (both channels: one
// notification queue, so a process on both gets them in the order sent), and each process ignores what it sent
// itself (it delivered that locally already).
// A batch of log lines is cut into pieces that fit a payload; a line too large for one travels as a reference and
// the receiver reads it back: lines are sent to other processes only once stored (engine/run-log.ts), so the read finds
// it. A read-back line can arrive after later lines: subscribers put lines in order (realtime/streams.ts).
// Not for the embedded database: pglite-socket does not deliver NOTIFY (ENVIRONMENT.md); that mode is one process.
import crypto from 'node:crypto';
import type pg from 'pg';
import { keepSession } from '../db/session.js';
import { listen, unlisten } from '../db/sql/realtime/listen.js';
import { notifyAll, NOTIFY_PER_STATEMENT } from '../db/sql/realtime/notify.js';
import { selectLogLines } from '../db/sql/realtime/read-log-lines.js';
import type { Logger } from '../lib/logger.js';
import type { BusEvent, RealtimeTransport, RunLogEvent } from './bus.js';

export const CHANNEL = 'sundial_realtime';
/** Log lines (and references to stored ones), heard only by processes with a live-log listener. */
export const LOG_CHANNEL = 'sundial_realtime_log';
/** PostgreSQL refuses payloads of 8000 bytes or more; keep a margin for the envelope. */
const MAX_PAYLOAD_BYTES = 7800;

/** A log line on the wire: its run is the batch's, its time an ISO string. */
type WireLine = Omit<RunLogEvent, 'runId' | 'time'> & { time: string };
type WireEvent =
  | Exclude<BusEvent, { kind: 'log' }>
  | { kind: 'log'; batch: { runId: string; lines: WireLine[] } }
  /** Stored lines `from`..`to` of a run, too large to travel: read them back. */
  | { kind: 'logRef'; runId: string; from: number; to: number };
interface Envelope {
  /** The sending process. */
  o: string;
  e: WireEvent[];
}

export interface PostgresTransportOptions {
  /** For the listening connection (one dedicated client, outside the pool). */
  url: string;
  /** For sending and for reading back large log lines. */
  pool: pg.Pool;
  logger: Logger;
}

export async function createPostgresTransport({ url, pool, logger }: PostgresTransportOptions): Promise<RealtimeTransport> {
  const origin = crypto.randomUUID();
  let handler: (event: BusEvent) => void = () => {};
  let closed = false;

  // Our own notifications come back too; they are recognised by their first bytes, without parsing them.
  const ownHead = envelopeHead(origin);
  const onNotification = (message: pg.Notification): void => {
    if ((message.channel !== CHANNEL && message.channel !== LOG_CHANNEL) || !message.payload || message.payload.startsWith(ownHead)) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message.payload) as Envelope;
    } catch {
      return;
    }
    if (envelope.o === origin || !Array.isArray(envelope.e)) return;
    for (const event of envelope.e) {
      if (event.kind === 'logRef') {
        const { runId } = event;
        void readLogLines(pool, runId, event.from, event.to).then(
          (lines) => lines.length > 0 && handler({ kind: 'log', batch: { runId, lines } }),
          () => {},
        );
      } else if (event.kind === 'log') {
        const { runId } = event.batch;
        handler({ kind: 'log', batch: { runId, lines: event.batch.lines.map((line) => ({ ...line, runId, time: new Date(line.time) })) } });
      } else {
        handler(event);
      }
    }
  };

  /** Whether this process wants other processes' log lines (RealtimeTransport.hearLogLines). */
  let hearingLogLines = false;
  const session = await keepSession({
    url,
    logger,
    what: 'realtime: the LISTEN connection',
    maxBackoffMs: 5000,
    async setUp(client) {
      // Events sent while disconnected are lost; live logs recover on their next line (subscribers fill gaps).
      // The log channel first: once the main channel's events arrive, so do lines sent after them.
      client.on('notification', onNotification);
      if (hearingLogLines) await listen(client, LOG_CHANNEL);
      await listen(client, CHANNEL);
    },
  });

  // LISTEN and UNLISTEN of the log channel, one after another; each applies the latest wish, so a wish that changed
  // meanwhile costs nothing wrong. On a connection still being set up, the statement waits behind the set-up; with
  // none, the next one's set-up reads the wish.
  let logChannelChanges: Promise<void> = Promise.resolve();
  const hearLogLines = (on: boolean): Promise<void> => {
    hearingLogLines = on;
    logChannelChanges = logChannelChanges.then(async () => {
      const client = session.client;
      if (!client || closed) return;
      try {
        await (hearingLogLines ? listen(client, LOG_CHANNEL) : unlisten(client, LOG_CHANNEL));
      } catch (error) {
        logger.warn(`realtime: could not ${hearingLogLines ? 'listen for' : 'stop listening for'} log lines: ${(error as Error).message}`);
      }
    });
    return logChannelChanges;
  };

  // Sending: events of one tick go out together, one batch after another, so receivers see them in order.
  let pending: Array<{ channel: string; event: string }> = [];
  let flushScheduled = false;
  let sending: Promise<void> = Promise.resolve();

  const flush = (): void => {
    flushScheduled = false;
    const segments = byChannel(pending).map(({ channel, events }) => ({ channel, payloads: pack(events, origin) }));
    pending = [];
    sending = sending.then(async () => {
      for (const { channel, payloads } of segments) {
        for (let index = 0; index < payloads.length; index += NOTIFY_PER_STATEMENT) {
          const chunk = payloads.slice(index, index + NOTIFY_PER_STATEMENT);
          try {
            await notifyAll(pool, channel, chunk);
          } catch (error) {
            // Live updates are best effort: the data is stored either way and readers re-read it.
            logger.warn(`realtime: could not publish ${chunk.length} notification(s): ${(error as Error).message}`);
          }
        }
      }
    });
  };

  return {
    name: 'postgres',
    send(event) {
      if (closed) return;
      const channel = event.kind === 'log' ? LOG_CHANNEL : CHANNEL;
      for (const piece of encode(event)) pending.push({ channel, event: piece });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    },
    receive(receiver) {
      handler = receiver;
    },
    hearLogLines,
    async close() {
      if (flushScheduled) flush();
      await sending;
      closed = true;
      await session.close();
    },
  };
}

/** Consecutive events of one channel together, in the order given. */
function byChannel(events: ReadonlyArray<{ channel: string; event: string }>): Array<{ channel: string; events: string[] }> {
  const segments: Array<{ channel: string; events: string[] }> = [];
  for (const { channel, event } of events) {
    const last = segments.at(-1);
    if (last?.channel === channel) last.events.push(event);
    else segments.push({ channel, events: [event] });
  }
  return segments;
}

/** The largest encoded event: a payload's limit less its envelope. */
const MAX_EVENT_BYTES = MAX_PAYLOAD_BYTES - 100;

/**
 * One event as JSON pieces of at most MAX_EVENT_BYTES: a log batch is cut into several, and a line too large
 * for any becomes a reference to the stored line (consecutive ones to a range).
 */
export function encode(event: BusEvent): string[] {
  if (event.kind !== 'log') return [JSON.stringify(event)];
  const { runId } = event.batch;
  const head = `{"kind":"log","batch":{"runId":${JSON.stringify(runId)},"lines":[`;
  const tail = ']}}';
  const empty = Buffer.byteLength(head) + tail.length;
  const pieces: string[] = [];
  let current: string[] = [];
  let size = empty;
  let reference: { kind: 'logRef'; runId: string; from: number; to: number } | null = null;
  const closeLines = () => {
    if (current.length > 0) pieces.push(`${head}${current.join(',')}${tail}`);
    current = [];
    size = empty;
  };
  const closeReference = () => {
    if (reference) pieces.push(JSON.stringify(reference));
    reference = null;
  };
  for (const line of event.batch.lines) {
    const wire: Omit<RunLogEvent, 'runId'> = { sequence: line.sequence, time: line.time, level: line.level, message: line.message, data: line.data, traceId: line.traceId };
    const text = JSON.stringify(wire);
    const bytes = Buffer.byteLength(text) + 1;
    if (empty + bytes > MAX_EVENT_BYTES) {
      closeLines();
      if (reference && reference.to === line.sequence - 1) reference.to = line.sequence;
      else {
        closeReference();
        reference = { kind: 'logRef', runId, from: line.sequence, to: line.sequence };
      }
      continue;
    }
    closeReference();
    if (size + bytes > MAX_EVENT_BYTES) closeLines();
    current.push(text);
    size += bytes;
  }
  closeLines();
  closeReference();
  return pieces;
}

const envelopeHead = (origin: string) => `{"o":${JSON.stringify(origin)},"e":[`;

/** Encoded events → envelopes of at most MAX_PAYLOAD_BYTES, in order. */
export function pack(events: string[], origin: string): string[] {
  const head = envelopeHead(origin);
  const payloads: string[] = [];
  let current: string[] = [];
  let size = head.length + 2;
  for (const event of events) {
    const bytes = Buffer.byteLength(event) + 1;
    if (current.length > 0 && size + bytes > MAX_PAYLOAD_BYTES) {
      payloads.push(`${head}${current.join(',')}]}`);
      current = [];
      size = head.length + 2;
    }
    current.push(event);
    size += bytes;
  }
  if (current.length > 0) payloads.push(`${head}${current.join(',')}]}`);
  return payloads;
}

async function readLogLines(pool: pg.Pool, runId: string, from: number, to: number): Promise<RunLogEvent[]> {
  const lines = await selectLogLines(pool, runId, from, to);
  return lines.map((line) => ({ runId, ...line, data: line.data ?? null }));
}
