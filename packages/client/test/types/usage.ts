// Type checks of dispatch with an install's actions declared (sundial-actions.d.ts, written by
// `sundial client-types` for the shipped actions). Compiled by apps/server/test/unit/client-types.test.ts:
// each expected-error directive below must meet an error, so wrong args are proven refused, and the rest must compile.
import { createClient, type ActionArgs, type ActionName } from '@sundial/client';

const client = createClient({ url: 'http://127.0.0.1:4000', token: 'sdt_example' });

export async function typedDispatch(): Promise<void> {
  await client.dispatch({ action: 'examples.reminder', args: { message: 'Hi {{firstName}}', channel: 'chat' } });
  await client.dispatch({ action: 'http.request', args: { url: 'https://example.com', method: 'POST', body: { a: [1, 'two', null] } } });
  // Args with defaults may be left out.
  await client.dispatch({ action: 'examples.noop' });

  // @ts-expect-error -- not an action of this install
  await client.dispatch({ action: 'examples.unknown', args: {} });
  // @ts-expect-error -- message is required
  await client.dispatch({ action: 'examples.reminder', args: { channel: 'email' } });
  // @ts-expect-error -- channel is email or chat
  await client.dispatch({ action: 'examples.reminder', args: { message: 'Hi', channel: 'sms' } });
  // @ts-expect-error -- no such arg
  await client.dispatch({ action: 'examples.noop', args: { logLine: 3 } });
}

export const names: ActionName[] = ['examples.noop', 'sundial.cleanup'];
export const reminder: ActionArgs<'examples.reminder'> = { message: 'Hi' };
