/** The throttle key of a caller's address: IPv4 as is, IPv6 by its /64, anything else one bucket. */
import { expect, it } from 'vitest';
import { UNKNOWN_ADDRESS, addressKey } from '../../src/http/client-address';

it.each([
  ['an IPv4 address', '198.51.100.7', '198.51.100.7'],
  ['a full IPv6 address', '2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd', '2001:db8:0:1::/64'],
  ['a compressed IPv6 address', '2001:db8:0:1::5', '2001:db8:0:1::/64'],
  ['upper-case IPv6', '2001:DB8:0:1::6', '2001:db8:0:1::/64'],
  ['a compression inside the prefix', '2001:db8::1', '2001:db8:0:0::/64'],
  ['the loopback', '::1', '0:0:0:0::/64'],
  ['an IPv4-mapped IPv6 address', '::ffff:198.51.100.7', '198.51.100.7'],
])('keys %s', (_name, raw, key) => {
  expect(addressKey(raw)).toBe(key);
});

it.each([
  ['an empty value', ''],
  ['markup', '<script>'],
  ['two compressions', '2001::db8::1'],
  ['too many hextets', '1:2:3:4:5:6:7:8:9'],
  ['too few hextets', '1:2:3'],
  ['a list of addresses', '198.51.100.1, 10.0.0.1'],
  ['a long hextet', '12345::1'],
])('puts %s in the unknown bucket', (_name, raw) => {
  expect(addressKey(raw)).toBe(UNKNOWN_ADDRESS);
});

it('gives two addresses of one /64 the same key and the next /64 another', () => {
  expect(addressKey('2001:db8:0:1::a')).toBe(addressKey('2001:db8:0:1:ffff::b'));
  expect(addressKey('2001:db8:0:2::a')).not.toBe(addressKey('2001:db8:0:1::a'));
});
