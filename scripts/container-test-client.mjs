#!/usr/bin/env node
// The GraphQL side of scripts/container-test.sh: the calls a user of the image makes (sign in, create a token,
// dispatch a job, read a run), each a subcommand, with plain Node (fetch) so the test needs nothing installed.
// Every wait polls the server until the state it waits for is there, or fails with what it saw last.
//   health   <url> <timeoutSeconds>                       waits for /healthz to answer 200, prints it
//   token    <url> <email> <password>                     signs in, prints a new API token's secret
//   dispatch <url> <token> <inputJson>                    dispatches, prints the queued run's id
//   wait-run <url> <token> <runId> <STATUS> <timeoutSec>  waits until the run has STATUS (fails on another final one)
//   run      <url> <token> <runId>                        prints the run as JSON
import { setTimeout as sleep } from 'node:timers/promises';

const FINAL = new Set(['SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'INTERRUPTED', 'SKIPPED']);
const POLL_MS = 200;

function fail(message) {
  process.stderr.write(`container-test-client: ${message}\n`);
  process.exit(1);
}

async function graphql(url, { query, variables, token, cookie }) {
  const response = await fetchWithin(30_000, `${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) fail(`GraphQL error (HTTP ${response.status}): ${JSON.stringify(body.errors)}`);
  return { data: body.data, response };
}

/**
 * A request that gives up after timeoutMs. Until the server listens, Docker's port proxy accepts the connection
 * and closes it without an answer, and fetch can wait on such a socket forever: the timer ends the wait.
 */
async function fetchWithin(timeoutMs, url, init = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    return await fetch(url, { ...init, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

async function health(url, timeoutSeconds) {
  const deadline = Date.now() + Number(timeoutSeconds) * 1000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetchWithin(2000, `${url}/healthz`);
      const text = await response.text();
      if (response.ok) return text;
      last = `HTTP ${response.status} ${text}`;
    } catch (error) {
      last = error.cause?.code ?? error.cause?.message ?? error.message;
    }
    await sleep(POLL_MS);
  }
  fail(`${url}/healthz did not answer 200 within ${timeoutSeconds}s (last: ${last})`);
}

async function token(url, email, password) {
  const signIn = await graphql(url, {
    query: 'mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { email } }',
    variables: { email, password },
  });
  const cookie = signIn.response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  if (!cookie) fail('signIn set no session cookie');
  const created = await graphql(url, {
    query: 'mutation Token($name: String!) { createApiToken(name: $name) { secret } }',
    variables: { name: `container-test-${Date.now()}` },
    cookie,
  });
  return created.data.createApiToken.secret;
}

async function dispatch(url, secret, inputJson) {
  const { data } = await graphql(url, {
    query: `mutation Dispatch($input: DispatchInput!) {
      dispatch(input: $input) {
        __typename
        ... on MutationDispatchSuccess { result { status run { id } } }
        ... on Error { message }
      }
    }`,
    variables: { input: JSON.parse(inputJson) },
    token: secret,
  });
  const answer = data.dispatch;
  if (answer.__typename !== 'MutationDispatchSuccess' || !answer.result.run) fail(`dispatch: ${JSON.stringify(answer)}`);
  return answer.result.run.id;
}

async function readRun(url, secret, id) {
  const { data } = await graphql(url, {
    query: 'query Run($id: ID!) { run(id: $id) { id status attempt statusReason errorMessage output startedAt finishedAt job { name } } }',
    variables: { id },
    token: secret,
  });
  if (!data.run) fail(`run ${id} not found`);
  return data.run;
}

async function waitRun(url, secret, id, status, timeoutSeconds) {
  const deadline = Date.now() + Number(timeoutSeconds) * 1000;
  let run = await readRun(url, secret, id);
  while (run.status !== status) {
    if (FINAL.has(run.status)) fail(`run ${id} ended ${run.status} while waiting for ${status}: ${JSON.stringify(run)}`);
    if (Date.now() > deadline) fail(`run ${id} is still ${run.status} after ${timeoutSeconds}s (waiting for ${status})`);
    await sleep(POLL_MS);
    run = await readRun(url, secret, id);
  }
  return JSON.stringify(run);
}

const [command, ...args] = process.argv.slice(2);
const commands = {
  health: () => health(args[0], args[1] ?? 120),
  token: () => token(args[0], args[1], args[2]),
  dispatch: () => dispatch(args[0], args[1], args[2]),
  'wait-run': () => waitRun(args[0], args[1], args[2], args[3], args[4] ?? 60),
  run: async () => JSON.stringify(await readRun(args[0], args[1], args[2])),
};
if (!commands[command]) fail(`unknown command ${command ?? '(none)'}; one of ${Object.keys(commands).join(', ')}`);
process.stdout.write(`${await commands[command]()}\n`);
