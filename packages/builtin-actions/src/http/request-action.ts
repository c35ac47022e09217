// http.request: one HTTP request (following a few redirects), its answer as the run's output. Every connection
// goes through the guarded agent (SSRF guard); header secrets are resolved only here, go only to the hosts they are
// bound to (builtin.http.secret_hosts), and are cut out of every message, log line and the output.
import { defineAction, z, type ActionContext } from '@sundial/actions';
import { errors as undiciErrors, request, type Dispatcher } from 'undici';
import { createGuardedAgent, type ResolveHost } from './guarded-agent.js';
import { untilAborted } from './abort.js';
import { allowListProblems, createAddressPolicy, refusalIn, RequestRefusedError } from './policy.js';
import { decodeBody, readCapped, selectHeaders, type BodyEncoding } from './response.js';
import { createRedactor } from './redaction.js';
import {
  CREDENTIAL_HEADERS,
  referencesSecret,
  resolveSecretHeaders,
  secretHostRefusal,
  secretNamesIn,
  type SecretHosts,
} from './secrets.js';

export interface HttpRequestSettings {
  /** Host names, IP addresses and CIDR ranges reachable even when private (builtin.http.allow_hosts). */
  allowHosts: readonly string[];
  /** Allow private, loopback, link-local… addresses; metadata addresses stay refused (builtin.http.allow_private). */
  allowPrivate: boolean;
  /** `{{secret:NAME}}` reads the variable `<prefix>NAME` (builtin.http.secret_env_prefix). */
  secretEnvPrefix: string;
  /** Secret name → hosts it may be sent to (builtin.http.secret_hosts); a secret not named here goes nowhere. */
  secretHosts: SecretHosts;
  /** Where secrets are read from: the server passes its environment. */
  env: Readonly<Record<string, string | undefined>>;
  /** Response bytes kept in the output (builtin.http.max_response_bytes); the rest is not downloaded. */
  maxResponseBytes: number;
  /** How host names are resolved; the system resolver unless a test or an embedder has its own. */
  resolve?: ResolveHost;
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const status = z.number().int().min(100).max(599);

const argsSchema = (secretHosts: SecretHosts) => z
  .object({
    method: z.enum(HTTP_METHODS).default('GET').describe('HTTP method.'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).describe('The URL to request.'),
    headers: z
      .record(z.string().regex(HEADER_NAME, { error: 'is not a valid header name' }), z.string().max(8192))
      .default({})
      .describe('Request headers. Credentials go in as {{secret:NAME}}, read from the environment variable SUNDIAL_SECRET_NAME.'),
    body: z.json().optional().describe('Request body: any JSON value, or text.'),
    bodyType: z
      .enum(['json', 'text'])
      .optional()
      .describe('How to send body: json (application/json) or text (text/plain). Default: text for a string, json otherwise.'),
    expectStatus: z
      .union([status, z.array(status).min(1)])
      .optional()
      .describe('Status code(s) that count as success. Default: any 2xx.'),
    timeoutMs: z.number().int().min(1).max(600_000).default(30_000).describe('Give up after this many milliseconds (redirects and body included).'),
    followRedirects: z
      .number()
      .int()
      .min(0)
      .max(MAX_REDIRECTS)
      .default(MAX_REDIRECTS)
      .describe(`Redirects to follow (at most ${MAX_REDIRECTS}); 0 returns the redirect itself.`),
  })
  .superRefine((args, context) => {
    if ((args.method === 'GET' || args.method === 'HEAD') && args.body !== undefined) {
      context.addIssue({ code: 'custom', path: ['body'], message: `a ${args.method} request has no body` });
    }
    if (args.bodyType === 'text' && args.body !== undefined && typeof args.body !== 'string') {
      context.addIssue({ code: 'custom', path: ['body'], message: 'must be text when bodyType is text' });
    }
    const url = URL.canParse(args.url) ? new URL(args.url) : null;
    if (url && (url.username !== '' || url.password !== '')) {
      context.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'must not carry a user name or password; send credentials in a header as {{secret:NAME}}',
      });
    }
    for (const [name, value] of Object.entries(args.headers)) {
      if (CREDENTIAL_HEADERS.has(name.toLowerCase()) && !referencesSecret(value)) {
        context.addIssue({
          code: 'custom',
          path: ['headers', name],
          message: `holds a credential in clear; store it in an environment variable and write {{secret:NAME}} here (e.g. "Bearer {{secret:API_TOKEN}}" reads SUNDIAL_SECRET_API_TOKEN)`,
        });
      }
      if (!url) continue;
      for (const secret of secretNamesIn(value)) {
        const refusal = secretHostRefusal(secret, url.hostname, secretHosts);
        if (refusal) context.addIssue({ code: 'custom', path: ['headers', name], message: refusal });
      }
    }
  });

export type HttpRequestArgs = z.output<ReturnType<typeof argsSchema>>;

export interface HttpRequestOutput {
  status: number;
  /** The URL that answered (after redirects). */
  url: string;
  redirects: number;
  headers: Record<string, string>;
  body: unknown;
  bodyEncoding: BodyEncoding;
  /** The body was longer than builtin.http.max_response_bytes and is cut there. */
  truncated: boolean;
}

/** The URL as logs and messages show it: no user info, nothing else hidden (secrets never go in URLs). */
function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}${url.search}`;
}

function expectedText(expect: number | number[] | undefined): string {
  if (expect === undefined) return 'a 2xx status';
  return Array.isArray(expect) ? `status ${expect.join(' or ')}` : `status ${expect}`;
}

function isExpected(code: number, expect: number | number[] | undefined): boolean {
  if (expect === undefined) return code >= 200 && code <= 299;
  return Array.isArray(expect) ? expect.includes(code) : code === expect;
}

function requestBody(args: HttpRequestArgs): { body: string | undefined; contentType: string | undefined } {
  if (args.body === undefined) return { body: undefined, contentType: undefined };
  const asText = args.bodyType === 'text' || (args.bodyType === undefined && typeof args.body === 'string');
  return asText
    ? { body: String(args.body), contentType: 'text/plain; charset=utf-8' }
    : { body: JSON.stringify(args.body), contentType: 'application/json' };
}

/** A failure this action describes itself; passed on as it is. */
class HttpRequestFailure extends Error {
  override name = 'HttpRequestFailure';
}

export function createHttpRequestAction(settings: HttpRequestSettings) {
  const problems = allowListProblems(settings.allowHosts);
  if (problems.length > 0) throw new Error(`builtin.http.allow_hosts: ${problems.join('; ')}`);
  const policy = createAddressPolicy({ allowHosts: settings.allowHosts, allowPrivate: settings.allowPrivate });

  return defineAction({
    name: 'http.request',
    description:
      'Makes one HTTP request and stores the answer (status, headers, body up to a cap) as the run\'s output. ' +
      'Refuses private, loopback and metadata addresses unless builtin.http.allow_hosts allows them; header ' +
      'secrets come from the environment as {{secret:NAME}}.',
    args: argsSchema(settings.secretHosts),
    async run(context: ActionContext<HttpRequestArgs>): Promise<HttpRequestOutput> {
      const { args } = context;
      // Checked again here: the job may have been saved before the configuration changed.
      const bindings = Object.values(args.headers).flatMap(secretNamesIn);
      const refuseSecretsFor = (target: URL) => {
        for (const secret of bindings) {
          const refusal = secretHostRefusal(secret, target.hostname, settings.secretHosts);
          if (refusal) throw new HttpRequestFailure(`refused ${args.method} ${shownUrl(target)}: ${refusal}`);
        }
      };
      refuseSecretsFor(new URL(args.url));
      const resolved = resolveSecretHeaders(args.headers, (name) => settings.env[name], settings.secretEnvPrefix);
      const redactor = createRedactor(resolved.secrets);
      const clean = (text: string) => redactor.text(text);

      const timeout = AbortSignal.timeout(args.timeoutMs);
      const signal = AbortSignal.any([context.signal, timeout]);
      const { agent, check } = createGuardedAgent({ policy, resolve: settings.resolve, connectTimeoutMs: Math.min(args.timeoutMs, 30_000) });

      let url = new URL(args.url);
      let method: string = args.method;
      let { body, contentType } = requestBody(args);
      let headers: Record<string, string> = { ...resolved.headers };
      if (contentType && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
        headers['content-type'] = contentType;
      }

      try {
        for (let redirects = 0; ; redirects += 1) {
          // The request line only: header values may hold secrets.
          context.log.info(clean(`${method} ${shownUrl(url)}`), { headers: Object.keys(headers) });
          if (Object.keys(headers).some((name) => resolved.secretHeaders.has(name.toLowerCase()))) refuseSecretsFor(url);
          // Judged (and resolved) before undici is even asked: a refused host never gets a socket.
          await untilAborted(check(url.hostname), signal);
          // One span per hop; the called service gets the hop's traceparent, so its spans join the run's trace.
          const hop = { method, url, body };
          const response: Dispatcher.ResponseData = await context.trace.span(
            hop.method,
            { 'http.request.method': hop.method, 'url.full': clean(shownUrl(hop.url)), 'server.address': hop.url.hostname },
            async (span) => {
              const answer = await request(hop.url, {
                method: hop.method,
                headers: { ...headers, ...context.trace.headers() },
                body: hop.body,
                signal,
                dispatcher: agent,
                headersTimeout: args.timeoutMs,
                bodyTimeout: args.timeoutMs,
              });
              span.setAttribute('http.response.status_code', answer.statusCode);
              return answer;
            },
          );
          const code = response.statusCode;
          const location = response.headers.location;
          if (REDIRECT_STATUSES.has(code) && typeof location === 'string' && args.followRedirects > 0) {
            await response.body.dump();
            if (redirects >= args.followRedirects) {
              throw new HttpRequestFailure(clean(`${args.method} ${shownUrl(new URL(args.url))}: more than ${args.followRedirects} redirects (followRedirects)`));
            }
            const next = new URL(location, url);
            if (next.protocol !== 'http:' && next.protocol !== 'https:') {
              throw new HttpRequestFailure(clean(`${method} ${shownUrl(url)} redirected to a ${next.protocol} URL, which is not followed`));
            }
            context.log.info(clean(`${code} redirect to ${shownUrl(next)}`));
            if (next.origin !== url.origin) {
              // Credentials were meant for the first origin only (as browsers do with Authorization).
              headers = Object.fromEntries(
                Object.entries(headers).filter(
                  ([name]) => !resolved.secretHeaders.has(name.toLowerCase()) && !CREDENTIAL_HEADERS.has(name.toLowerCase()),
                ),
              );
            }
            if (code === 303 || ((code === 301 || code === 302) && method === 'POST')) {
              // As fetch does: the next hop is a GET without the body.
              if (method !== 'HEAD') method = 'GET';
              body = undefined;
              headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-type'));
            }
            url = next;
            continue;
          }

          const capped = method === 'HEAD' ? { bytes: Buffer.alloc(0), truncated: false } : await readCapped(response.body, settings.maxResponseBytes);
          if (method === 'HEAD') await response.body.dump();
          const contentTypeHeader = response.headers['content-type'];
          const decoded = decodeBody(capped, typeof contentTypeHeader === 'string' ? contentTypeHeader : '', redactor);
          const output: HttpRequestOutput = {
            status: code,
            url: clean(shownUrl(url)),
            redirects,
            headers: selectHeaders(response.headers, redactor),
            body: decoded.body,
            bodyEncoding: decoded.bodyEncoding,
            truncated: capped.truncated,
          };
          context.log.info(clean(`${code} from ${shownUrl(url)}`), { bytes: capped.bytes.length, truncated: capped.truncated });
          if (!isExpected(code, args.expectStatus)) {
            const snippet = typeof output.body === 'string' || output.bodyEncoding === 'json' ? ` — body: ${excerpt(output.body)}` : '';
            throw new HttpRequestFailure(clean(`${method} ${shownUrl(url)} answered ${code}; expected ${expectedText(args.expectStatus)}${snippet}`));
          }
          return output;
        }
      } catch (error) {
        if (context.signal.aborted) throw context.signal.reason;
        if (error instanceof HttpRequestFailure) throw error;
        const cause = refusalIn(error) ?? error;
        // eslint-disable-next-line preserve-caught-error -- the message is redacted of secrets, the cause would not be
        if (cause instanceof RequestRefusedError) throw new Error(clean(`refused ${method} ${shownUrl(url)}: ${cause.message}`));
        if (timeout.aborted || cause instanceof undiciErrors.HeadersTimeoutError || cause instanceof undiciErrors.BodyTimeoutError) {
          throw new HttpRequestFailure(clean(`${method} ${shownUrl(url)} did not answer within ${args.timeoutMs} ms (timeoutMs)`));
        }
        const reason =
          error instanceof Error
            ? cause instanceof Error && cause !== error
              ? `${error.message} (${(cause as NodeJS.ErrnoException).code ?? cause.message})`
              : error.message
            : String(error);
        throw new HttpRequestFailure(clean(`${method} ${shownUrl(url)} failed: ${reason}`));
      } finally {
        await agent.destroy().catch(() => {});
      }
    },
  });
}

function excerpt(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
