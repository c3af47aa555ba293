// The little of the DNS wire format (RFC 1035 section 4) the embedded DNS server needs: read the
// question of a query, and write an answer with the container's IPv4 address, as libnetwork's
// resolver answers a name it knows (moby v20.10.24 libnetwork/resolver.go handleIPQuery,
// createRespMsg: not authoritative, recursion available, TTL 600).

export interface Question {
  id: number;
  /** The name asked, lowercase, without the trailing dot. */
  name: string;
  type: number;
  /** Where the question ends: the answer repeats the query up to here. */
  end: number;
}

export const TYPE_A = 1;
export const TYPE_AAAA = 28;
const CLASS_IN = 1;
/** libnetwork's respTTL. */
const TTL = 600;

/** The first question of a query; undefined for anything that is not one standard query. */
export function readQuestion(msg: Buffer): Question | undefined {
  if (msg.length < 12) return undefined;
  const flags = msg.readUInt16BE(2);
  // A response (QR set), or an opcode other than QUERY: not ours to answer.
  if ((flags & 0x8000) !== 0 || ((flags >> 11) & 0xf) !== 0) return undefined;
  if (msg.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    const len = msg[at];
    if (len === undefined || len > 63) return undefined;
    at += 1;
    if (len === 0) break;
    if (at + len > msg.length) return undefined;
    labels.push(msg.toString('latin1', at, at + len));
    at += len;
  }
  if (at + 4 > msg.length) return undefined;
  const type = msg.readUInt16BE(at);
  return { id: msg.readUInt16BE(0), name: labels.join('.').toLowerCase(), type, end: at + 4 };
}

/** The answer to `query`: its question, and one A record when `ip` is given (none for AAAA). */
export function answer(query: Buffer, q: Question, ip: string | undefined): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  // QR, the query's RD, RA; opcode QUERY, rcode NOERROR.
  header.writeUInt16BE(0x8000 | (query.readUInt16BE(2) & 0x0100) | 0x0080, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(ip === undefined ? 0 : 1, 6);
  const question = query.subarray(12, q.end);
  if (ip === undefined) return Buffer.concat([header, question]);
  const record = Buffer.alloc(16);
  // The name: a pointer to the question's (offset 12).
  record.writeUInt16BE(0xc00c, 0);
  record.writeUInt16BE(TYPE_A, 2);
  record.writeUInt16BE(CLASS_IN, 4);
  record.writeUInt32BE(TTL, 6);
  record.writeUInt16BE(4, 10);
  ip.split('.').forEach((b, i) => record.writeUInt8(Number(b), 12 + i));
  return Buffer.concat([header, question, record]);
}
