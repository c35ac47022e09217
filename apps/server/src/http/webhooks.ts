// POST /hooks/<public id>: a job's inbound webhook. Only the HTTP side lives here (method, body bounds, headers,
// the answer's shape); what is accepted, refused and started is the service's (services/webhooks/receive.ts).
// Errors have the shape of every other error this server answers itself: {"errors":[{"message","extensions"}]}.
import type http from 'node:http';
import type { WebhookAnswer, WebhookOutcome, WebhookReceiver } from '../services/webhooks/receive.js';
import { SIGNATURE_HEADER } from '../services/webhooks/secrets.js';
import { CLIENT_IP_HEADER } from './forwarded.js';
import { readBoundedBody, sendJsonError } from './security.js';

export const HOOKS_PREFIX = '/hooks/';

export interface WebhookRouteOptions {
  receiver: WebhookReceiver;
  /** server.public_url: the run's URL in the answer is absolute when set, a path otherwise. */
  publicUrl: string;
  /** Told of a failure after the answer (the audit row could not be written). */
  onRecordFailed?: (error: unknown) => void;
}

export async function handleWebhook(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, options: WebhookRouteOptions): Promise<void> {
  const publicId = decodeSegment(pathname.slice(HOOKS_PREFIX.length));
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    sendJsonError(res, 405, 'METHOD_NOT_ALLOWED', 'A webhook takes POST requests only.', true);
    req.resume();
    return;
  }
  const ip = header(req, CLIENT_IP_HEADER) ?? null;
  const limited = publicId === null ? null : await options.receiver.admit(publicId, ip);
  if (publicId === null || limited) {
    if (limited) send(res, limited.answer, options.publicUrl);
    else sendJsonError(res, 404, 'NOT_FOUND', 'No enabled webhook at this address.', true);
    req.resume();
    return;
  }
  let tooLarge = false;
  const body = await readBoundedBody(req, res, options.receiver.maxBodyBytes, () => {
    tooLarge = true;
  });
  const outcome: WebhookOutcome = await options.receiver.receive({
    publicId,
    ip,
    signature: header(req, SIGNATURE_HEADER),
    authorization: header(req, 'authorization'),
    idempotencyKey: header(req, 'idempotency-key'),
    body: tooLarge || body === null ? 'too-large' : body,
  });
  send(res, outcome.answer, options.publicUrl, tooLarge);
  outcome.record().catch((error: unknown) => options.onRecordFailed?.(error));
}

function send(res: http.ServerResponse, answer: WebhookAnswer, publicUrl: string, close = false): void {
  if (answer.status === 202) {
    const runUrl = `${publicUrl}/runs/${answer.runId}`;
    const body = JSON.stringify({ runId: answer.runId, runUrl, replayed: answer.replayed });
    res.writeHead(202, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      location: runUrl,
      ...(answer.replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
    res.end(body);
    return;
  }
  if (answer.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(answer.retryAfterSeconds));
  if (answer.status === 401) res.setHeader('www-authenticate', 'Bearer realm="sundial-webhook"');
  const extensions = { code: answer.code, ...(answer.fieldErrors ? { fieldErrors: answer.fieldErrors } : {}) };
  const body = JSON.stringify({ errors: [{ message: answer.message, extensions }] });
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The one path segment after /hooks/, or null for none, several, or a malformed escape. */
function decodeSegment(segment: string): string | null {
  if (segment === '' || segment.includes('/')) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
