// A job's notification settings: which run outcomes notify, and whom. The JobService asks here whether they are
// valid; the answer names the field and the bad value, so the job form can show it next to the input.
import type { NotificationOutcome, Prisma } from '../../db/prisma.js';
import type { FieldError } from '../errors.js';
import { missingUsersAndRoles } from '../targets.js';

export const NOTIFICATION_OUTCOMES = [
  'FAILED',
  'TIMED_OUT',
  'INTERRUPTED',
  'PARTIALLY_SUCCEEDED',
  'SUCCEEDED',
  'RECOVERED',
] as const satisfies readonly NotificationOutcome[];

export interface NotificationSettingsInput {
  notifyOn?: readonly string[];
  notifyEmails?: readonly string[];
  notifyUserIds?: readonly string[];
  notifyRoleIds?: readonly string[];
  notifyWebhooks?: readonly string[];
}

export interface NotificationSettings {
  notifyOn: NotificationOutcome[];
  notifyEmails: string[];
  notifyUserIds: string[];
  notifyRoleIds: string[];
  notifyWebhooks: string[];
}

export const NOTIFICATION_LIMITS = { emails: 50, webhooks: 20, users: 200, roles: 50, emailLength: 254, urlLength: 2000 } as const;

// Deliberately plain: one @, a domain of non-empty labels (a bare host such as localhost is fine for an install's
// own mail server), no spaces, angle brackets or list separators (what an SMTP envelope accepts).
const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:".]+(\.[^\s@<>()[\],;:".]+)*$/;

export function isEmailAddress(text: string): boolean {
  return text.length <= NOTIFICATION_LIMITS.emailLength && EMAIL.test(text);
}

/** Why a webhook URL is refused, or null when it is fine. Addresses are judged when it is called (SSRF guard). */
export function webhookUrlProblem(text: string): string | null {
  if (text.length > NOTIFICATION_LIMITS.urlLength) return `is longer than ${NOTIFICATION_LIMITS.urlLength} characters`;
  if (!URL.canParse(text)) return 'is not a URL; write it like https://hooks.example.com/sundial';
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `is a ${url.protocol} URL; only https:// and http:// are allowed`;
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  if (url.hash !== '') return 'must not have a #fragment';
  return null;
}

/** Trimmed, without empties and repeats (e-mails compared without case), in the order given. */
function cleanList(values: readonly string[] | undefined, key: (value: string) => string = (value) => value): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of values ?? []) {
    const value = raw.trim();
    if (value === '' || seen.has(key(value))) continue;
    seen.add(key(value));
    out.push(value);
  }
  return out;
}

const quoted = (values: string[]) => values.map((value) => JSON.stringify(value)).join(', ');

/** Checks the settings (and that chosen users and roles exist); returns them cleaned, or the field errors. */
export async function validateNotificationSettings(
  prisma: Pick<Prisma.TransactionClient, 'user' | 'role'>,
  input: NotificationSettingsInput,
): Promise<{ settings: NotificationSettings; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const notifyOnRaw = cleanList(input.notifyOn);
  const unknown = notifyOnRaw.filter((value) => !(NOTIFICATION_OUTCOMES as readonly string[]).includes(value));
  if (unknown.length > 0) {
    errors.push({ field: 'notifyOn', message: `unknown outcome ${quoted(unknown)}; allowed: ${NOTIFICATION_OUTCOMES.join(', ')}` });
  }
  // Stored in the canonical order, whatever order they came in.
  const notifyOn = NOTIFICATION_OUTCOMES.filter((outcome) => notifyOnRaw.includes(outcome));

  const notifyEmails = cleanList(input.notifyEmails, (value) => value.toLowerCase());
  const badEmails = notifyEmails.filter((email) => !isEmailAddress(email));
  if (badEmails.length > 0) {
    errors.push({ field: 'notifyEmails', message: `not an e-mail address: ${quoted(badEmails)} (write them like ops@example.com)` });
  } else if (notifyEmails.length > NOTIFICATION_LIMITS.emails) {
    errors.push({ field: 'notifyEmails', message: `at most ${NOTIFICATION_LIMITS.emails} addresses; use a mailing list or a role for more` });
  }

  const notifyWebhooks = cleanList(input.notifyWebhooks);
  const badUrls = notifyWebhooks.map((url) => [url, webhookUrlProblem(url)] as const).filter(([, problem]) => problem !== null);
  if (badUrls.length > 0) {
    errors.push({ field: 'notifyWebhooks', message: badUrls.map(([url, problem]) => `${JSON.stringify(url)} ${problem}`).join('; ') });
  } else if (notifyWebhooks.length > NOTIFICATION_LIMITS.webhooks) {
    errors.push({ field: 'notifyWebhooks', message: `at most ${NOTIFICATION_LIMITS.webhooks} webhook URLs` });
  }

  const notifyUserIds = cleanList(input.notifyUserIds);
  const notifyRoleIds = cleanList(input.notifyRoleIds);
  if (notifyUserIds.length > NOTIFICATION_LIMITS.users) {
    errors.push({ field: 'notifyUserIds', message: `at most ${NOTIFICATION_LIMITS.users} users; choose a role for more` });
  }
  if (notifyRoleIds.length > NOTIFICATION_LIMITS.roles) errors.push({ field: 'notifyRoleIds', message: `at most ${NOTIFICATION_LIMITS.roles} roles` });
  const missing = await missingUsersAndRoles(prisma, { userIds: notifyUserIds, roleIds: notifyRoleIds });
  if (missing.users.length > 0) errors.push({ field: 'notifyUserIds', message: `no such user: ${missing.users.join(', ')}` });
  if (missing.roles.length > 0) errors.push({ field: 'notifyRoleIds', message: `no such role: ${missing.roles.join(', ')}` });

  const recipients = notifyEmails.length + notifyWebhooks.length + notifyUserIds.length + notifyRoleIds.length;
  if (notifyOn.length > 0 && recipients === 0) {
    errors.push({ field: 'notifyOn', message: 'has outcomes but nobody to notify: add an e-mail address, a user, a role or a webhook URL' });
  }
  return { settings: { notifyOn, notifyEmails, notifyUserIds, notifyRoleIds, notifyWebhooks }, errors };
}
