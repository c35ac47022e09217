// Revoking a token or removing a permission closes that identity's open subscriptions within seconds, over
// Server-Sent Events and over a WebSocket alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { subscribe } from '../support/subscribe.js';
import { subscribeWs } from '../support/subscribe-ws.js';

const FEED = 'subscription { runFeed { id status } }';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

describe.each([
  ['Server-Sent Events', subscribe],
  ['a WebSocket', subscribeWs],
] as const)('over %s', (_transport, subscribe) => {
  it('closes the subscriptions of a revoked token with a last message saying why', async () => {
    const created = await api.gql<{ createApiToken: { secret: string; token: { id: string } } }>('mutation { createApiToken(name: "watcher") { secret token { id } } }');
    const { secret, token } = created.data!.createApiToken;
    const feed = await subscribe(api.url, FEED, {}, secret);
    const other = await subscribe(api.url, FEED, {}, api.adminToken);
    await api.gql('mutation($id: ID!) { revokeApiToken(id: $id) { id } }', { id: token.id });
    const last = await feed.waitFor((event) => Boolean(event.errors), 8000, 'the closing message');
    expect(last.errors?.[0]?.message).toBe('subscription closed: this API token is no longer valid');
    await feed.ended;
    // Another identity's subscription stays open.
    expect(other.events.some((event) => event.errors)).toBe(false);
    other.close();
  });

  it('closes them when a permission the identity had is removed from its role', async () => {
    const watcher = await api.tokenWith(['JOBS_READ', 'RUNS_EXECUTE']);
    const feed = await subscribe(api.url, FEED, {}, watcher);
    const role = await api.app.database.prisma.role.findFirstOrThrow({ where: { permissions: { equals: ['JOBS_READ', 'RUNS_EXECUTE'] } } });
    await api.app.database.prisma.role.update({ where: { id: role.id }, data: { permissions: ['JOBS_READ'] } });
    const last = await feed.waitFor((event) => Boolean(event.errors), 8000, 'the closing message');
    expect(last.errors?.[0]?.message).toBe('subscription closed: permission removed: RUNS_EXECUTE');
    await feed.ended;
  });
});
