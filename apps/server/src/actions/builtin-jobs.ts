// Jobs the default install has: a daily sundial.cleanup ("Clean up old runs"), created on start when missing.
// Created once and then left alone: an admin may change its schedule or disable it, and a restart keeps that.
// builtin.cleanup.schedule_daily=false stops it being created (e.g. after deleting it on purpose).
import type { Config } from '../config/load.js';
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../lib/logger.js';
import type { JobService } from '../services/jobs.js';
import type { ActionRegistry } from './registry.js';

export const CLEANUP_JOB_KEY = 'sundial.cleanup';

export async function ensureBuiltinJobs(deps: {
  config: Config;
  prisma: PrismaClient;
  jobs: JobService;
  actions: ActionRegistry;
  logger: Logger;
}): Promise<void> {
  const { config, prisma, jobs, actions, logger } = deps;
  if (!config.builtin.cleanup.schedule_daily || !actions.has('sundial.cleanup')) return;
  if (await prisma.job.findUnique({ where: { key: CLEANUP_JOB_KEY }, select: { id: true } })) return;
  try {
    await jobs.create({
      key: CLEANUP_JOB_KEY,
      name: 'Clean up old runs',
      description: `Deletes runs and their log lines that finished more than builtin.cleanup.retention_days (${config.builtin.cleanup.retention_days}) days ago.`,
      action: 'sundial.cleanup',
      args: {},
      schedule: { scheduleKind: 'CRON', cron: '30 3 * * *', timezone: 'UTC' },
    });
    logger.info('jobs: created "Clean up old runs" (sundial.cleanup, daily at 03:30 UTC)');
  } catch (error) {
    // Another process starting at the same moment created it first: the unique key says so.
    if ((error as { code?: unknown }).code === 'P2002') return;
    // Not worth refusing to start over: the action still works, the job can be made by hand.
    logger.warn(`jobs: could not create "Clean up old runs": ${(error as Error).message}`);
  }
}
