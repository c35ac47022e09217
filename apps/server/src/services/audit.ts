// The audit log: who did what, from where, to which target, and how it ended. Rows are only ever inserted (a
// database trigger refuses UPDATE and DELETE), and secrets never reach them: values under keys that name a
// password, secret, token or key are replaced before writing. Since rows are never deleted by the app, a row's
// details are capped (keys per object, total size) and say what was cut: no caller can fill the disk with one call.
import type { AuditActorKind, AuditOutcome, Prisma, PrismaClient } from '../db/prisma.js';

export type { AuditActorKind, AuditOutcome } from '../db/prisma.js';

export interface AuditEventInput {
  /** The signed-in user, or null (anonymous sign-in attempts). */
  actorId: string | null;
  /** The actor as shown: an e-mail, a token's name, or `anonymous`. */
  actorLabel: string;
  /** How the actor was identified; decisions rely on it and actorTokenId, never on the label. */
  actorKind: AuditActorKind;
  /** The API token that acted (actorKind TOKEN). */
  actorTokenId?: string | null;
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

/**
 * Key names whose values are secrets, inside longer names (newPassword, apiKey, clientSecret), matched on the name
 * in lower case without `-`, `_` and spaces, so `X-Api-Key`, `api_key` and `APIKEY` are one name. `oneTimeCode` is a
 * two-factor or recovery code.
 */
const SECRET_KEY = /pass(word|phrase)|secret|token|apikey|privatekey|credential|authori[sz]ation|cookie|session|challenge|onetimecode|recoverycode/;
/** …except references to secrets, which are ids, not secrets (tokenId, sessionIds). */
const REFERENCE_KEY = /(id|ids)$/;

const MAX_DEPTH = 8;
const MAX_STRING = 1000;
const MAX_ITEMS = 100;
/** Keys kept per object; the rest are counted in one `…` entry. */
export const MAX_DETAIL_KEYS = 50;
/** Largest details object stored, in bytes of JSON; a larger one keeps only a summary of what was cut. */
export const MAX_DETAILS_BYTES = 8192;

/** PostgreSQL's jsonb cannot hold NUL characters nor lone surrogates (the record of a refused call may); long text is cut. */
function storable(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is exactly what jsonb refuses
  const clean = text.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return clean.length > MAX_STRING ? `${clean.slice(0, MAX_STRING)}… (${clean.length} characters)` : clean;
}

export function isSecretKey(key: string): boolean {
  const name = key.toLowerCase().replace(/[-_\s]/g, '');
  return SECRET_KEY.test(name) && !REFERENCE_KEY.test(name);
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
  const entries = Object.entries(value);
  for (const [key, item] of entries.slice(0, MAX_DETAIL_KEYS)) {
    // A yes/no is no secret (signOutEverywhere's revokeApiTokens says what was done).
    out[storable(key)] = isSecretKey(key) && typeof item !== 'boolean' ? REDACTED : redactSecrets(item, depth + 1);
  }
  if (entries.length > MAX_DETAIL_KEYS) out['…'] = `${entries.length - MAX_DETAIL_KEYS} more keys cut (at most ${MAX_DETAIL_KEYS} are kept)`;
  return out;
}

/** Details as stored: redacted and capped; over MAX_DETAILS_BYTES, only their short fields and a note of the cut. */
export function storableDetails(details: Record<string, unknown>): Record<string, unknown> {
  const redacted = redactSecrets(details) as Record<string, unknown>;
  const size = Buffer.byteLength(JSON.stringify(redacted));
  if (size <= MAX_DETAILS_BYTES) return redacted;
  const kept: Record<string, unknown> = {};
  let keptBytes = 0;
  for (const [key, value] of Object.entries(redacted)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    keptBytes += Buffer.byteLength(JSON.stringify({ [key]: value }));
    if (keptBytes > MAX_DETAILS_BYTES / 2) break;
    kept[key] = value;
  }
  return { ...kept, cut: `details of ${size} bytes were over the limit of ${MAX_DETAILS_BYTES}; only ${Object.keys(kept).join(', ') || 'this note'} kept` };
}

export class AuditService {
  constructor(private readonly prisma: PrismaClient) {}

  async record(event: AuditEventInput): Promise<void> {
    await this.prisma.auditEvent.create({
      data: {
        actorId: event.actorId,
        actorLabel: storable(event.actorLabel),
        actorKind: event.actorKind,
        actorTokenId: event.actorTokenId ?? null,
        ip: event.ip,
        action: event.action,
        targetType: event.targetType ?? null,
        targetId: event.targetId == null ? null : storable(event.targetId),
        outcome: event.outcome,
        details: event.details ? (storableDetails(event.details) as Prisma.InputJsonObject) : undefined,
      },
    });
  }
}
