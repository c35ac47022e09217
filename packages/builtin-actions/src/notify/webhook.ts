// Webhook delivery for notify.users: one JSON POST per user, through the same SSRF guard as http.request (the
// guarded agent: every resolved address judged and pinned, private/loopback/metadata refused unless
// builtin.http.allow_hosts allows them). Redirects are not followed: a webhook answers where it is.
import { errors as undiciErrors, request } from 'undici';
import { createGuardedAgent, type GuardedAgent } from '../http/guarded-agent.js';
import { untilAborted } from '../http/abort.js';
import { refusalIn } from '../http/policy.js';
import type { AddressPolicy } from '../http/policy.js';
import type { ResolveHost } from '../http/guarded-agent.js';

export interface WebhookPayload {
  subject: string;
  message: string;
  user: { id: string; email: string; name: string };
  run: { id: string; jobId: string };
}

/** A delivery that failed; the message names the URL and what happened, and is safe to show. */
export class WebhookFailure extends Error {
  override name = 'WebhookFailure';
}

/**
 * The URL as logs and errors show it: the origin only. Webhook URLs often carry their credential in the path
 * (chat services' incoming webhooks do), and users' attributes are visible to USERS_MANAGE only, not to
 * everyone who reads runs.
 */
export function shownWebhookUrl(url: URL): string {
  return url.pathname === '/' && !url.search ? url.origin : `${url.origin}/…`;
}

/** Checks an attribute's value is a usable webhook URL; returns it, or throws WebhookFailure saying why not. */
export function webhookUrlOf(value: unknown, attribute: string): URL {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new WebhookFailure(`no webhook URL: attribute "${attribute}" is ${value === undefined || value === null ? 'not set' : 'not a text'}`);
  }
  const url = URL.canParse(value.trim()) ? new URL(value.trim()) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new WebhookFailure(`no webhook URL: attribute "${attribute}" is not an http:// or https:// URL`);
  }
  return url;
}

export interface WebhookSender {
  send(url: URL, payload: WebhookPayload, signal: AbortSignal): Promise<number>;
  close(): Promise<void>;
}

/** One guarded agent for one run; send() resolves to the status on 2xx and throws WebhookFailure otherwise. */
export function createWebhookSender(options: { policy: AddressPolicy; resolve?: ResolveHost; timeoutMs: number }): WebhookSender {
  const guarded: GuardedAgent = createGuardedAgent({
    policy: options.policy,
    ...(options.resolve ? { resolve: options.resolve } : {}),
    connectTimeoutMs: options.timeoutMs,
  });
  return {
    async send(url, payload, runSignal) {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = AbortSignal.any([runSignal, timeout]);
      const shown = shownWebhookUrl(url);
      try {
        await untilAborted(guarded.check(url.hostname), signal);
        const response = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Sundial notify.users' },
          body: JSON.stringify(payload),
          signal,
          dispatcher: guarded.agent,
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
        });
        await response.body.dump();
        if (response.statusCode < 200 || response.statusCode > 299) {
          throw new WebhookFailure(`POST ${shown} answered ${response.statusCode}; expected a 2xx status`);
        }
        return response.statusCode;
      } catch (error) {
        if (runSignal.aborted) throw runSignal.reason;
        if (error instanceof WebhookFailure) throw error;
        const cause = refusalIn(error);
        if (cause) throw new WebhookFailure(`refused POST ${shown}: ${cause.message}`);
        if (timeout.aborted || error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
          throw new WebhookFailure(`POST ${shown} did not answer within ${options.timeoutMs} ms (timeoutMs)`);
        }
        const code = (error as NodeJS.ErrnoException | null)?.code ?? ((error as { cause?: NodeJS.ErrnoException } | null)?.cause?.code);
        throw new WebhookFailure(`POST ${shown} failed: ${code ?? (error instanceof Error ? error.message : String(error))}`);
      }
    },
    close: () => guarded.agent.destroy().catch(() => {}),
  };
}
