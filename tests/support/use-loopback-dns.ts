// Points this process's name resolution at a loopback DNS test server, as a lab machine's
// resolver would point at the lab's DNS, until the returned function restores it.
//
// Two paths need it: the MongoDB driver resolves a mongodb+srv:// name's SRV and TXT records
// with dns.promises.resolve (c-ares: dns.setServers decides where it asks), but connects to
// the SRV targets through net.connect, whose dns.lookup is the system's getaddrinfo and never
// asks c-ares's servers. So dns.lookup is wrapped too, only for the names the test server
// holds A records for; every other name still goes to the system resolver.
import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LoopbackDns } from './loopback-dns-server';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

export function useLoopbackDns(server: LoopbackDns): () => void {
  const previousServers = dns.getServers();
  const originalLookup = dns.lookup;
  const resolver = new dns.promises.Resolver();
  resolver.setServers([server.server]);
  const served = new Set(Object.keys(server.records.a ?? {}).map((name) => name.toLowerCase()));

  dns.setServers([server.server]);
  const lookup = (
    hostname: string,
    optionsOrCallback: LookupOptions | number | LookupCallback,
    maybeCallback?: LookupCallback,
  ): void => {
    const callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
    const options: LookupOptions =
      typeof optionsOrCallback === 'object'
        ? optionsOrCallback
        : typeof optionsOrCallback === 'number'
          ? { family: optionsOrCallback }
          : {};
    if (callback === undefined || !served.has(hostname.toLowerCase().replace(/\.$/u, ''))) {
      (originalLookup as (...args: unknown[]) => void)(hostname, optionsOrCallback, maybeCallback);
      return;
    }
    resolver.resolve4(hostname).then(
      (addresses) => {
        if (options.all === true) {
          callback(
            null,
            addresses.map((address) => ({ address, family: 4 })),
          );
        } else {
          callback(null, addresses[0] ?? '', 4);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
  dns.lookup = lookup as typeof dns.lookup;
  return () => {
    dns.lookup = originalLookup;
    dns.setServers(previousServers);
  };
}
