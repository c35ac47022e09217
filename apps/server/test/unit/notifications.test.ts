// The pure parts of notifications: backoff, signatures, what counts as an address or a webhook URL, and messages
// that a job name cannot break.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emailMessage, runLink, webhookBody, type NotifiedRun } from '../../src/services/notifications/content.js';
import { backoffMs } from '../../src/services/notifications/outbox.js';
import { webhookSignature } from '../../src/services/notifications/senders.js';
import { isEmailAddress, webhookUrlProblem } from '../../src/services/notifications/settings.js';

const run: NotifiedRun = {
  id: '01a20000-0000-7000-8000-000000000001',
  status: 'FAILED',
  statusReason: null,
  errorMessage: 'boom',
  attempt: 2,
  maxAttempts: 2,
  startedAt: new Date('2026-11-23T03:30:00Z'),
  finishedAt: new Date('2026-11-23T03:30:05Z'),
  job: { id: '01a20000-0000-7000-8000-000000000002', name: 'Export\r\nBcc: victim@example.com' },
};

describe('backoff', () => {
  it('doubles from the base, stays within ±20 %, and stops at the cap', () => {
    expect([1, 2, 3, 4].map((attempts) => backoffMs(attempts, 1000, 60_000, () => 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(3, 1000, 60_000, () => 0)).toBe(3200);
    expect(backoffMs(3, 1000, 60_000, () => 1)).toBe(4800);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
  });
});

describe('webhook signature', () => {
  it('is the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    const expected = crypto.createHmac('sha256', 'key').update('1700000000.{"a":1}').digest('hex');
    expect(webhookSignature('key', '1700000000', '{"a":1}')).toBe(`sha256=${expected}`);
  });
});

describe('addresses and URLs', () => {
  it('accepts plain addresses and refuses the rest', () => {
    expect(isEmailAddress('ops@example.com')).toBe(true);
    expect(isEmailAddress('first.last+tag@sub.example.co')).toBe(true);
    expect(isEmailAddress('root@localhost')).toBe(true);
    for (const bad of ['ops', 'ops@', '@example.com', 'a b@example.com', 'ops@example..com', 'ops@example.com.', 'Ops <ops@example.com>', `${'a'.repeat(250)}@example.com`]) {
      expect(isEmailAddress(bad), bad).toBe(false);
    }
  });

  it('takes http(s) URLs only, without credentials or fragments', () => {
    expect(webhookUrlProblem('https://hooks.example.com/x?token=1')).toBeNull();
    expect(webhookUrlProblem('http://10.0.0.5:8080/hook')).toBeNull();
    expect(webhookUrlProblem('hooks.example.com')).toMatch(/not a URL/);
    expect(webhookUrlProblem('ftp://example.com/')).toMatch(/only https:\/\/ and http:\/\//);
    expect(webhookUrlProblem('javascript:alert(1)')).toMatch(/only https:\/\/ and http:\/\//);
    expect(webhookUrlProblem('https://u:p@example.com/')).toMatch(/user name or password/);
    expect(webhookUrlProblem('https://example.com/#x')).toMatch(/fragment/);
  });
});

describe('messages', () => {
  it('keeps a job name with line breaks on the subject line (no injected headers)', () => {
    const message = emailMessage(run, 'FAILED', '');
    expect(message.subject).toBe('[Sundial] Export Bcc: victim@example.com: failed');
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect(message.text).toContain('Error:    boom');
    expect(message.text).toContain(`Run id:   ${run.id}`);
  });

  it('links the run only when server.public_url is set', () => {
    expect(runLink('', run.id)).toBeNull();
    expect(emailMessage(run, 'RECOVERED', 'https://sundial.example.com').text).toContain(`https://sundial.example.com/runs/${run.id}`);
    expect(webhookBody(run, 'FAILED', 'https://s.example').run).toMatchObject({ url: `https://s.example/runs/${run.id}`, finishedAt: '2026-11-23T03:30:05.000Z' });
  });
});
