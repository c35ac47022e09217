// Which host a request was sent to and from which client, when a reverse proxy may stand in between. Forwarded
// headers (X-Forwarded-For, -Host, -Proto) are believed only from the proxies listed in server.trust_proxy: from
// anyone else they are removed before any other code sees them, since a client can send whatever it likes. Then the
// Host allow-list (server.allowed_hosts) refuses requests addressed to a name this server is not known by — the
// mark of DNS rebinding, where a page on the attacker's domain is pointed at this server's address.
import type http from 'node:http';
import net from 'node:net';

/** Header the HTTP layer sets to the client's address; a client-sent value is always overwritten. */
export const CLIENT_IP_HEADER = 'x-sundial-client-ip';
const FORWARDED_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded'] as const;
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** `::ffff:127.0.0.1` → `127.0.0.1`; anything else as it is. */
function plainAddress(address: string): string {
  const trimmed = address.trim().replace(/^\[|\]$/g, '');
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(trimmed) ? trimmed.slice(7) : trimmed;
}

export interface ForwardedPolicy {
  /** Addresses and CIDR ranges of trusted proxies (server.trust_proxy); empty: forwarded headers are never used. */
  trustProxy: readonly string[];
  /** Host names besides the loopback names and server.public_url's host (server.allowed_hosts); `*`: any. */
  allowedHosts: readonly string[];
  /** server.public_url, whose host is always allowed. */
  publicUrl: string;
}

export interface ForwardedGuard {
  /**
   * Removes forwarded headers a trusted proxy did not send, sets CLIENT_IP_HEADER, and returns the host the request
   * was addressed to when that host is not allowed (the caller answers 421), else null.
   */
  check(req: http.IncomingMessage): string | null;
}

export function createForwardedGuard(policy: ForwardedPolicy): ForwardedGuard {
  const trusted = new net.BlockList();
  for (const entry of policy.trustProxy) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const type = net.isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(prefix), type);
  }
  const isTrusted = (address: string): boolean => {
    const plain = plainAddress(address);
    const family = net.isIP(plain);
    return family !== 0 && trusted.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };

  const anyHost = policy.allowedHosts.includes('*');
  const allowed = new Set([...LOOPBACK_NAMES, ...policy.allowedHosts].map((host) => host.toLowerCase()));
  if (policy.publicUrl) allowed.add(new URL(policy.publicUrl).hostname.toLowerCase().replace(/^\[|\]$/g, ''));

  return {
    check(req) {
      const peer = plainAddress(req.socket.remoteAddress ?? '');
      let client = peer;
      if (policy.trustProxy.length > 0 && isTrusted(peer)) {
        // Walk X-Forwarded-For from the right: each trusted hop vouches for the address before it.
        const hops = String(req.headers['x-forwarded-for'] ?? '')
          .split(',')
          .map((hop) => plainAddress(hop))
          .filter((hop) => net.isIP(hop) !== 0)
          .reverse();
        for (const hop of hops) {
          if (!isTrusted(client)) break;
          client = hop;
        }
        for (const name of ['x-forwarded-host', 'x-forwarded-proto'] as const) {
          const value = req.headers[name];
          // The first value is what the proxy nearest the client saw.
          if (typeof value === 'string') req.headers[name] = value.split(',')[0]!.trim();
        }
      } else {
        for (const name of FORWARDED_HEADERS) delete req.headers[name];
      }
      req.headers[CLIENT_IP_HEADER] = client;

      if (anyHost) return null;
      const host = String(req.headers['x-forwarded-host'] ?? req.headers.host ?? '');
      const name = hostName(host);
      return allowed.has(name) ? null : name || '(none)';
    },
  };
}

/** `[::1]:4000` → `::1`, `Example.com:80` → `example.com`. */
function hostName(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(1, trimmed.indexOf(']') >= 0 ? trimmed.indexOf(']') : undefined);
  return trimmed.replace(/:\d*$/, '').replace(/\.$/, '');
}

export function misdirectedMessage(host: string): string {
  return `This server does not answer to the host ${host}; add it to server.allowed_hosts if it should.`;
}
