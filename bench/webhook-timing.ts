// Whether an unknown hook can be told from a known one by how fast it is refused: POST /hooks/<id> with a wrong
// secret, to a hook that exists (401) and to one that does not (404), as bearer and as signed requests, interleaved
// so both meet the same load. Prints the median and p95 of each and the difference of medians. The receiver judges
// an unknown hook against a stand-in secret (services/webhooks/receive.ts), so the figures should match within noise.
// Run: tsx bench/webhook-timing.ts [requests per kind, default 200] [embedded|postgres, default embedded]
// The client runs in the server's thread: both kinds pay for it alike, which the comparison cancels out.
import { performance } from 'node:perf_hooks';
import { signatureHeader } from '../apps/server/src/services/webhooks/secrets.js';
import { percentile, startBenchApi } from './api-setup.js';
import type { DatabaseModeName } from './report.js';

const requests = Number(process.argv[2] ?? 200);
const mode = (process.argv[3] ?? 'embedded') as DatabaseModeName;
const WARM_UP = 20;

const api = await startBenchApi(mode, {
  // Every attempt counts against the per-hook and per-address limits: high enough that none is answered 429.
  webhooks: { requests_per_minute: 100_000, secret_key: 'bench-webhook-sealing-key-0123456789abcdef' },
});
try {
  const created = await api.gql<{ createJob: { job: { id: string } } }>(
    'mutation { createJob(input: { name: "Hooked", action: "bench.noop" }) { ... on MutationCreateJobSuccess { job { id } } } }',
  );
  const jobId = created.data!.createJob.job.id;
  const enabled = await api.gql<{ enableJobWebhook: { result: { webhook: { path: string } } } }>(
    'mutation ($id: ID!) { enableJobWebhook(jobId: $id) { ... on MutationEnableJobWebhookSuccess { result { webhook { path } } } } }',
    { id: jobId },
  );
  const knownPath = enabled.data!.enableJobWebhook.result.webhook.path;
  // Same length and alphabet as a real public id, so nothing but the lookup differs.
  const unknownPath = knownPath.replace(/[^/]+$/, (id) => id.split('').reverse().join(''));
  const body = JSON.stringify({ message: 'timing' });
  const wrongSecret = 'whsec_not-the-secret-of-any-hook-0000000000000000';

  type Kind = 'known bearer' | 'unknown bearer' | 'known signed' | 'unknown signed';
  const send = async (kind: Kind): Promise<{ ms: number; status: number }> => {
    const path = kind.startsWith('known') ? knownPath : unknownPath;
    const auth: Record<string, string> = kind.endsWith('bearer')
      ? { authorization: `Bearer ${wrongSecret}` }
      : { 'sundial-signature': signatureHeader(wrongSecret, Math.floor(Date.now() / 1000), body) };
    const started = performance.now();
    const response = await fetch(`${api.app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body });
    await response.arrayBuffer();
    return { ms: performance.now() - started, status: response.status };
  };

  const kinds: Kind[] = ['known bearer', 'unknown bearer', 'known signed', 'unknown signed'];
  const times = new Map<Kind, number[]>(kinds.map((kind) => [kind, []]));
  const statuses = new Map<Kind, Set<number>>(kinds.map((kind) => [kind, new Set()]));
  for (let round = 0; round < WARM_UP + requests; round += 1) {
    // Interleaved, in an order that rotates, so neither kind always follows the other.
    for (let offset = 0; offset < kinds.length; offset += 1) {
      const kind = kinds[(round + offset) % kinds.length]!;
      const { ms, status } = await send(kind);
      statuses.get(kind)!.add(status);
      if (round >= WARM_UP) times.get(kind)!.push(ms);
    }
  }

  // Each attempt's audit row is written after its answer: let the last ones land before the server stops.
  const attempts = kinds.length * (WARM_UP + requests);
  for (let waited = 0; waited < 30_000; waited += 100) {
    if ((await api.app.database.prisma.auditEvent.count({ where: { action: 'receiveWebhook' } })) >= attempts) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const median = (kind: Kind) => percentile([...times.get(kind)!].sort((a, b) => a - b), 50);
  console.log(`POST /hooks/<id> with a wrong secret, ${requests} requests per kind after ${WARM_UP} warm-up rounds (${mode} database)`);
  for (const kind of kinds) {
    const sorted = [...times.get(kind)!].sort((a, b) => a - b);
    console.log(`  ${kind.padEnd(15)} HTTP ${[...statuses.get(kind)!].join('/')}  median ${percentile(sorted, 50).toFixed(2)} ms  p95 ${percentile(sorted, 95).toFixed(2)} ms`);
  }
  for (const style of ['bearer', 'signed'] as const) {
    const difference = median(`unknown ${style}`) - median(`known ${style}`);
    console.log(`  ${style}: unknown − known median ${difference >= 0 ? '+' : ''}${difference.toFixed(2)} ms`);
  }
} finally {
  await api.close();
}
