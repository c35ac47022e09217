// Session cookies and API tokens are random secrets; only their SHA-256 is stored (they carry 256 bits of entropy,
// so a fast hash is enough — unlike passwords).
import crypto from 'node:crypto';

export function newSecret(prefix: string): string {
  return `${prefix}${crypto.randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}
