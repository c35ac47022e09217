// A hook's secret and the two ways a request proves it knows it. Bearer: the secret itself, compared by SHA-256 (it
// carries 256 bits of entropy, so a fast hash is enough). Signed, as Stripe signs: `Sundial-Signature:
// t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, which needs the secret itself on the server: it is kept
// sealed with AES-256-GCM under a key derived from webhooks.secret_key, bound to its job (the job id is the
// additional data), so a sealed value copied to another job's row does not open.
import crypto from 'node:crypto';
import { hashSecret, newSecret } from '../auth/secrets.js';

export const SECRET_PREFIX = 'whsec_';
export const SIGNATURE_HEADER = 'sundial-signature';

export function newHookSecret(): string {
  return newSecret(SECRET_PREFIX);
}

/** The hook's public id, the last segment of its URL: 128 random bits, so hooks cannot be enumerated. */
export function newPublicId(): string {
  return `hk_${crypto.randomBytes(16).toString('base64url')}`;
}

export { hashSecret };

/** Seals and opens secrets with the server key; null when webhooks.secret_key is empty (bearer only). */
export class SecretBox {
  private readonly key: Buffer | null;

  constructor(serverKey: string) {
    this.key = serverKey ? Buffer.from(crypto.hkdfSync('sha256', serverKey, 'sundial', 'webhook secrets v1', 32)) : null;
  }

  get canSeal(): boolean {
    return this.key !== null;
  }

  seal(secret: string, jobId: string): string | null {
    if (!this.key) return null;
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(jobId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv, sealed, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** The secret, or null when it cannot be opened (no key, another key, another job, a damaged value). */
  open(sealed: string | null, jobId: string): string | null {
    if (!this.key || !sealed) return null;
    const [version, iv, data, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || data === undefined || !tag) return null;
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(jobId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

/** The value of a Sundial-Signature header for `body` signed at `timestamp` (unix seconds): what senders compute. */
export function signatureHeader(secret: string, timestamp: number, body: string | Buffer): string {
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, body)}`;
}

function signatureOf(secret: string, timestamp: number | string, body: string | Buffer): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export interface ParsedSignature {
  timestamp: number;
  signatures: string[];
}

/** `t=…,v1=…[,v1=…]` → its parts; null when it is not of that form. Unknown schemes (v0) are ignored, as Stripe does. */
export function parseSignature(header: string): ParsedSignature | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) return null;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/** Whether one of the header's signatures was made with `secret` over this timestamp and body (constant time). */
export function signatureMatches(secret: string, parsed: ParsedSignature, body: Buffer): boolean {
  const expected = Buffer.from(signatureOf(secret, parsed.timestamp, body), 'hex');
  let matched = false;
  for (const signature of parsed.signatures) {
    // Every candidate is compared, so the time taken does not say which one matched.
    if (crypto.timingSafeEqual(expected, Buffer.from(signature, 'hex'))) matched = true;
  }
  return matched;
}

export function hashesMatch(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
