import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Loopback addresses: 127.0.0.0/8 and ::1 (RFC 1122 3.2.1.3, RFC 4291 2.5.3). */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True when the host (as the WHATWG URL parser returns it) is a loopback address or `localhost`. */
function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost') return true;
  // The URL parser already normalizes IPv4 (e.g. 2130706433 -> 127.0.0.1) and IPv6 ([0::1] -> [::1]).
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (isIPv4(host)) return LOOPBACK.check(host, 'ipv4');
  if (isIPv6(host)) return LOOPBACK.check(host, 'ipv6');
  return false;
}

/**
 * Why an endpoint URL is refused, or undefined when it is fine (callers name the flag or variable
 * and the value). Every request a client sends carries
 * the access key id, the session token and a SigV4 signature, so a plain-HTTP endpoint anywhere
 * but on this machine would expose them (and a replayable signed request) to the network.
 */
export function endpointUrlProblem(value: string): string | undefined {
  const expected =
    'expected an https:// URL, or http:// to a loopback address (127.0.0.0/8, [::1] or localhost): every request carries your access key id, session token and a signature';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `not a URL; ${expected}`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return expected;
}
