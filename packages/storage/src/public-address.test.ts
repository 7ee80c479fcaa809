import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isPublicAddress, type InterfaceList } from './public-address.js';

const noInterfaces: InterfaceList = {};

describe('isPublicAddress', () => {
  it.each([['8.8.8.8'], ['1.1.1.1'], ['93.184.216.34'], ['2606:4700:4700::1111'], ['::ffff:8.8.8.8']])(
    'lets %s through',
    (address) => {
      expect(isPublicAddress(address, noInterfaces)).toBe(true);
    },
  );

  it.each([
    ['127.0.0.1', 'IPv4 loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'TEST-NET-1'],
    ['198.51.100.10', 'TEST-NET-2'],
    ['203.0.113.10', 'TEST-NET-3'],
    ['198.18.0.1', 'IPv4 benchmarking'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped link-local, hex form'],
    ['::7f00:1', 'IPv4-compatible loopback'],
    ['::127.0.0.1', 'IPv4-compatible loopback, dotted form'],
    ['::808:808', 'IPv4-compatible, even of a public IPv4 address'],
    ['64:ff9b::7f00:1', 'NAT64'],
    ['64:ff9b::8.8.8.8', 'NAT64, even of a public IPv4 address'],
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['2002:7f00:1::1', '6to4'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['fec0::1', 'site-local'],
    ['fc00::1', 'unique local'],
    ['fd00::2', 'unique local'],
    ['fe80::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['2001:2::1', 'IPv6 benchmarking'],
    ['localhost', 'a name, not an address'],
    ['127.1', 'IPv4 shorthand no resolver answers with'],
    ['', 'empty'],
    ['not an address', 'garbage'],
  ])('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address, noInterfaces)).toBe(false);
  });

  it("refuses every address of this machine's own interfaces", () => {
    const own = Object.values(networkInterfaces())
      .flat()
      .map((entry) => entry?.address);
    expect(own.length).toBeGreaterThan(0);
    for (const address of own) expect(isPublicAddress(address ?? '')).toBe(false);
  });

  it('refuses an otherwise public address that one of the interfaces carries', () => {
    const eth0: NetworkInterfaceInfo = {
      address: '8.8.4.4',
      netmask: '255.255.255.0',
      family: 'IPv4',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: '8.8.4.4/24',
    };
    const ipv6: NetworkInterfaceInfo = {
      address: '2606:4700:4700::1001',
      netmask: 'ffff:ffff:ffff:ffff::',
      family: 'IPv6',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: '2606:4700:4700::1001/64',
      scopeid: 0,
    };
    const interfaces: InterfaceList = { eth0: [eth0, ipv6] };
    expect(isPublicAddress('8.8.4.4', interfaces)).toBe(false);
    expect(isPublicAddress('::ffff:8.8.4.4', interfaces)).toBe(false);
    expect(isPublicAddress('2606:4700:4700:0:0:0:0:1001', interfaces)).toBe(false);
    expect(isPublicAddress('8.8.8.8', interfaces)).toBe(true);
  });
});
