import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key a client address is counted under, by every limit per client address (the gateway's
 * edge and auth's abuse limits alike), so no limit is cheaper to evade than another. IPv4
 * addresses count one by one; IPv6 addresses per /64, the block a single subscriber is
 * routinely given (RFC 6177), since every address in it is theirs to rotate through for free.
 * An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) counts as its IPv4 address. Without an
 * address (a caller that gave none), all such requests share one key.
 */
export function addressKey(ip: string | undefined): string {
  if (ip === undefined) return 'ip:unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped && isIPv4(mapped)) return `ip:${mapped}`;
  if (isIPv4(ip)) return `ip:${ip}`;
  if (isIPv6(ip)) return `ip:${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
  return 'ip:unknown';
}

/** The eight 16-bit groups of an IPv6 address, each in lower-case hexadecimal without zeros. */
function expandIPv6(ip: string): string[] {
  const [address] = ip.split('%', 1);
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  // An embedded IPv4 tail (`::1.2.3.4`) is two groups.
  const last = right.length > 0 ? right : left;
  const dotted = last[last.length - 1];
  if (dotted?.includes('.')) {
    const bytes = dotted.split('.').map(Number);
    last.splice(
      last.length - 1,
      1,
      ((bytes[0] << 8) | bytes[1]).toString(16),
      ((bytes[2] << 8) | bytes[3]).toString(16),
    );
  }
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) =>
    parseInt(group, 16).toString(16),
  );
}
