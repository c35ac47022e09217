// GraphQL over WebSocket (the graphql-ws protocol, what Apollo Client and many integrators' clients speak) at the
// GraphQL path, beside Server-Sent Events. Each operation goes through the same Yoga instance (`getEnveloped`): the
// same context (identity from the `authorization` connection parameter, else the upgrade request's session cookie),
// the same document limits (GraphQL Armor), permission checks, subscription guard (close on revoke), metrics and
// audit. What Yoga checks before its plugins — the request's size and variables — is checked here, with the same
// settings. The HTTP server (server.ts) has already refused upgrades for a host not allowed, from a page of another
// origin, or past the per-address connection cap before a request reaches handleUpgrade.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { DocumentNode, ExecutionArgs, GraphQLError, GraphQLSchema } from 'graphql';
import type { YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { GraphQLContext } from '../graphql/context.js';
import { graphql } from '../graphql/plugins/graphql-runtime.js';
import { variablesProblem, type VariablesLimits } from '../graphql/plugins/variables.js';

export interface GraphQLWebSocketOptions {
  yoga: YogaServerInstance<GraphQLContext, object>;
  /** server.max_body_bytes: the largest message a client may send. */
  maxMessageBytes: number;
  variables: VariablesLimits;
}

export interface GraphQLWebSocket {
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every socket (1001, going away) so the HTTP server can finish closing. */
  close(): Promise<void>;
}

/** The operation's functions from Yoga's envelope, carried to execute/subscribe in rootValue (as Yoga documents). */
interface Enveloped {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

/** A Fetch API Request standing for the upgrade request, with the connection's token as its Authorization. */
function requestOf(req: http.IncomingMessage, authorization: unknown): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(', '));
  }
  // A token sent with connection_init wins over the cookie, as an Authorization header does over HTTP.
  if (typeof authorization === 'string') headers.set('authorization', authorization);
  const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return new Request(`${proto}://${req.headers.host ?? 'localhost'}${req.url ?? '/graphql'}`, { headers });
}

function refusal(message: string, code: string) {
  return [new graphql.GraphQLError(message, { extensions: { code } })];
}

export function createGraphQLWebSocket({ yoga, maxMessageBytes, variables }: GraphQLWebSocketOptions): GraphQLWebSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  const server = useServer<Record<string, unknown>>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args) as never,
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        const problem = variablesProblem(payload.variables, variables, 'variables') ?? variablesProblem(payload.extensions, variables, 'extensions');
        if (problem) return refusal(problem, 'BAD_USER_INPUT');
        const request = requestOf(ctx.extra.request, ctx.connectionParams?.authorization);
        const { execute, subscribe, contextFactory, parse, validate, ...enveloped } = yoga.getEnveloped({ request, params: payload });
        // envelop types the schema and the parse and validate results loosely; they are graphql-js's.
        const schema = enveloped.schema as GraphQLSchema;
        let document: DocumentNode;
        try {
          document = parse(payload.query) as DocumentNode;
        } catch (error) {
          // Syntax errors, and GraphQL Armor's token limit, which works in the parser.
          return error instanceof graphql.GraphQLError ? [error] : refusal('The document could not be parsed.', 'GRAPHQL_PARSE_FAILED');
        }
        const errors = validate(schema, document) as readonly GraphQLError[];
        if (errors.length > 0) return errors;
        const rootValue: Enveloped = { execute, subscribe };
        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: await contextFactory(),
          rootValue,
        };
      },
    },
    wss,
  );
  return {
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    async close() {
      await server.dispose();
    },
  };
}
