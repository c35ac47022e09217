// The one place http.request connects: an undici Agent whose connector judges the host before connecting and
// resolves names itself, checks EVERY address the name resolves to, and hands the socket only those checked
// addresses. The socket connects to what was checked — a DNS answer that changes between the check and the
// connection (DNS rebinding) is never asked for, because there is no second lookup. Every redirect hop opens its
// connection through here too.
import dns from 'node:dns';
import type { LookupAddress } from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { AddressPolicy } from './policy.js';

export type ResolveHost = (host: string) => Promise<LookupAddress[]>;

/** getaddrinfo, as the operating system resolves (hosts file included), every address in its order. */
export const resolveWithSystem: ResolveHost = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

export interface GuardedAgentOptions {
  policy: AddressPolicy;
  resolve?: ResolveHost;
  /** Longest wait for a TCP (and TLS) connection. */
  connectTimeoutMs: number;
}

export interface GuardedAgent {
  agent: Agent;
  /**
   * Judges a host before anything connects: by name, then (for a name) every address it resolves to. The
   * addresses are kept, and the connection later uses exactly those (no second lookup).
   */
  check(host: string): Promise<void>;
}

export function createGuardedAgent({ policy, resolve = resolveWithSystem, connectTimeoutMs }: GuardedAgentOptions): GuardedAgent {
  // Checked answers by host name, for this agent's life (one action run).
  const checked = new Map<string, Promise<LookupAddress[]>>();
  const resolveChecked = (hostname: string): Promise<LookupAddress[]> => {
    let answer = checked.get(hostname);
    if (!answer) {
      answer = resolve(hostname).then((addresses) => {
        if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
        for (const { address } of addresses) policy.checkAddress(hostname, address);
        return addresses;
      });
      checked.set(hostname, answer);
    }
    return answer;
  };

  const lookup: LookupFunction = (hostname, options, callback) => {
    resolveChecked(hostname)
      .then((addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((entry) => entry.family === options.family) : addresses;
        if (options.all) {
          callback(null, wanted);
        } else {
          const first = (wanted[0] ?? addresses[0]) as LookupAddress;
          callback(null, first.address, first.family);
        }
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };
  const connect = buildConnector({ lookup, timeout: connectTimeoutMs });
  const agent = new Agent({
    // One request at a time per origin and no reuse after the run: the agent lives for one action run.
    connections: 1,
    connect(options, callback) {
      try {
        // IP literals never reach `lookup` (the socket needs no lookup for them): they are judged here.
        policy.checkHost(options.hostname);
      } catch (error) {
        callback(error as Error, null);
        return;
      }
      connect(options, callback);
    },
  });
  return {
    agent,
    async check(host) {
      policy.checkHost(host);
      const name = host.startsWith('[') ? host.slice(1, -1) : host;
      if (net.isIP(name) === 0) await resolveChecked(name);
    },
  };
}
