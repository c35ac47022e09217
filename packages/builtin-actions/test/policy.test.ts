// The SSRF guard's rules on their own: which addresses are refused, what the allow-list lets through, and what
// the refusals say. (The guard in action, against real servers, is in apps/server/test/integration/builtin-http.)
import { describe, expect, it } from 'vitest';
import { classifyAddress, createAddressPolicy, parseCidr, parseIp, allowListProblems } from '../src/index.js';
import { embeddedIpv4 } from '../src/http/addresses.js';
import { createRedactor } from '../src/http/redaction.js';
import { resolveSecretHeaders } from '../src/http/secrets.js';

const kindOf = (address: string) => classifyAddress(parseIp(address)!);

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['fd00:ec2::254', 'metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::10.0.0.1', 'private'],
    ['64:ff9b::10.1.2.3', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:0a00:0001::1', 'private'],
  ])('%s is %s', (address, kind) => {
    expect(kindOf(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.0', '100.63.255.255', '100.128.0.0', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(kindOf(address)).toBeNull();
    },
  );

  it('finds the IPv4 address inside mapped, NAT64 and 6to4 addresses', () => {
    expect([...embeddedIpv4(parseIp('::ffff:1.2.3.4')!)!.bytes]).toEqual([1, 2, 3, 4]);
    expect([...embeddedIpv4(parseIp('64:ff9b::102:304')!)!.bytes]).toEqual([1, 2, 3, 4]);
    expect([...embeddedIpv4(parseIp('2002:102:304::')!)!.bytes]).toEqual([1, 2, 3, 4]);
    expect(embeddedIpv4(parseIp('2606:4700::1')!)).toBeNull();
  });
});

describe('parseCidr', () => {
  it('reads ranges and single addresses', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ version: 4, prefix: 8 });
    expect(parseCidr('127.0.0.1')).toMatchObject({ version: 4, prefix: 32 });
    expect(parseCidr('::1')).toMatchObject({ version: 6, prefix: 128 });
    expect(parseCidr('fd00::/8')).toMatchObject({ version: 6, prefix: 8 });
    for (const bad of ['10.0.0.0/33', 'example.com/8', '10.0.0.0/8/1', 'localhost', '::1/129']) expect(parseCidr(bad)).toBeNull();
  });

  it('reports allow-list entries that are neither names nor ranges', () => {
    expect(allowListProblems(['localhost', '10.0.0.0/8', '::1'])).toEqual([]);
    expect(allowListProblems(['10.0.0.0/99'])).toEqual(['"10.0.0.0/99" is neither a host name nor an IP address or CIDR range (like 10.0.0.0/8)']);
  });
});

describe('createAddressPolicy', () => {
  const refusal = (check: () => void): string => {
    try {
      check();
    } catch (error) {
      return (error as Error).message;
    }
    return 'allowed';
  };

  it('refuses private addresses by default, naming the host, the reason and the setting', () => {
    const policy = createAddressPolicy({ allowHosts: [], allowPrivate: false });
    expect(refusal(() => policy.checkHost('127.0.0.1'))).toBe('127.0.0.1 is a loopback address; add it to builtin.http.allow_hosts to allow it');
    expect(refusal(() => policy.checkHost('[::1]'))).toBe('::1 is a loopback address; add it to builtin.http.allow_hosts to allow it');
    expect(refusal(() => policy.checkHost('169.254.169.254'))).toBe(
      '169.254.169.254 is a cloud metadata address; add it to builtin.http.allow_hosts to allow it',
    );
    expect(refusal(() => policy.checkHost('METADATA.google.internal.'))).toBe(
      'metadata.google.internal is a cloud metadata host; add it to builtin.http.allow_hosts to allow it',
    );
    expect(refusal(() => policy.checkAddress('db.internal.example', '10.1.2.3'))).toBe(
      'db.internal.example resolves to 10.1.2.3, a private address; add db.internal.example or 10.1.2.3 to builtin.http.allow_hosts to allow it',
    );
    expect(refusal(() => policy.checkHost('example.com'))).toBe('allowed');
    expect(refusal(() => policy.checkAddress('example.com', '93.184.215.14'))).toBe('allowed');
  });

  it('lets allowed names and ranges through, and nothing more', () => {
    const policy = createAddressPolicy({ allowHosts: ['LocalHost', '10.20.0.0/16', '::1'], allowPrivate: false });
    expect(refusal(() => policy.checkAddress('localhost', '127.0.0.1'))).toBe('allowed');
    expect(refusal(() => policy.checkHost('10.20.3.4'))).toBe('allowed');
    expect(refusal(() => policy.checkAddress('svc.example', '10.20.3.4'))).toBe('allowed');
    expect(refusal(() => policy.checkAddress('svc.example', '10.21.0.1'))).toMatch(/^svc\.example resolves to 10\.21\.0\.1, a private address/);
    expect(refusal(() => policy.checkHost('::1'))).toBe('allowed');
    expect(refusal(() => policy.checkHost('127.0.0.1'))).toMatch(/loopback/);
  });

  it('allow_private opens private ranges but never the metadata addresses', () => {
    const policy = createAddressPolicy({ allowHosts: [], allowPrivate: true });
    expect(refusal(() => policy.checkHost('10.0.0.1'))).toBe('allowed');
    expect(refusal(() => policy.checkHost('127.0.0.1'))).toBe('allowed');
    expect(refusal(() => policy.checkHost('169.254.169.254'))).toMatch(/cloud metadata address/);
    expect(refusal(() => policy.checkHost('fd00:ec2::254'))).toMatch(/cloud metadata address/);
    expect(refusal(() => policy.checkHost('metadata.google.internal'))).toMatch(/cloud metadata host/);
  });
});

describe('header secrets', () => {
  it('resolves {{secret:NAME}} from the prefixed variable and redacts the values', () => {
    const env: Record<string, string> = { SUNDIAL_SECRET_TOKEN: 's3cr3t-value', SUNDIAL_SECRET_USER: 'bob' };
    const resolved = resolveSecretHeaders(
      { Authorization: 'Bearer {{ secret:TOKEN }}', 'X-User': '{{secret:USER}}', Accept: 'application/json' },
      (name) => env[name],
      'SUNDIAL_SECRET_',
    );
    expect(resolved.headers).toEqual({ Authorization: 'Bearer s3cr3t-value', 'X-User': 'bob', Accept: 'application/json' });
    expect([...resolved.secretHeaders]).toEqual(['authorization', 'x-user']);
    expect(createRedactor(resolved.secrets).text('got Bearer s3cr3t-value for bob')).toBe('got Bearer [redacted] for [redacted]');
  });

  it('names the missing variable, not a value', () => {
    expect(() => resolveSecretHeaders({ Authorization: 'Bearer {{secret:NOPE}}' }, () => undefined, 'SUNDIAL_SECRET_')).toThrow(
      'header Authorization refers to secret NOPE, but the environment variable SUNDIAL_SECRET_NOPE is not set',
    );
  });
});
