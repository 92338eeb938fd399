import { addressKey } from './client-address';

describe('addressKey', () => {
  it.each([
    ['an IPv4 address', '192.0.2.7', 'ip:192.0.2.7'],
    ['an IPv4-mapped IPv6 address', '::ffff:192.0.2.7', 'ip:192.0.2.7'],
    ['an IPv6 address, by its /64', '2001:db8:1:2:3:4:5:6', 'ip:2001:db8:1:2::/64'],
    ['another address of the same /64', '2001:0DB8:0001:0002:ffff::1', 'ip:2001:db8:1:2::/64'],
    ['a compressed one', '2001:db8::1', 'ip:2001:db8:0:0::/64'],
    ['the loopback', '::1', 'ip:0:0:0:0::/64'],
    ['one with an IPv4 tail', '64:ff9b::192.0.2.1', 'ip:64:ff9b:0:0::/64'],
    ['one with a zone', 'fe80::1%eth0', 'ip:fe80:0:0:0::/64'],
    ['no address', undefined, 'ip:unknown'],
    ['something else', 'not an address', 'ip:unknown'],
  ])('counts %s', (_case, ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });

  it('keeps different /64 blocks apart', () => {
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
  });
});
