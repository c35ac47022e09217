// What a request to a job's hook gets: the rules of POST /hooks/<public id>, the HTTP route being only their
// adapter (http/webhooks.ts). In order: the per-hook and per-address rate limits, the body size, the hook and its
// secret (bearer, or a Stripe-style signature inside the replay window), the body as args (the job's args
// overridden key by key, validated by the action's schema), the Idempotency-Key, and the run, created through the
// engine's one insert path. An unknown or disabled hook is judged with a stand-in secret, so it costs what a
// known one costs and answers as fast (its 404 says nothing a 401 would not). Every attempt is audited, and a
// known hook's refusals are recorded as deliveries, once the answer is on its way.
import crypto from 'node:crypto';
import { createRateLimiter, isRateLimited, type RateLimiter } from '../../db/rate-limits.js';
import { v7 as uuidv7 } from 'uuid';
import type { Job, JobWebhook, PrismaClient, Run } from '../../db/prisma.js';
import { prismaSql } from '../../db/sql/client.js';
import { lastSuccessStart } from '../../engine/create.js';
import type { RunDispatcher, RunEngine } from '../../engine/index.js';
import { publishRun } from '../../engine/resources.js';
import type { RealtimeBus } from '../../realtime/bus.js';
import type { AuditService } from '../audit.js';
import { ValidationError, type FieldError } from '../errors.js';
import type { RunService } from '../runs.js';
import type { WebhookSettings } from './hooks.js';
import { hashesMatch, hashSecret, newHookSecret, parseSignature, signatureMatches, SIGNATURE_HEADER, type SecretBox } from './secrets.js';
import type pg from 'pg';

/** How long an Idempotency-Key names its first run. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_IDEMPOTENCY_KEY = 255;
/** A client address may send this many times a hook's allowance per minute, over all hooks (known or not). */
const ADDRESS_FACTOR = 10;

export interface WebhookRequest {
  /** The last segment of the path, as sent. */
  publicId: string;
  ip: string | null;
  signature: string | undefined;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  /** The body, or 'too-large' when it passed webhooks.max_body_bytes (not read further). */
  body: Buffer | 'too-large';
}

export type WebhookAnswer =
  | { status: 202; runId: string; replayed: boolean }
  | { status: 400 | 401 | 404 | 413 | 422 | 429; code: string; message: string; fieldErrors?: FieldError[]; retryAfterSeconds?: number };

export interface WebhookOutcome {
  answer: WebhookAnswer;
  /** The audit row (and a known hook's delivery row); run it after answering, so writing costs the caller no time. */
  record(): Promise<void>;
}

export interface WebhookReceiverDeps {
  prisma: PrismaClient;
  box: SecretBox;
  settings: WebhookSettings;
  runs: Pick<RunService, 'effectiveArgs'>;
  /** The app's pool, where the rate limits are counted. */
  pool: pg.Pool;
  engine: Pick<RunEngine, 'creation'>;
  dispatcher: RunDispatcher;
  bus: RealtimeBus;
  audit: AuditService;
}

type HookWithJob = JobWebhook & { job: Job };

export class WebhookReceiver {
  // In the database like every other limit (db/rate-limits.ts): shared by every API process, kept across restarts.
  private readonly perHook: RateLimiter;
  private readonly perAddress: RateLimiter;
  /** What an unknown hook is checked against: a secret nobody has, hashed and sealed like a real one. */
  private readonly standIn: Pick<JobWebhook, 'jobId' | 'secretHash' | 'secretSealed' | 'previousSecretHash' | 'previousSecretSealed' | 'previousValidUntil'>;

  constructor(private readonly deps: WebhookReceiverDeps) {
    this.perHook = createRateLimiter(deps.pool, { name: 'webhook-hook', points: deps.settings.requestsPerMinute, durationSeconds: 60 });
    this.perAddress = createRateLimiter(deps.pool, { name: 'webhook-address', points: deps.settings.requestsPerMinute * ADDRESS_FACTOR, durationSeconds: 60 });
    const jobId = crypto.randomUUID();
    const secret = newHookSecret();
    this.standIn = { jobId, secretHash: hashSecret(secret), secretSealed: deps.box.seal(secret, jobId), previousSecretHash: null, previousSecretSealed: null, previousValidUntil: null };
  }

  get maxBodyBytes(): number {
    return this.deps.settings.maxBodyBytes;
  }

  /** Before the body is read: over a limit, the answer (429); else null. */
  async admit(publicId: string, ip: string | null): Promise<WebhookOutcome | null> {
    try {
      await this.perAddress.consume(ip ?? 'unknown');
      await this.perHook.consume(publicId.slice(0, 64));
      return null;
    } catch (rejection) {
      if (!isRateLimited(rejection)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      const answer: WebhookAnswer = {
        status: 429,
        code: 'RATE_LIMITED',
        message: `Too many requests to this hook: at most ${this.deps.settings.requestsPerMinute} a minute (webhooks.requests_per_minute); try again in ${retryAfterSeconds} s.`,
        retryAfterSeconds,
      };
      // Not audited: a flood would otherwise become a flood of rows.
      return { answer, record: async () => {} };
    }
  }

  async receive(request: WebhookRequest): Promise<WebhookOutcome> {
    const found = await this.deps.prisma.jobWebhook.findUnique({ where: { publicId: request.publicId }, include: { job: true } });
    const hook: HookWithJob | null = found?.enabled ? found : null;
    const bodyBytes = request.body === 'too-large' ? null : request.body.length;
    const finish = (answer: WebhookAnswer, extra: Record<string, unknown> = {}): WebhookOutcome => ({
      answer,
      record: () => this.record(request, hook, answer, bodyBytes, extra),
    });

    if (request.body === 'too-large') {
      return finish(refusal(413, 'PAYLOAD_TOO_LARGE', `The body is larger than this hook's limit of ${this.deps.settings.maxBodyBytes} bytes (webhooks.max_body_bytes).`));
    }
    const authProblem = this.authenticate(hook ?? this.standIn, request, request.body);
    if (!hook) return finish(refusal(404, 'NOT_FOUND', 'No enabled webhook at this address.'));
    if (authProblem) return finish(refusal(401, 'UNAUTHENTICATED', authProblem));

    const key = request.idempotencyKey;
    if (key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) {
      return finish(refusal(400, 'BAD_REQUEST', `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY} visible ASCII characters without spaces.`));
    }
    const overrides = parseBody(request.body);
    if ('answer' in overrides) return finish(overrides.answer);
    let args: Record<string, unknown>;
    try {
      args = this.deps.runs.effectiveArgs(hook.job, overrides.args);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return finish({ status: 422, code: 'INVALID_ARGS', message: `The args are not valid for action ${hook.job.action}: ${error.message}`, fieldErrors: error.errors });
    }
    const { run, replayed } = await this.start(hook, args, key, request.ip);
    return finish({ status: 202, runId: run.id, replayed }, { idempotencyKey: key ?? null });
  }

  /** Null when the request proves it knows the hook's secret; else what is wrong. Costs the same for every hook. */
  private authenticate(hook: Pick<JobWebhook, 'jobId' | 'secretHash' | 'secretSealed' | 'previousSecretHash' | 'previousSecretSealed' | 'previousValidUntil'>, request: WebhookRequest, body: Buffer): string | null {
    const now = Date.now();
    const previousValid = hook.previousValidUntil !== null && hook.previousValidUntil.getTime() > now;
    if (request.signature !== undefined) {
      const parsed = parseSignature(request.signature);
      if (!parsed) return `The ${SIGNATURE_HEADER} header must be t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">.`;
      const current = this.deps.box.open(hook.secretSealed, hook.jobId);
      const previous = previousValid ? this.deps.box.open(hook.previousSecretSealed, hook.jobId) : null;
      // Both candidates are always computed (a stand-in where there is none), so timing says nothing about either.
      const fallback = this.standInSecret;
      const matchesCurrent = signatureMatches(current ?? fallback, parsed, body) && current !== null;
      const matchesPrevious = signatureMatches(previous ?? fallback, parsed, body) && previous !== null;
      if (current === null && !previousValid) {
        return 'This hook cannot check signatures: the server has no webhooks.secret_key, or the secret was made under another key (rotate it). Send the secret as Authorization: Bearer instead.';
      }
      if (!matchesCurrent && !matchesPrevious) return `The ${SIGNATURE_HEADER} signature does not match the body and the hook's secret.`;
      const skewSeconds = Math.abs(now / 1000 - parsed.timestamp);
      if (skewSeconds > this.deps.settings.toleranceSeconds) {
        return `The signature's timestamp is ${Math.round(skewSeconds)} s from the server's clock; at most ${this.deps.settings.toleranceSeconds} s is accepted (webhooks.tolerance_seconds), so an old request cannot be replayed.`;
      }
      return null;
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization ?? '')?.[1];
    if (!bearer) return `Send the hook's secret as Authorization: Bearer <secret>, or sign the body in a ${SIGNATURE_HEADER} header.`;
    const given = hashSecret(bearer);
    const matchesCurrent = hashesMatch(given, hook.secretHash);
    const matchesPrevious = hashesMatch(given, hook.previousSecretHash ?? this.standIn.secretHash) && previousValid;
    return matchesCurrent || matchesPrevious ? null : "The bearer secret is not this hook's secret.";
  }

  private readonly standInSecret = newHookSecret();

  /** The run (or, for a key seen within 24 h, the first run) and its delivery row, in one transaction. */
  private async start(hook: HookWithJob, args: Record<string, unknown>, key: string | undefined, ip: string | null): Promise<{ run: Run; replayed: boolean }> {
    const job = hook.job;
    const deliveryId = uuidv7();
    const result = await this.deps.prisma.$transaction(async (tx) => {
      if (key !== undefined) {
        // A key older than the window (or whose run was deleted) names nothing any more: it is released.
        await tx.webhookDelivery.updateMany({
          where: { jobId: job.id, idempotencyKey: key, OR: [{ receivedAt: { lt: new Date(Date.now() - IDEMPOTENCY_WINDOW_MS) } }, { runId: null }] },
          data: { idempotencyKey: null },
        });
        // The unique (job, key) decides between concurrent identical requests: the second waits for the first's
        // commit, inserts nothing, and reads the first's run.
        const { count } = await tx.webhookDelivery.createMany({ data: [{ id: deliveryId, jobId: job.id, status: 202, idempotencyKey: key, ip }], skipDuplicates: true });
        if (count === 0) {
          const first = await tx.webhookDelivery.findUniqueOrThrow({ where: { jobId_idempotencyKey: { jobId: job.id, idempotencyKey: key } }, include: { run: true } });
          return { run: first.run!, replayed: true };
        }
      }
      const [run] = await this.deps.engine.creation.insert(
        [{ jobId: job.id, trigger: 'WEBHOOK', args, since: await lastSuccessStart(tx, job.id), maxAttempts: this.deps.engine.creation.maxAttempts(job) }],
        prismaSql(tx),
      );
      if (!run) throw new Error('the webhook run was not inserted');
      if (key !== undefined) await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { runId: run.id } });
      else await tx.webhookDelivery.create({ data: { id: deliveryId, jobId: job.id, status: 202, runId: run.id, ip } });
      return { run, replayed: false };
    });
    if (!result.replayed) {
      publishRun(this.deps, result.run);
      await this.deps.dispatcher.dispatch(result.run, { priority: job.priority });
    }
    return result;
  }

  private async record(request: WebhookRequest, hook: HookWithJob | null, answer: WebhookAnswer, bodyBytes: number | null, extra: Record<string, unknown>): Promise<void> {
    const refused = answer.status !== 202;
    if (refused && hook) {
      await this.deps.prisma.webhookDelivery.create({
        data: { jobId: hook.jobId, status: answer.status, error: answer.message.slice(0, 2000), ip: request.ip },
      });
    }
    await this.deps.audit.record({
      actorId: null,
      actorLabel: 'webhook',
      actorKind: 'ANONYMOUS',
      ip: request.ip,
      action: 'receiveWebhook',
      targetType: 'job',
      targetId: hook?.jobId ?? null,
      outcome: answer.status === 202 ? 'SUCCESS' : answer.status === 401 || answer.status === 404 ? 'DENIED' : 'FAILURE',
      details: {
        hook: request.publicId,
        status: answer.status,
        bodyBytes,
        ...(answer.status === 202 ? { runId: answer.runId, replayed: answer.replayed } : { code: answer.code, reason: answer.message, fieldErrors: answer.fieldErrors }),
        ...extra,
      },
    });
  }
}

function refusal(status: 400 | 401 | 404 | 413 | 422, code: string, message: string): WebhookAnswer {
  return { status, code, message };
}

/** The body as args overrides: empty → none; else a JSON object, whose keys override the job's args. */
function parseBody(body: Buffer): { args: Record<string, unknown> } | { answer: WebhookAnswer } {
  const text = body.toString('utf8');
  if (text.trim() === '') return { args: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { answer: refusal(400, 'BAD_REQUEST', `The body is not valid JSON: ${(error as Error).message}`) };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return {
      answer: {
        status: 422,
        code: 'INVALID_ARGS',
        message: "The body must be a JSON object whose keys are the action's args (or empty, for the job's args).",
        fieldErrors: [{ field: 'body', message: 'must be a JSON object' }],
      },
    };
  }
  return { args: parsed as Record<string, unknown> };
}
