import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from '../../src/modules/events/webhook-url.ts';

/** Internal IPv4 ranges as [first address as a number, prefix length]. */
const INTERNAL_V4: ReadonlyArray<[number, number]> = [
  [0x7f000000, 8], // loopback
  [0x0a000000, 8], // private
  [0xac100000, 12], // private
  [0xc0a80000, 16], // private
  [0xa9fe0000, 16], // link-local, cloud metadata
  [0x64400000, 10], // carrier-grade NAT
  [0x00000000, 8], // unspecified ("this network")
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved, broadcast
];

const internalV4 = fc
  .tuple(fc.constantFrom(...INTERNAL_V4), fc.nat())
  .map(([[base, prefix], host]) => (base + (host % 2 ** (32 - prefix))) >>> 0);

const octets = (n: number): number[] => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const hex = (n: number): string => `0x${n.toString(16)}`;
const octal = (n: number): string => `0${n.toString(8)}`;

/** Every way an address can be written in a URL host: the forms inet_aton and the WHATWG parser accept, and IPv6 wrappings. */
const SPELLINGS: ReadonlyArray<[string, (n: number) => string]> = [
  ['dotted decimal', (n) => octets(n).join('.')],
  ['one decimal number', (n) => String(n)],
  ['one hex number', (n) => hex(n)],
  ['dotted octal', (n) => octets(n).map(octal).join('.')],
  ['dotted hex', (n) => octets(n).map(hex).join('.')],
  ['two parts', (n) => `${n >>> 24}.${n & 0xffffff}`],
  ['three parts', (n) => `${n >>> 24}.${(n >>> 16) & 0xff}.${n & 0xffff}`],
  ['a trailing dot', (n) => `${octets(n).join('.')}.`],
  ['IPv4-mapped IPv6', (n) => `[::ffff:${octets(n).join('.')}]`],
  ['IPv4-mapped IPv6 in hex', (n) => `[::ffff:${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}]`],
  ['IPv4-mapped IPv6 written out', (n) => `[0:0:0:0:0:ffff:${octets(n).join('.')}]`],
];

describe('internal addresses however they are spelled', () => {
  it.each(SPELLINGS)('are refused written as %s', (_, spell) => {
    fc.assert(
      fc.property(internalV4, fc.constantFrom('http', 'https'), (address, scheme) => {
        expect(webhookUrlProblem(`${scheme}://${spell(address)}/hook`)).not.toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it.each(SPELLINGS)('leave a public address written as %s accepted', (_, spell) => {
    expect(webhookUrlProblem(`https://${spell(0x5db8d822)}/hook`)).toBeNull(); // 93.184.216.34
  });
});
