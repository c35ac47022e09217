// The two ways a notification leaves: an e-mail through the configured SMTP server (nodemailer), and a signed
// POST to a webhook URL through the same SSRF guard as http.request. Each send is one attempt, bounded by
// notifications.timeout_ms and by the stop signal; the delivery loop decides about retries.
import crypto from 'node:crypto';
import { allowListProblems, createAddressPolicy, createGuardedAgent, RequestRefusedError } from '@sundial/builtin-actions';
import nodemailer from 'nodemailer';
import type { NotificationChannel, NotificationOutcome } from '../../db/prisma.js';
import type { Config } from '../../config/load.js';
import { emailMessage, WEBHOOK_EVENT, webhookBody, type NotifiedRun } from './content.js';

/** A failed attempt. `permanent`: trying again cannot help (no SMTP set up, address refused, mailbox rejected). */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

export interface DeliveryAttempt {
  id: string;
  recipient: string;
  outcome: NotificationOutcome;
  run: NotifiedRun;
  /** Aborted when the attempt times out or the process stops. */
  signal: AbortSignal;
}

export type Sender = (attempt: DeliveryAttempt) => Promise<void>;
export type Senders = Record<NotificationChannel, Sender>;

export const SIGNATURE_HEADER = 'X-Sundial-Signature';
export const TIMESTAMP_HEADER = 'X-Sundial-Timestamp';

/** `sha256=<hex>` over `<timestamp>.<body>`: what X-Sundial-Signature carries (docs/notifications.md). */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The promise, or the signal's reason as soon as it aborts (nodemailer takes no signal). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function abortReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
}

/** Cuts configured secrets out of a message before it is stored or logged. */
export function redactor(config: Config): (text: string) => string {
  const secrets = [config.notifications.smtp.password, config.notifications.webhook_secret].filter((secret) => secret.length >= 4);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}

export function createEmailSender(config: Config): Sender {
  const smtp = config.notifications.smtp;
  if (!smtp.host) {
    return async () => {
      throw new DeliveryError('e-mail is not set up on this install: set notifications.smtp.host (see docs/configuration.md)', true);
    };
  }
  const timeout = config.notifications.timeout_ms;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // Its own logger would print the SMTP conversation (AUTH included): never.
    logger: false,
    debug: false,
  });
  return async ({ id, recipient, outcome, run, signal }) => {
    const message = emailMessage(run, outcome, config.server.public_url);
    try {
      await untilAborted(
        transport.sendMail({
          from: smtp.from,
          to: recipient,
          subject: message.subject,
          text: message.text,
          headers: { 'X-Sundial-Run': run.id, 'X-Sundial-Delivery': id },
        }),
        signal,
      );
    } catch (error) {
      if (signal.aborted) throw new DeliveryError(`${smtp.host}:${smtp.port}: ${abortReason(signal)}`);
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx: the server refused for good (unknown mailbox, sender not allowed, bad credentials).
      throw new DeliveryError(`${smtp.host}:${smtp.port}: ${(error as Error).message}`, code !== undefined && code >= 500);
    }
  };
}

/** The URL as messages show it: no query string (tokens often live there). */
function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export function createWebhookSender(config: Config): Sender {
  const { allow_hosts: allowHosts, allow_private: allowPrivate } = config.builtin.http;
  const problems = allowListProblems(allowHosts);
  if (problems.length > 0) throw new Error(`builtin.http.allow_hosts: ${problems.join('; ')}`);
  const policy = createAddressPolicy({ allowHosts, allowPrivate });
  const timeout = config.notifications.timeout_ms;
  const secret = config.notifications.webhook_secret;

  return async ({ id, recipient, outcome, run, signal }) => {
    const url = new URL(recipient);
    const body = JSON.stringify(webhookBody(run, outcome, config.server.public_url));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Sundial-Notifications',
      'x-sundial-event': WEBHOOK_EVENT,
      'x-sundial-delivery': id,
      [TIMESTAMP_HEADER.toLowerCase()]: timestamp,
      ...(secret ? { [SIGNATURE_HEADER.toLowerCase()]: webhookSignature(secret, timestamp, body) } : {}),
    };
    const { agent, check } = createGuardedAgent({ policy, connectTimeoutMs: timeout });
    try {
      await untilAborted(check(url.hostname), signal);
      const response = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers,
        body,
        signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const text = (await response.body.text().catch(() => '')).slice(0, 200);
      if (response.statusCode >= 200 && response.statusCode <= 299) return;
      const redirect = response.statusCode >= 300 && response.statusCode <= 399 ? ' (redirects are not followed)' : '';
      throw new DeliveryError(`POST ${shownUrl(url)} answered ${response.statusCode}${redirect}${text ? `: ${text.replace(/\s+/g, ' ')}` : ''}`);
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      let cause: unknown = error;
      for (let depth = 0; depth < 5 && !(cause instanceof RequestRefusedError) && (cause as { cause?: unknown })?.cause; depth += 1) {
        cause = (cause as { cause?: unknown }).cause;
      }
      if (cause instanceof RequestRefusedError) throw new DeliveryError(`refused POST ${shownUrl(url)}: ${cause.message}`, true);
      if (signal.aborted) throw new DeliveryError(`POST ${shownUrl(url)}: ${abortReason(signal)}`);
      const code = (cause as NodeJS.ErrnoException)?.code;
      throw new DeliveryError(`POST ${shownUrl(url)} failed: ${(error as Error).message}${code && !(error as Error).message.includes(code) ? ` (${code})` : ''}`);
    } finally {
      await agent.destroy().catch(() => {});
    }
  };
}

export function createSenders(config: Config): Senders {
  return { EMAIL: createEmailSender(config), WEBHOOK: createWebhookSender(config) };
}
