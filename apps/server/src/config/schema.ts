import net from 'node:net';
import { queueName } from '@sundial/job-schema';
import { z } from 'zod';

// Values from the environment arrive as strings; values from sundial.yaml arrive typed. Each field accepts both
// and says, in its message, what is allowed.
const integer = (min: number, max: number) =>
  z
    .union([z.number(), z.string().trim().regex(/^-?\d+$/).transform(Number)], {
      error: `must be a whole number from ${min} to ${max}`,
    })
    .pipe(
      z
        .number()
        .int({ error: `must be a whole number from ${min} to ${max}` })
        .min(min, { error: `must be a whole number from ${min} to ${max}` })
        .max(max, { error: `must be a whole number from ${min} to ${max}` }),
    );

const boolean = z.union([z.boolean(), z.stringbool()], {
  error: 'must be true or false (also accepted: 1/0, yes/no, on/off)',
});

/** true, false, or `auto`: on unless NODE_ENV=production. */
const autoBoolean = z.union([z.literal('auto'), z.boolean(), z.stringbool()], {
  error: 'must be auto, true or false (also accepted: 1/0, yes/no, on/off)',
});

const originList = z.union(
  [
    z.array(z.string().trim()),
    z.string().transform((text) => text.split(',').map((origin) => origin.trim()).filter(Boolean)),
  ],
  { error: 'must be a list of origins like https://admin.example.com (in the environment: comma-separated)' },
).pipe(
  z.array(
    z
      .string()
      .regex(/^https?:\/\/[^/\s]+$/, { error: 'each origin must be scheme://host[:port], without a path, e.g. https://admin.example.com' })
      .transform((origin) => origin.toLowerCase()),
  ),
);

/** An IP address or a CIDR range (server.trust_proxy). */
function isAddressOrRange(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const family = net.isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

const postgresUrl = z
  .string()
  .trim()
  .regex(/^postgres(ql)?:\/\/.+/, { error: 'must be a postgres://… or postgresql://… URL' });

/** `reports=2, exports=1` → { reports: '2', exports: '1' } (each value is checked as a number afterwards). */
function parseQueueLimits(text: string, context: z.RefinementCtx): Record<string, string> {
  const limits: Record<string, string> = {};
  for (const part of text.split(',').map((entry) => entry.trim()).filter(Boolean)) {
    const [name, limit, ...rest] = part.split('=').map((side) => side.trim());
    if (!name || limit === undefined || rest.length > 0) {
      context.addIssue({ code: 'custom', message: `"${part}" must be queue=limit, e.g. reports=2` });
      return {};
    }
    limits[name] = limit;
  }
  return limits;
}

/** Definitions entries (roles, users, jobs): a YAML list here; in the environment, a JSON array. Checked entry by entry on start. */
const definitionList = (what: string) =>
  z
    .union([z.array(z.unknown()), z.string()], { error: `must be a list of ${what}` })
    .transform((value, context) => {
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: `must be a JSON array of ${what} (in sundial.yaml: a YAML list)` });
        return z.NEVER;
      }
    })
    .pipe(z.array(z.unknown(), { error: `must be a JSON array of ${what} (in sundial.yaml: a YAML list)` }));

/** A list from YAML, or comma-separated text from the environment. */
const textList = (error: string) =>
  z.union([z.array(z.string().trim().min(1)), z.string().transform((text) => text.split(',').map((entry) => entry.trim()).filter(Boolean))], { error });

/** Loopback hosts, the only ones an OIDC issuer may be reached at over plain http (a provider on this machine). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

const ISSUER_ERROR = "must be empty or the provider's https:// issuer URL, e.g. https://login.example.com/realms/staff (http:// only for localhost)";

const oidcIssuer = z.union([
  z.literal(''),
  z
    .string()
    .trim()
    .refine(
      (text) => {
        if (!URL.canParse(text)) return false;
        const url = new URL(text);
        return !url.search && !url.hash && (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)));
      },
      { error: ISSUER_ERROR },
    )
    .transform((url) => url.replace(/\/+$/, '')),
], { error: ISSUER_ERROR });

const oidcSection = z
  .strictObject({
    /** The provider's issuer URL (its discovery document is <issuer>/.well-known/openid-configuration). Empty: off. */
    issuer: oidcIssuer.default(''),
    client_id: z.string().trim().default(''),
    /** Never logged or returned. From the environment, or client_secret_file (read by load.ts). */
    client_secret: z.string().default(''),
    /** A file holding the client secret (a container secret); its content, trimmed, is used. */
    client_secret_file: z.string().trim().default(''),
    /** Where the provider sends the browser back. Empty: server.public_url + /auth/oidc/callback. */
    redirect_url: z
      .union([z.literal(''), z.string().trim().regex(/^https?:\/\/[^\s?#]+$/, { error: 'must be empty or an http(s):// URL without ?query or #fragment' })])
      .default(''),
    /** Shown on the sign-in page's button: "Sign in with <name>". */
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(60, { error: 'must be at most 60 characters' }).default('SSO'),
    /** Scopes asked for; openid is always among them. */
    scopes: textList('must be a list of scopes (in the environment: comma-separated)').default(['openid', 'email', 'profile']),
    /** The claim (in the ID token or the userinfo answer) that lists the user's groups. */
    groups_claim: z.string().trim().min(1, { error: 'must name a claim, e.g. groups' }).default('groups'),
    /** IdP group → Sundial role name. A user gets the roles of all their groups that are listed here. */
    role_mapping: z
      .union([z.record(z.string(), z.string().trim().min(1)), z.string()], { error: 'must map group names to role names, e.g. sundial-admins: admin' })
      .transform((value, context) => {
        if (typeof value !== 'string') return value;
        try {
          return JSON.parse(value) as unknown;
        } catch {
          context.addIssue({ code: 'custom', message: 'must be a JSON object of group → role (in sundial.yaml: a mapping)' });
          return z.NEVER;
        }
      })
      .pipe(z.record(z.string(), z.string().trim().min(1), { error: 'must be a JSON object of group → role (in sundial.yaml: a mapping)' }))
      .default({}),
    /** The role of a user none of whose groups is in role_mapping. Empty: such a user is refused. */
    default_role: z.string().trim().default(''),
    /** Create an account for a verified e-mail that has none. false: only existing accounts may sign in. */
    create_users: boolean.default(false),
  })
  .refine((oidc) => !oidc.issuer || oidc.client_id !== '', { error: 'auth.oidc.client_id must be set when auth.oidc.issuer is', path: ['client_id'] })
  .refine((oidc) => !oidc.client_secret || !oidc.client_secret_file, {
    error: 'give either auth.oidc.client_secret or auth.oidc.client_secret_file, not both',
    path: ['client_secret_file'],
  })
  .prefault({});

export const configSchema = z.strictObject({
  server: z
    .strictObject({
      port: integer(0, 65535).default(4000),
      host: z.string().trim().min(1, { error: 'must be a host name or address' }).default('127.0.0.1'),
      /** Seconds a shutdown waits for running actions before it gives up on them. */
      shutdown_grace_seconds: integer(0, 3600).default(30),
      /** Other origins whose pages may call the API with credentials (CORS). Empty: same origin only. */
      cors_origins: originList.default([]),
      /** Largest request body accepted, in bytes; larger requests get 413 before anything reads them. */
      max_body_bytes: integer(1024, 100 * 1024 * 1024).default(1024 * 1024),
      /** The address people reach the admin app at, for links in notifications. Empty: no links. */
      public_url: z
        .union([
          z.literal(''),
          z
            .string()
            .trim()
            .regex(/^https?:\/\/[^\s?#]+$/, { error: 'must be empty or an http(s):// URL without ?query or #fragment, e.g. https://sundial.example.com' })
            .transform((url) => url.replace(/\/+$/, '')),
        ])
        .default(''),
      /**
       * Host names the server answers to besides the loopback names and public_url's host; others get 421 (DNS
       * rebinding). `*`: any host.
       */
      allowed_hosts: z
        .union([z.array(z.string().trim().min(1)), z.string().transform((text) => text.split(',').map((entry) => entry.trim()).filter(Boolean))], {
          error: 'must be a list of host names like sundial.example.com, or * (in the environment: comma-separated)',
        })
        .pipe(z.array(z.string().regex(/^(\*|[A-Za-z0-9.:_[\]-]+)$/, { error: 'each entry must be a host name or address without scheme or port, or *' })))
        .default([]),
      /** Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For/-Host/-Proto are believed. Empty: none. */
      trust_proxy: z
        .union([z.array(z.string().trim().min(1)), z.string().transform((text) => text.split(',').map((entry) => entry.trim()).filter(Boolean))], {
          error: 'must be a list of IP addresses or CIDR ranges like 10.0.0.0/8 (in the environment: comma-separated)',
        })
        .pipe(z.array(z.string().refine(isAddressOrRange, { error: 'each entry must be an IP address or a CIDR range like 10.0.0.0/8 or fd00::/8' })))
        .default([]),
      /** A client must have sent all its headers this soon after connecting (slow-header attacks). */
      headers_timeout_ms: integer(100, 300_000).default(10_000),
      /** …and its whole request, body included; answers (live streams) are not limited by it. */
      request_timeout_ms: integer(100, 3_600_000).default(30_000),
      /** An idle kept-alive connection is closed after this long. */
      keep_alive_timeout_ms: integer(100, 600_000).default(5_000),
      /** Open connections one client address may hold, live streams included; more are closed at once. */
      max_connections_per_address: integer(1, 100_000).default(64),
      /**
       * GraphQL requests this process works on at once; one more is answered 503 with Retry-After at once rather
       * than queued behind the others. Live subscription streams count only until their stream has begun.
       */
      max_requests_in_flight: integer(1, 100_000).default(64),
    })
    .prefault({}),
  graphql: z
    .strictObject({
      /** The GraphiQL page at /graphql in a browser. auto: on unless NODE_ENV=production. */
      graphiql: autoBoolean.default('auto'),
      /** Schema introspection (__schema, __type). auto: on unless NODE_ENV=production. */
      introspection: autoBoolean.default('auto'),
      /** Show unexpected errors' messages and stacks to clients. Only for debugging, never in production. */
      expose_errors: boolean.default(false),
      /** Deepest field nesting an operation may have. */
      max_depth: integer(2, 100).default(15),
      /** Aliases an operation may use. */
      max_aliases: integer(0, 1000).default(15),
      /** Tokens (names, braces, punctuation…) a document may have. */
      max_tokens: integer(100, 100_000).default(2000),
      /** Static cost (graphql-armor's cost limit) an operation may have. */
      max_cost: integer(100, 1_000_000).default(5000),
      /** Directives an operation may use. */
      max_directives: integer(0, 1000).default(10),
      /** Largest variables object accepted, in bytes of JSON. */
      max_variables_bytes: integer(1024, 100 * 1024 * 1024).default(256 * 1024),
      /** Deepest nesting of objects and lists inside the variables. */
      max_variables_depth: integer(2, 1000).default(20),
      /** Mutations a client address may send without signing in (sign-in attempts included), per minute. */
      anonymous_mutations_per_minute: integer(1, 100_000).default(30),
    })
    .prefault({}),
  database: z
    .strictObject({
      /** Empty: the embedded PostgreSQL (PGlite) in data_dir. */
      url: z.union([z.literal(''), postgresUrl]).default(''),
      data_dir: z.string().trim().min(1, { error: 'must be a folder path' }).default('./data'),
      /**
       * Connections this process opens to the database (as its load needs them, then kept open until it stops),
       * shared by the API and the scheduler.
       */
      pool_size: integer(2, 200).default(10),
    })
    .prefault({}),
  jobs: z
    .strictObject({
      /** Whether this process executes jobs. API-only processes set it to false. */
      enabled: boolean.default(true),
      /** Runs this process executes at once. */
      concurrency: integer(1, 1000).default(20),
      /** How often a worker tells the database its runs are alive, in milliseconds. */
      heartbeat_ms: integer(100, 60_000).default(5000),
      /** A running run without a heartbeat for this long lost its worker: it is interrupted (and retried). */
      stale_after_ms: integer(500, 3_600_000).default(30_000),
      /** The queues whose runs this worker takes; empty: every queue. In the environment: comma-separated. */
      queues: z
        .union([z.array(z.unknown()), z.string().transform((text) => text.split(',').map((name) => name.trim()).filter(Boolean))], {
          error: 'must be a list of queue names (in the environment: comma-separated)',
        })
        .pipe(z.array(queueName))
        .transform((names) => [...new Set(names)])
        .default([]),
      /**
       * Runs of a queue running at once across all workers, by queue name; a queue not listed has no limit beyond
       * each worker's concurrency. Every worker must have the same map. In the environment: `reports=2,exports=1`.
       */
      queue_concurrency: z
        .union([z.record(z.string(), z.unknown()), z.string().transform(parseQueueLimits)], {
          error: 'must map queue names to whole numbers (in the environment: reports=2,exports=1)',
        })
        .pipe(z.record(queueName, integer(1, 10_000)))
        .default({}),
    })
    .prefault({}),
  scheduler: z
    .strictObject({
      /** Where Agenda keeps its queue. Empty: the database above; mongodb://…: Agenda's MongoDB backend. */
      url: z
        .union([
          z.literal(''),
          z.string().trim().regex(/^mongodb(\+srv)?:\/\/.+/, { error: 'must be empty or a mongodb://… URL' }),
        ])
        .default(''),
      /** How often a worker looks for queued runs and due timers when no wake-up arrives, in milliseconds. */
      process_every_ms: integer(50, 60_000).default(1000),
      /** A scheduled slot that fires later than this (the process was down) follows the job's misfire policy. */
      misfire_threshold_ms: integer(1000, 86_400_000).default(60_000),
    })
    .prefault({}),
  actions: z
    .strictObject({
      /** Folder whose modules export this install's actions (defineAction). */
      dir: z.string().trim().default('./actions'),
      /** npm packages whose exports are actions, loaded in addition to dir. */
      packages: z
        .union([z.array(z.string().trim().min(1)), z.string().transform((text) => text.split(',').map((name) => name.trim()).filter(Boolean))], {
          error: 'must be a list of package names (in the environment: comma-separated)',
        })
        .default(['@sundial/builtin-actions']),
    })
    .prefault({}),
  builtin: z
    .strictObject({
      http: z
        .strictObject({
          /** Host names, IP addresses and CIDR ranges http.request may reach even though they are private. */
          allow_hosts: z
            .union([z.array(z.string().trim().min(1)), z.string().transform((text) => text.split(',').map((entry) => entry.trim()).filter(Boolean))], {
              error: 'must be a list of host names, IP addresses or CIDR ranges (in the environment: comma-separated)',
            })
            .pipe(
              z.array(
                z.string().refine((entry) => !entry.includes('/') || /^[0-9a-fA-F.:]+\/\d{1,3}$/.test(entry), {
                  error: 'each entry must be a host name, an IP address or a CIDR range like 10.0.0.0/8',
                }),
              ),
            )
            .default([]),
          /** Let http.request reach private, loopback and link-local addresses (never cloud metadata ones). */
          allow_private: boolean.default(false),
          /** `{{secret:NAME}}` in an http.request header reads the environment variable <prefix>NAME. */
          secret_env_prefix: z
            .string()
            .trim()
            .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be the start of an environment variable name, like SUNDIAL_SECRET_' })
            .default('SUNDIAL_SECRET_'),
          /**
           * Secret name → the hosts its value may be sent to (`*.example.com` for subdomains). A secret named nowhere
           * here is sent nowhere: every operator who can save a job could otherwise send it to a host of their choice.
           */
          secret_hosts: z
            .record(
              z.string().regex(/^[A-Za-z0-9_]+$/, { error: 'each key must be a secret name (letters, digits, underscores), as in {{secret:NAME}}' }),
              z
                .union([z.array(z.string().trim().min(1)), z.string().transform((text) => text.split(',').map((entry) => entry.trim()).filter(Boolean))], {
                  error: 'must be a list of host names like api.example.com or *.example.com (in the environment: comma-separated)',
                })
                .pipe(
                  z.array(
                    z.string().regex(/^(\*\.)?[A-Za-z0-9.:[\]-]+$/, {
                      error: 'each entry must be a host name or address, or *.example.com for its subdomains (no scheme, port or path)',
                    }),
                  ),
                ),
              { error: 'must map secret names to lists of hosts, e.g. STATUS_TOKEN: [status.example.com]' },
            )
            .default({}),
          /** Response body bytes http.request keeps in the run's output. */
          max_response_bytes: integer(1024, 10 * 1024 * 1024).default(64 * 1024),
        })
        .prefault({}),
      cleanup: z
        .strictObject({
          /** sundial.cleanup deletes runs that finished more than this many days ago. */
          retention_days: integer(1, 36_500).default(30),
          /** Create (and keep) the daily "Clean up old runs" job on start. */
          schedule_daily: boolean.default(true),
        })
        .prefault({}),
    })
    .prefault({}),
  notifications: z
    .strictObject({
      /** Where job notifications are e-mailed through. Empty host: e-mail notifications fail with a message saying so. */
      smtp: z
        .strictObject({
          host: z.string().trim().default(''),
          port: integer(1, 65535).default(587),
          /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
          secure: boolean.default(false),
          user: z.string().default(''),
          password: z.string().default(''),
          from: z
            .string()
            .trim()
            .refine((from) => /^[^<>@\s]+@[^<>@\s]+$/.test(from) || /^[^<>]*<[^<>@\s]+@[^<>@\s]+>$/.test(from), {
              error: 'must be an e-mail address, optionally with a name: Sundial <sundial@example.com>',
            })
            .default('Sundial <sundial@localhost>'),
        })
        .prefault({}),
      /** Key of the HMAC-SHA256 signature on webhook notifications (X-Sundial-Signature). Empty: unsigned. */
      webhook_secret: z.string().default(''),
      /** Attempts per delivery before it is given up as failed. */
      max_attempts: integer(1, 100).default(8),
      /** Delay before the second attempt; each later one waits twice as long (with jitter), up to backoff_max_ms. */
      backoff_base_ms: integer(10, 3_600_000).default(30_000),
      backoff_max_ms: integer(10, 86_400_000).default(3_600_000),
      /** Longest one attempt may take (connection, SMTP conversation or HTTP answer). */
      timeout_ms: integer(100, 300_000).default(15_000),
      /** How often the delivery loop looks for due deliveries when nothing wakes it. */
      poll_ms: integer(10, 60_000).default(1000),
    })
    .prefault({}),
  webhooks: z
    .strictObject({
      /**
       * Key that seals jobs' webhook secrets in the database (AES-256-GCM), so signed (HMAC) requests can be checked.
       * Empty: hooks accept bearer requests only. The same value on every process; changing it voids sealed secrets.
       */
      secret_key: z
        .string()
        .refine((key) => key === '' || (key.length >= 32 && !/\s/.test(key)), {
          error: 'must be empty or at least 32 characters without spaces (e.g. from `openssl rand -hex 32`)',
        })
        .default(''),
      /** Largest webhook body accepted, in bytes; larger requests get 413. */
      max_body_bytes: integer(2, 10 * 1024 * 1024).default(64 * 1024),
      /** Requests one hook accepts per minute (every attempt counts, refused ones too); more get 429. */
      requests_per_minute: integer(1, 100_000).default(60),
      /** How long a signature's timestamp stays acceptable, either way from the server's clock (replay window). */
      tolerance_seconds: integer(10, 3600).default(300),
      /** How long the secret before a rotation keeps working, so senders can switch over. 0: it stops at once. */
      rotation_overlap_seconds: integer(0, 7 * 24 * 3600).default(3600),
    })
    .prefault({}),
  definitions: z
    .strictObject({
      /** A definitions document (YAML or JSON) applied on start. Empty: none, or the lists below. */
      file: z.string().trim().default(''),
      /** Delete jobs that have a key but are no longer declared (never jobs made in the app, never sundial.*). */
      prune: boolean.default(false),
      /** Calendars, roles, users and jobs declared right here, applied on start (upserted by name, e-mail and key). */
      calendars: definitionList('calendars').default([]),
      roles: definitionList('roles').default([]),
      users: definitionList('users').default([]),
      jobs: definitionList('jobs').default([]),
    })
    .refine(
      (section) => !section.file || (section.calendars.length === 0 && section.roles.length === 0 && section.users.length === 0 && section.jobs.length === 0),
      { error: 'give either definitions.file or calendars/roles/users/jobs under definitions, not both' },
    )
    .prefault({}),
  auth: z
    .strictObject({
      /** The first admin, created on first start. */
      admin_email: z.email({ error: 'must be an e-mail address' }).default('admin@localhost'),
      /** Empty: a password is generated and printed once on first start. */
      admin_password: z.string().default(''),
      /** A browser session ends after this many seconds without a request (30 minutes). */
      session_idle_timeout_seconds: integer(1, 30 * 24 * 3600).default(30 * 60),
      /** A browser session ends this many seconds after its sign-in, however busy (12 hours). */
      session_absolute_timeout_seconds: integer(1, 365 * 24 * 3600).default(12 * 3600),
      /** Admins (accounts that may manage users or roles) must have TOTP two-factor on before their session may do anything. */
      require_totp_for_admins: boolean.default(false),
      /** Failed sign-ins at one account (from every address) in 15 minutes before each further guess must wait. */
      sign_in_attempts_per_account: integer(1, 10_000).default(10),
      /** Failed sign-ins from one client address (at every account) in 15 minutes before that address is refused. */
      sign_in_attempts_per_address: integer(1, 100_000).default(100),
      /** The longest wait between guesses at an account over its limit (the wait doubles from 1 s up to this). */
      sign_in_max_delay_seconds: integer(1, 3600).default(60),
      /** Signing in with an e-mail and a password (the signIn mutation). false: single sign-on only. */
      local_sign_in: boolean.default(true),
      /** Single sign-on with an OpenID Connect provider (services/auth/oidc.ts). Off while issuer is empty. */
      oidc: oidcSection,
    })
    .refine((auth) => auth.local_sign_in || auth.oidc.issuer !== '', {
      error: 'auth.local_sign_in is false but auth.oidc.issuer is empty: nobody could sign in',
      path: ['local_sign_in'],
    })
    .prefault({}),
  metrics: z
    .strictObject({
      /** A second port serving only /metrics (and /readyz) on metrics.host. 0: none. */
      port: integer(0, 65535).default(0),
      /** The address the metrics port listens on. */
      host: z.string().trim().min(1, { error: 'must be a host name or address' }).default('127.0.0.1'),
      /** Bearer token a scrape must send. Set: /metrics is also served on server.port, with this token. Empty: only the metrics port, open. */
      token: z
        .string()
        .refine((token) => token === '' || (token.length >= 16 && !/\s/.test(token)), {
          error: 'must be empty or at least 16 characters without spaces (e.g. from `openssl rand -hex 24`)',
        })
        .default(''),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' }).default('info'),
    })
    .prefault({}),
}).superRefine((config, context) => {
  if (config.auth.oidc.issuer && !config.auth.oidc.redirect_url && !config.server.public_url) {
    context.addIssue({
      code: 'custom',
      path: ['auth', 'oidc', 'issuer'],
      message: 'needs auth.oidc.redirect_url or server.public_url: the address the provider sends browsers back to',
    });
  }
});

export type Config = z.infer<typeof configSchema>;

/** Where the OIDC provider sends the browser back: auth.oidc.redirect_url, or server.public_url's callback path. */
export function oidcRedirectUrl(config: Pick<Config, 'server' | 'auth'>): string {
  return config.auth.oidc.redirect_url || (config.server.public_url ? `${config.server.public_url}/auth/oidc/callback` : '');
}
