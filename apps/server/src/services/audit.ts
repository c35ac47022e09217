// The audit log: who did what, from where, to which target, and how it ended. Rows are only ever inserted (a
// database trigger refuses UPDATE and DELETE), and secrets never reach them: values under keys that name a
// password, secret, token or key are replaced before writing.
import type { AuditOutcome, Prisma, PrismaClient } from '../db/prisma.js';

export type { AuditOutcome } from '../db/prisma.js';

export interface AuditEventInput {
  /** The signed-in user, or null (anonymous sign-in attempts). */
  actorId: string | null;
  /** The actor as shown: an e-mail, a token's name, or `anonymous`. */
  actorLabel: string;
  ip: string | null;
  /** What was attempted, e.g. the mutation's name `createJob`. */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome: AuditOutcome;
  /** Context such as the arguments; secrets are redacted here, whatever the caller passes. */
  details?: Record<string, unknown> | null;
}

export const REDACTED = '[redacted]';

/** Key names whose values are secrets, in any casing and inside longer names (newPassword, apiKey, clientSecret). */
const SECRET_KEY = /pass(word|phrase)|secret|token|api_?key|private_?key|credential|authori[sz]ation|cookie|session/i;
/** …except references to secrets, which are ids, not secrets (tokenId, sessionIds). */
const REFERENCE_KEY = /(id|ids)$/i;

const MAX_DEPTH = 8;
const MAX_STRING = 1000;
const MAX_ITEMS = 100;

/** PostgreSQL's jsonb cannot hold NUL characters; long text is cut. */
function storable(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is exactly what jsonb refuses
  const clean = text.replace(/\u0000/g, '\uFFFD');
  return clean.length > MAX_STRING ? `${clean.slice(0, MAX_STRING)}… (${clean.length} characters)` : clean;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !REFERENCE_KEY.test(key);
}

/** A copy safe to store: secrets redacted, long strings and lists cut, depth bounded. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string') return storable(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return String(value);
  if (depth >= MAX_DEPTH) return '(nested too deep)';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => redactSecrets(item, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `… ${value.length - MAX_ITEMS} more`] : items;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[storable(key)] = isSecretKey(key) ? REDACTED : redactSecrets(item, depth + 1);
  }
  return out;
}

export class AuditService {
  constructor(private readonly prisma: PrismaClient) {}

  async record(event: AuditEventInput): Promise<void> {
    await this.prisma.auditEvent.create({
      data: {
        actorId: event.actorId,
        actorLabel: storable(event.actorLabel),
        ip: event.ip,
        action: event.action,
        targetType: event.targetType ?? null,
        targetId: event.targetId == null ? null : storable(event.targetId),
        outcome: event.outcome,
        details: event.details ? (redactSecrets(event.details) as Prisma.InputJsonObject) : undefined,
      },
    });
  }
}
