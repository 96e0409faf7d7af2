// A DNS server on 127.0.0.1 (UDP, any free port) for tests only: it answers the SRV, TXT and
// A records it was given, NXDOMAIN for names it does not know, and an empty answer for a
// known name asked for a type it lacks, as an authoritative server does. mongodb+srv://
// tests point the process's resolver at it (see use-loopback-dns.ts).
import dns2 from 'dns2';
import type { DnsServer } from 'dns2';

export interface SrvTarget {
  /** Host name of the server (an SRV target is a name, never an address). */
  target: string;
  port: number;
  priority?: number;
  weight?: number;
}

export interface DnsRecords {
  /** Keyed by the full name, e.g. `_mongodb._tcp.cluster0.lab.test`. */
  srv?: Record<string, SrvTarget[]>;
  /** Each entry is one TXT record (one string). */
  txt?: Record<string, string[]>;
  /** IPv4 addresses of a name. */
  a?: Record<string, string[]>;
}

export interface LoopbackDns {
  /** "127.0.0.1:PORT", the form dns.setServers takes. */
  server: string;
  port: number;
  readonly records: DnsRecords;
  /** Questions answered so far, as "TYPE name". */
  readonly questions: string[];
  close(): Promise<void>;
}

const { Packet } = dns2;
const TTL = 60;

function normalized(name: string): string {
  return name.toLowerCase().replace(/\.$/u, '');
}

function lookupIn<T>(table: Record<string, T> | undefined, name: string): T | undefined {
  if (table === undefined) return undefined;
  const entry = Object.entries(table).find(([key]) => normalized(key) === name);
  return entry?.[1];
}

function known(records: DnsRecords, name: string): boolean {
  return (
    lookupIn(records.srv, name) !== undefined ||
    lookupIn(records.txt, name) !== undefined ||
    lookupIn(records.a, name) !== undefined
  );
}

export async function startLoopbackDns(records: DnsRecords): Promise<LoopbackDns> {
  const questions: string[] = [];
  const server: DnsServer = dns2.createServer({
    udp: { type: 'udp4' },
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      response.header.aa = 1;
      const [question] = request.questions;
      if (question === undefined || request.errors.length > 0) {
        response.header.rcode = Packet.RCODE.FORMERR;
        void send(response);
        return;
      }
      const name = normalized(question.name);
      const answer = (record: Partial<dns2.Packet.Resource>): void => {
        response.answers.push(Packet.createResourceFromQuestion(question, { ttl: TTL, ...record }));
      };
      if (question.type === Packet.TYPE.SRV) {
        questions.push(`SRV ${name}`);
        for (const srv of lookupIn(records.srv, name) ?? []) {
          answer({
            priority: srv.priority ?? 0,
            weight: srv.weight ?? 0,
            port: srv.port,
            target: srv.target,
          });
        }
      } else if (question.type === Packet.TYPE.TXT) {
        questions.push(`TXT ${name}`);
        for (const text of lookupIn(records.txt, name) ?? []) {
          answer({ data: text });
        }
      } else if (question.type === Packet.TYPE.A) {
        questions.push(`A ${name}`);
        for (const address of lookupIn(records.a, name) ?? []) {
          answer({ address });
        }
      }
      if (!known(records, name)) response.header.rcode = Packet.RCODE.NXDOMAIN;
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = addresses.udp?.port;
  if (port === undefined) throw new Error('the DNS test server has no UDP port');
  return {
    server: `127.0.0.1:${port}`,
    port,
    records,
    questions,
    close: () => server.close(),
  };
}
