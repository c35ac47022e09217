// A hook's secret sealed under the server key, and the Sundial-Signature header: what opens and what does not, and
// which headers parse.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newHookSecret, parseSignature, SecretBox, signatureHeader, signatureMatches } from '../../src/services/webhooks/secrets.js';

const KEY = 'a'.repeat(40);
const JOB = crypto.randomUUID();

describe('SecretBox', () => {
  it('opens what it sealed, for the same job and key only', () => {
    const box = new SecretBox(KEY);
    const secret = newHookSecret();
    const sealed = box.seal(secret, JOB)!;
    expect(sealed).not.toContain(secret);
    expect(box.open(sealed, JOB)).toBe(secret);
    // Another job's row, another server key, a flipped byte: nothing opens.
    expect(box.open(sealed, crypto.randomUUID())).toBeNull();
    expect(new SecretBox('b'.repeat(40)).open(sealed, JOB)).toBeNull();
    const parts = sealed.split('.');
    const data = Buffer.from(parts[2]!, 'base64url');
    data[0] = data[0]! ^ 1;
    expect(box.open([parts[0], parts[1], data.toString('base64url'), parts[3]].join('.'), JOB)).toBeNull();
    expect(box.open('not sealed', JOB)).toBeNull();
  });

  it('seals nothing without a server key', () => {
    const box = new SecretBox('');
    expect(box.canSeal).toBe(false);
    expect(box.seal(newHookSecret(), JOB)).toBeNull();
    expect(box.open(new SecretBox(KEY).seal('x', JOB), JOB)).toBeNull();
  });
});

describe('Sundial-Signature', () => {
  const secret = newHookSecret();
  const body = Buffer.from('{"a":1}');

  it('matches a signature made as the docs say (HMAC-SHA256 of "<t>.<body>", hex)', () => {
    const timestamp = 1_800_000_000;
    const header = `t=${timestamp},v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body.toString()}`).digest('hex')}`;
    expect(signatureHeader(secret, timestamp, body)).toBe(header);
    expect(signatureMatches(secret, parseSignature(header)!, body)).toBe(true);
    expect(signatureMatches(secret, parseSignature(header)!, Buffer.from('{"a":2}'))).toBe(false);
    expect(signatureMatches(newHookSecret(), parseSignature(header)!, body)).toBe(false);
  });

  it('takes several v1 values, ignores other schemes, and refuses malformed headers', () => {
    const good = signatureHeader(secret, 1_800_000_000, body).split(',')[1]!;
    const parsed = parseSignature(`t=1800000000,v0=abc,v1=${'0'.repeat(64)},${good}`)!;
    expect(parsed.signatures).toHaveLength(2);
    expect(signatureMatches(secret, parsed, body)).toBe(true);
    for (const header of ['', 'v1=abc', `t=1800000000`, `t=soon,v1=${'0'.repeat(64)}`, `t=1,v1=short`, 'garbage']) {
      expect(parseSignature(header), header).toBeNull();
    }
  });
});
