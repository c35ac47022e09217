// The admin app is served under a Content-Security-Policy without 'unsafe-eval'. zod compiles object checks with
// `new Function` and probes for it when a schema is built (the probe alone is reported as a CSP violation), so the
// browser runs zod without its JIT. main.tsx imports this module first, before any schema exists.
import { config } from 'zod';

config({ jitless: true });
