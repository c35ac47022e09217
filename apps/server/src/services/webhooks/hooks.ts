// A job's inbound webhook as admins manage it: enable (made on first use, with a secret shown once), disable,
// rotate the secret (the previous one keeps working for webhooks.rotation_overlap_seconds), and the switch jobs as
// code set. Requests to the hook are judged by WebhookReceiver (receive.ts).
import type { JobWebhook, Prisma } from '../../db/prisma.js';
import type { DbClient } from '../db-client.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { isUuid } from '../ids.js';
import { hashSecret, newHookSecret, newPublicId, type SecretBox } from './secrets.js';

export interface WebhookSettings {
  /** webhooks.max_body_bytes */
  maxBodyBytes: number;
  /** webhooks.requests_per_minute */
  requestsPerMinute: number;
  /** webhooks.tolerance_seconds */
  toleranceSeconds: number;
  /** webhooks.rotation_overlap_seconds */
  rotationOverlapSeconds: number;
  /** server.public_url, for the hook's and the run's absolute URLs; empty: paths only. */
  publicUrl: string;
}

/** A change that made a new secret: the hook and the secret, which is never shown again. */
export interface HookWithSecret {
  hook: JobWebhook;
  /** Null when the change made no secret (the hook existed already). */
  secret: string | null;
}

export class WebhookService {
  constructor(
    private readonly deps: { db: DbClient; box: SecretBox; settings: WebhookSettings; now?: () => Date },
  ) {}

  /** The same rules inside a caller's transaction (a definitions document applied whole). */
  within(tx: Prisma.TransactionClient): WebhookService {
    return new WebhookService({ ...this.deps, db: tx });
  }

  get settings(): WebhookSettings {
    return this.deps.settings;
  }

  /** Whether signed requests can be checked: the server has webhooks.secret_key and sealed this hook's secret with it. */
  canCheckSignatures(hook: Pick<JobWebhook, 'jobId' | 'secretSealed'>): boolean {
    return this.deps.box.open(hook.secretSealed, hook.jobId) !== null;
  }

  /** The hook's path, and its absolute URL when server.public_url is set. */
  addressOf(hook: Pick<JobWebhook, 'publicId'>): { path: string; url: string | null } {
    const path = `/hooks/${hook.publicId}`;
    return { path, url: this.deps.settings.publicUrl ? `${this.deps.settings.publicUrl}${path}` : null };
  }

  async find(jobId: string): Promise<JobWebhook | null> {
    await this.job(jobId);
    return this.deps.db.jobWebhook.findUnique({ where: { jobId } });
  }

  /** Enables the job's hook; the first time, makes it with a new secret (returned here only). */
  async enable(jobId: string): Promise<HookWithSecret> {
    return this.setEnabled(jobId, true);
  }

  async disable(jobId: string): Promise<JobWebhook> {
    await this.job(jobId);
    const hook = await this.deps.db.jobWebhook.findUnique({ where: { jobId } });
    if (!hook) throw new ConflictError(`job ${jobId} has no webhook; enable it first`);
    return this.deps.db.jobWebhook.update({ where: { jobId }, data: { enabled: false } });
  }

  /** Enabled or not; made (with a secret nobody has seen: rotate it to get one) when enabling a job that has none. */
  async setEnabled(jobId: string, enabled: boolean): Promise<HookWithSecret> {
    await this.job(jobId);
    const existing = await this.deps.db.jobWebhook.findUnique({ where: { jobId } });
    if (existing) {
      const hook = existing.enabled === enabled ? existing : await this.deps.db.jobWebhook.update({ where: { jobId }, data: { enabled } });
      return { hook, secret: null };
    }
    const secret = newHookSecret();
    try {
      const hook = await this.deps.db.jobWebhook.create({
        data: { jobId, enabled, publicId: newPublicId(), secretHash: hashSecret(secret), secretSealed: this.deps.box.seal(secret, jobId) },
      });
      return { hook, secret };
    } catch (error) {
      // Made by a concurrent request meanwhile: that one showed its secret; this one changes the switch only.
      if ((error as { code?: unknown }).code !== 'P2002') throw error;
      const hook = await this.deps.db.jobWebhook.update({ where: { jobId }, data: { enabled } });
      return { hook, secret: null };
    }
  }

  /** A new secret (returned here only); the previous one stays valid for webhooks.rotation_overlap_seconds. */
  async rotate(jobId: string): Promise<HookWithSecret & { secret: string }> {
    await this.job(jobId);
    const current = await this.deps.db.jobWebhook.findUnique({ where: { jobId } });
    if (!current) throw new ConflictError(`job ${jobId} has no webhook; enable it first`);
    const secret = newHookSecret();
    const overlapMs = this.deps.settings.rotationOverlapSeconds * 1000;
    const now = this.deps.now?.() ?? new Date();
    const hook = await this.deps.db.jobWebhook.update({
      // Conditional on the secret rotated: two rotations at once do not both keep "the previous" secret.
      where: { jobId, secretHash: current.secretHash },
      data: {
        secretHash: hashSecret(secret),
        secretSealed: this.deps.box.seal(secret, jobId),
        previousSecretHash: overlapMs > 0 ? current.secretHash : null,
        previousSecretSealed: overlapMs > 0 ? current.secretSealed : null,
        previousValidUntil: overlapMs > 0 ? new Date(now.getTime() + overlapMs) : null,
        secretRotatedAt: now,
      },
    }).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'P2025') throw new ConflictError('the secret was rotated by someone else meanwhile; rotate again');
      throw error;
    });
    return { hook, secret };
  }

  private async job(jobId: string): Promise<void> {
    const found = isUuid(jobId) ? await this.deps.db.job.findUnique({ where: { id: jobId }, select: { id: true } }) : null;
    if (!found) throw new NotFoundError('job', jobId);
  }
}
