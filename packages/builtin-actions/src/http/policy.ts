// Which hosts and addresses http.request may connect to. A host name is judged twice: by name before any lookup
// (metadata names), then by every address it resolves to. The guard connects only to an address it judged.
import {
  METADATA_HOST_NAMES,
  classifyAddress,
  describeKind,
  inCidr,
  normalizeHost,
  parseCidr,
  parseIp,
  type Cidr,
} from './addresses.js';

export interface AddressPolicySettings {
  /** Host names (exact, case-insensitive) and IP addresses or CIDR ranges allowed even when private. */
  allowHosts: readonly string[];
  /** Allow loopback, private, link-local, … addresses. Cloud metadata addresses stay refused. */
  allowPrivate: boolean;
  /** The config key people edit, named in refusals. */
  allowHostsKey?: string;
}

/** A request the guard refused before connecting. The message names the host and the reason. */
export class RequestRefusedError extends Error {
  override name = 'RequestRefusedError';
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(message);
  }
}

/** The guard's refusal behind an undici error (undici wraps connector errors in `cause` at times), or null. */
export function refusalIn(error: unknown): RequestRefusedError | null {
  let current = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (current instanceof RequestRefusedError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export interface AddressPolicy {
  /** Throws RequestRefusedError for a host refused by name or, for an IP literal, by address. */
  checkHost(host: string): void;
  /** Throws RequestRefusedError when `address` (which `host` resolved to) is refused. */
  checkAddress(host: string, address: string): void;
}

/** Problems in the allow list, one per bad entry (empty when all are fine). */
export function allowListProblems(entries: readonly string[]): string[] {
  return entries
    .filter((entry) => entry.includes('/') && !parseCidr(entry))
    .map((entry) => `"${entry}" is neither a host name nor an IP address or CIDR range (like 10.0.0.0/8)`);
}

export function createAddressPolicy(settings: AddressPolicySettings): AddressPolicy {
  const key = settings.allowHostsKey ?? 'builtin.http.allow_hosts';
  const names = new Set<string>();
  const ranges: Cidr[] = [];
  for (const entry of settings.allowHosts) {
    const cidr = parseCidr(entry);
    if (cidr) ranges.push(cidr);
    else if (entry.trim() !== '') names.add(normalizeHost(entry));
  }

  const refuseAddress = (host: string, address: string): void => {
    const ip = parseIp(address);
    if (!ip) throw new RequestRefusedError(host, `${host}: "${address}" is not an IP address`);
    if (ranges.some((cidr) => inCidr(ip, cidr))) return;
    const kind = classifyAddress(ip);
    if (kind === null || (settings.allowPrivate && kind !== 'metadata')) return;
    const isLiteral = normalizeHost(host) === normalizeHost(address);
    throw new RequestRefusedError(
      host,
      isLiteral
        ? `${address} is ${describeKind(kind)}; add it to ${key} to allow it`
        : `${host} resolves to ${address}, ${describeKind(kind)}; add ${host} or ${address} to ${key} to allow it`,
    );
  };

  return {
    checkHost(host) {
      const name = normalizeHost(host);
      if (names.has(name)) return;
      if (parseIp(name)) {
        refuseAddress(name, name);
        return;
      }
      if (METADATA_HOST_NAMES.has(name)) {
        throw new RequestRefusedError(name, `${name} is a cloud metadata host; add it to ${key} to allow it`);
      }
    },
    checkAddress(host, address) {
      const name = normalizeHost(host);
      if (names.has(name)) return;
      refuseAddress(name, normalizeHost(address));
    },
  };
}
