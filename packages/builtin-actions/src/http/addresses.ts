// IP addresses as bytes, CIDR ranges, and which ranges http.request refuses by default (SSRF guard).
// Written out here rather than taken from a library so every refused range is visible and tested in one place.
import net from 'node:net';

export interface IpAddress {
  version: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
}

export interface Cidr {
  version: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
}

/** Why an address is refused by default. `metadata` stays refused even with builtin.http.allow_private. */
export type AddressKind =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'carrier-grade NAT'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'metadata';

/** "127.0.0.1 is a loopback address": the article for each kind. */
export function describeKind(kind: AddressKind): string {
  switch (kind) {
    case 'metadata':
      return 'a cloud metadata address';
    case 'unspecified':
      return 'an unspecified ("this network") address';
    default:
      return `a ${kind} address`;
  }
}

export function parseIp(text: string): IpAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const version = net.isIP(bare);
  if (version === 4) return { version: 4, bytes: Uint8Array.from(bare.split('.').map(Number)) };
  if (version === 6) return { version: 6, bytes: parseIpv6(bare) };
  return null;
}

/** net.isIP has already accepted the text: groups, one optional `::`, an optional dotted IPv4 tail, a zone. */
function parseIpv6(text: string): Uint8Array {
  const withoutZone = text.split('%')[0] as string;
  let groups: number[];
  const toGroups = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const gap = withoutZone.indexOf('::');
  if (gap === -1) {
    groups = toGroups(withoutZone);
  } else {
    const head = toGroups(withoutZone.slice(0, gap));
    const tail = toGroups(withoutZone.slice(gap + 2));
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** `10.0.0.0/8`, `fc00::/7`, or a single address (`127.0.0.1`, `::1`) meaning /32 or /128. Null when not one. */
export function parseCidr(text: string): Cidr | null {
  const [address, prefixText, extra] = text.trim().split('/');
  if (address === undefined || extra !== undefined) return null;
  const ip = parseIp(address);
  if (!ip) return null;
  const max = ip.version === 4 ? 32 : 128;
  if (prefixText === undefined) return { ...ip, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { ...ip, prefix: Number(prefixText) };
}

export function inCidr(ip: IpAddress, cidr: Cidr): boolean {
  if (ip.version !== cidr.version) return false;
  let bits = cidr.prefix;
  for (let index = 0; bits > 0; index += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip.bytes[index] as number) & mask) !== ((cidr.bytes[index] as number) & mask)) return false;
  }
  return true;
}

const range = (text: string): Cidr => {
  const cidr = parseCidr(text);
  if (!cidr) throw new Error(`bad built-in range ${text}`);
  return cidr;
};

// Order matters: the first match names the kind, so the metadata addresses come before link-local and private.
const IPV4_RANGES: readonly [Cidr, AddressKind][] = [
  [range('169.254.169.254'), 'metadata'],
  [range('0.0.0.0/8'), 'unspecified'],
  [range('10.0.0.0/8'), 'private'],
  [range('100.64.0.0/10'), 'carrier-grade NAT'],
  [range('127.0.0.0/8'), 'loopback'],
  [range('169.254.0.0/16'), 'link-local'],
  [range('172.16.0.0/12'), 'private'],
  [range('192.0.0.0/24'), 'reserved'],
  [range('192.168.0.0/16'), 'private'],
  [range('198.18.0.0/15'), 'reserved'],
  [range('224.0.0.0/4'), 'multicast'],
  [range('240.0.0.0/4'), 'reserved'],
];

const IPV6_RANGES: readonly [Cidr, AddressKind][] = [
  [range('fd00:ec2::254'), 'metadata'],
  [range('::1'), 'loopback'],
  [range('::'), 'unspecified'],
  [range('64:ff9b:1::/48'), 'private'],
  [range('100::/64'), 'reserved'],
  [range('2001::/32'), 'reserved'],
  [range('2001:db8::/32'), 'reserved'],
  [range('fc00::/7'), 'private'],
  [range('fe80::/10'), 'link-local'],
  [range('fec0::/10'), 'private'],
  [range('ff00::/8'), 'multicast'],
];

/**
 * The IPv4 address an IPv6 address carries and would reach, if any: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::). Checked like IPv4, so
 * `::ffff:127.0.0.1` is loopback.
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | null {
  if (ip.version !== 6) return null;
  const b = ip.bytes;
  const zeros = (from: number, to: number) => b.slice(from, to).every((byte) => byte === 0);
  const tail = () => ({ version: 4 as const, bytes: b.slice(12, 16) });
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return tail();
  if (zeros(0, 12) && !zeros(12, 16) && !(zeros(12, 15) && b[15] === 1)) return tail();
  if (inCidr(ip, range('64:ff9b::/96'))) return tail();
  if (b[0] === 0x20 && b[1] === 0x02) return { version: 4, bytes: b.slice(2, 6) };
  return null;
}

/** The kind of a refused-by-default address, or null for an ordinary public address. */
export function classifyAddress(ip: IpAddress): AddressKind | null {
  const inner = embeddedIpv4(ip);
  if (inner) return classifyAddress(inner);
  const ranges = ip.version === 4 ? IPV4_RANGES : IPV6_RANGES;
  for (const [cidr, kind] of ranges) if (inCidr(ip, cidr)) return kind;
  return null;
}

/** Host names of cloud metadata services, refused before any lookup. */
export const METADATA_HOST_NAMES: ReadonlySet<string> = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

/** Lower case, no trailing dot, no brackets: how host names and allow-list entries are compared. */
export function normalizeHost(host: string): string {
  const lower = host.trim().toLowerCase().replace(/\.$/, '');
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
}
