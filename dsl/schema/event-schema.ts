// The event vocabulary of README.md §1 as data: every kind, its fields and their types. The
// checker types rule fields against it and the language reference lists it. Keep it in step
// with README.md (the contract) — event-schema.test.ts compares the two.

import type { ValueType } from '../src/runtime/functions.ts'
import type { IocKind } from '../src/runtime/types.ts'

export type FieldSpec = {
  type: ValueType
  doc: string
  /** The IOC kind a sensor list can match on this field, so `field in intel("x")` is checkable. */
  ioc?: IocKind
  /** Closed set of values, where the contract names them. */
  values?: readonly string[]
}

export type KindSpec = { doc: string; fields: Record<string, FieldSpec> }

const endpoint = (side: 'source' | 'destination'): Record<string, FieldSpec> => {
  const prefix = side === 'source' ? 'src' : 'dst'
  return {
    [`${prefix}.ip`]: { type: 'ip', doc: `${side} address`, ioc: 'ip' },
    [`${prefix}.port`]: { type: 'number', doc: `${side} port` },
    [`${prefix}.internal`]: {
      type: 'bool',
      doc: `true when the ${side} is in the sensor's home networks`,
    },
  }
}

/** Fields every event carries (README §1). */
export const COMMON_FIELDS: Record<string, FieldSpec> = {
  kind: { type: 'string', doc: 'the event kind' },
  ts: { type: 'number', doc: 'capture time, integer ms since the epoch' },
  flow: { type: 'string', doc: 'community-id v1 of the flow (`1:base64`)' },
  ...endpoint('source'),
  ...endpoint('destination'),
}

export const EVENT_KINDS: Record<string, KindSpec> = {
  dns: {
    doc: 'one DNS transaction: the query joined with its response',
    fields: {
      query: { type: 'string', doc: 'queried name, lower case, no trailing dot', ioc: 'domain' },
      qtype: { type: 'string', doc: 'query type: A, AAAA, TXT…, TYPE<n> when unknown' },
      rcode: {
        type: 'string',
        doc: 'response code (NOERROR, NXDOMAIN…); absent without a response',
      },
      answers: { type: 'string[]', doc: 'answer addresses and names in answer order', ioc: 'ip' },
      ttl: { type: 'number', doc: 'smallest answer TTL, seconds' },
      proto: { type: 'string', doc: 'transport', values: ['udp', 'tcp'] },
      trans_id: { type: 'number', doc: 'DNS transaction id' },
    },
  },
  conn: {
    doc: 'one flow (connection), emitted when it ends and every 30 min while it lasts; src is the originator',
    fields: {
      proto: { type: 'string', doc: 'tcp, udp, icmp, else the IP protocol number' },
      app: {
        type: 'string',
        doc: 'detected application protocol (dns, http, tls, smb, dcerpc, kerberos, rdp, ssh, smtp, ftp); absent when unknown',
      },
      state: {
        type: 'string',
        doc: 'Zeek-style connection state (S0 = no answer, REJ = rejected, SF = normal…)',
        values: [
          'S0',
          'S1',
          'SF',
          'REJ',
          'S2',
          'S3',
          'RSTO',
          'RSTR',
          'RSTOS0',
          'RSTRH',
          'SH',
          'SHR',
          'OTH',
        ],
      },
      orig_bytes: { type: 'number', doc: 'transport payload bytes from the originator' },
      resp_bytes: { type: 'number', doc: 'transport payload bytes from the responder' },
      orig_pkts: { type: 'number', doc: 'packets from the originator' },
      resp_pkts: { type: 'number', doc: 'packets from the responder' },
      duration: { type: 'number', doc: 'ms from the first to the last packet' },
      orig_flags: {
        type: 'string',
        doc: 'TCP only: every flag the originator sent, as letters in bit order FSRPAUEC ("" none; FPU = Xmas probe)',
      },
      resp_flags: {
        type: 'string',
        doc: 'TCP only: every flag the responder sent, as letters in bit order FSRPAUEC ("" none)',
      },
    },
  },
  http: {
    doc: 'one HTTP/1.x request and its response; response fields are absent without a response',
    fields: {
      method: { type: 'string', doc: 'request method (GET, POST…)' },
      host: { type: 'string', doc: 'Host header, lower case, port kept as sent', ioc: 'domain' },
      uri: {
        type: 'string',
        doc: 'request target as sent (URL lists match the normalised host/uri)',
        ioc: 'url',
      },
      user_agent: { type: 'string', doc: 'User-Agent header' },
      referrer: { type: 'string', doc: 'Referer header' },
      status: { type: 'number', doc: 'response status code' },
      content_type: { type: 'string', doc: 'response Content-Type' },
      location: { type: 'string', doc: 'response Location header (redirect target)' },
      body_len: { type: 'number', doc: 'response body bytes after de-chunking' },
    },
  },
  tls: {
    doc: 'one TLS ClientHello',
    fields: {
      sni: { type: 'string', doc: 'server name sent by the client, lower case', ioc: 'domain' },
      version: { type: 'string', doc: 'highest version offered: TLSv1.3, TLSv1.2…, else 0x<hex>' },
      alpn: { type: 'string[]', doc: 'offered application protocols in order' },
      ja3: { type: 'string', doc: 'JA3 fingerprint (MD5 hex)', ioc: 'ja3' },
      ja4: { type: 'string', doc: 'FoxIO JA4 fingerprint (TCP form)', ioc: 'ja4' },
      cipher: { type: 'string', doc: "server's selected cipher suite (IANA name or 0x<hex>)" },
      ja3s: { type: 'string', doc: 'JA3S fingerprint of the ServerHello (MD5 hex)' },
      subject: { type: 'string', doc: "server leaf certificate's subject (RFC 4514)" },
      issuer: { type: 'string', doc: "server leaf certificate's issuer (RFC 4514)" },
      not_before: { type: 'number', doc: 'certificate validity start, ms since the epoch' },
      not_after: { type: 'number', doc: 'certificate validity end, ms since the epoch' },
      cert_sha1: {
        type: 'string',
        doc: 'SHA-1 of the leaf certificate (hex); absent under TLS 1.3',
        ioc: 'hash',
      },
      san: {
        type: 'string[]',
        doc: "leaf certificate's DNS names (subjectAltName, else a host-name CN), lower case",
        ioc: 'domain',
      },
    },
  },
  intel: {
    doc: 'the record of a native IOC hit, tied to the event that hit',
    fields: {
      list: { type: 'string', doc: 'list id' },
      ioc: {
        type: 'string',
        doc: 'IOC kind',
        values: ['domain', 'ip', 'url', 'ja3', 'ja4', 'hash'],
      },
      indicator: { type: 'string', doc: 'the list entry that matched (e.g. the parent domain)' },
      value: { type: 'string', doc: 'the observed value' },
      field: { type: 'string', doc: 'the field that hit, e.g. query' },
      on: { type: 'string', doc: 'the kind of the event that hit' },
    },
  },
  file: {
    doc: 'one transferred file or body (HTTP, SMB, FTP, SMTP), hashed and typed by magic bytes',
    fields: {
      source: {
        type: 'string',
        doc: 'protocol that carried it',
        values: ['http', 'smb', 'ftp', 'smtp'],
      },
      direction: {
        type: 'string',
        doc: 'download: towards the flow originator; upload: from it (ftp: relative to the FTP client, also in active mode)',
        values: ['download', 'upload'],
      },
      name: {
        type: 'string',
        doc: 'file name when known (URI segment, Content-Disposition, SMB path)',
      },
      size: { type: 'number', doc: 'body bytes seen' },
      complete: { type: 'bool', doc: 'true when the whole file was seen within the hashing cap' },
      magic: {
        type: 'string',
        doc: 'type from the first bytes',
        values: [
          'pe',
          'elf',
          'macho',
          'zip',
          'jar',
          'ooxml',
          'ole',
          'pdf',
          'rar',
          '7z',
          'gzip',
          'cab',
          'script',
          'html',
          'text',
          'unknown',
        ],
      },
      mime: { type: 'string', doc: 'declared Content-Type' },
      sha256: { type: 'string', doc: 'SHA-256 hex; only when complete', ioc: 'hash' },
      md5: { type: 'string', doc: 'MD5 hex; only when complete', ioc: 'hash' },
      host: { type: 'string', doc: 'http only: Host of the request', ioc: 'domain' },
      uri: { type: 'string', doc: 'http only: request target', ioc: 'url' },
    },
  },
  smb: {
    doc: 'one notable SMB1/SMB2/SMB3 command (reads and writes folded into CLOSE)',
    fields: {
      version: { type: 'number', doc: 'negotiated dialect major: 1, 2 or 3' },
      command: {
        type: 'string',
        doc: 'the command',
        values: ['SESSION_SETUP', 'TREE_CONNECT', 'CREATE', 'CLOSE', 'RENAME', 'DELETE'],
      },
      status: { type: 'string', doc: 'NT status name (STATUS_SUCCESS…) or 0x<hex>' },
      tree: { type: 'string', doc: 'tree path as sent, e.g. \\\\10.0.0.5\\ADMIN$' },
      share: { type: 'string', doc: 'last component of the tree, upper case (ADMIN$, C$, IPC$)' },
      name: { type: 'string', doc: 'file or pipe name inside the share' },
      new_name: { type: 'string', doc: 'RENAME target' },
      pipe: { type: 'bool', doc: 'true when name is a named pipe on IPC$' },
      created: { type: 'bool', doc: 'CREATE: a new file was created or overwritten' },
      bytes_read: { type: 'number', doc: 'CLOSE: bytes read through that open' },
      bytes_written: { type: 'number', doc: 'CLOSE: bytes written through that open' },
      user: { type: 'string', doc: 'SESSION_SETUP: NTLMSSP user name' },
      domain: { type: 'string', doc: 'SESSION_SETUP: NTLMSSP domain' },
      workstation: { type: 'string', doc: 'SESSION_SETUP: NTLMSSP workstation' },
    },
  },
  dcerpc: {
    doc: 'one DCE/RPC request (interface and operation), over SMB pipes or TCP',
    fields: {
      transport: { type: 'string', doc: 'carrier', values: ['smb', 'tcp'] },
      pipe: { type: 'string', doc: 'named pipe (over SMB)' },
      interface: { type: 'string', doc: 'bound interface UUID, lower case' },
      service: { type: 'string', doc: 'well-known interface name: svcctl, drsuapi, spoolss…' },
      opnum: { type: 'number', doc: 'operation number; absent for a bind never called' },
      operation: { type: 'string', doc: 'well-known operation name, e.g. CreateServiceW' },
      inferred: {
        type: 'bool',
        doc: 'true when the bind was not on this connection and the interface was learned for its server endpoint (earlier bind, endpoint mapper)',
      },
    },
  },
  kerberos: {
    doc: 'one Kerberos AS or TGS request joined with its reply',
    fields: {
      request: { type: 'string', doc: 'request type', values: ['AS', 'TGS'] },
      client: { type: 'string', doc: 'client principal name' },
      realm: { type: 'string', doc: 'realm' },
      service: { type: 'string', doc: 'server principal joined by /, e.g. krbtgt/CORP.LOCAL' },
      etypes: { type: 'string[]', doc: 'requested encryption types in order (rc4-hmac…)' },
      ticket_etype: { type: 'string', doc: 'encryption type of the issued ticket' },
      error: { type: 'string', doc: 'KRB-ERROR name; absent on success' },
      proto: { type: 'string', doc: 'transport', values: ['udp', 'tcp'] },
    },
  },
  rdp: {
    doc: 'one RDP (X.224) connection request',
    fields: {
      cookie: { type: 'string', doc: 'mstshash user name' },
      protocols: { type: 'string[]', doc: 'requested security protocols (rdp, tls, hybrid…)' },
      selected: { type: 'string', doc: "the server's chosen protocol" },
    },
  },
  ssh: {
    doc: 'one SSH connection: both identification strings',
    fields: {
      client: { type: 'string', doc: "client's identification string (SSH-2.0-…)" },
      server: { type: 'string', doc: "server's identification string" },
    },
  },
  smtp: {
    doc: 'one SMTP mail transaction',
    fields: {
      helo: { type: 'string', doc: 'HELO/EHLO argument' },
      from: { type: 'string', doc: 'MAIL FROM address' },
      to: { type: 'string[]', doc: 'RCPT TO addresses' },
      subject: { type: 'string', doc: 'Subject header when the message is in clear' },
      bytes: { type: 'number', doc: 'message size' },
      starttls: { type: 'bool', doc: 'true when STARTTLS was accepted' },
      status: { type: 'number', doc: 'last reply code' },
    },
  },
  ftp: {
    doc: 'one FTP command with its reply',
    fields: {
      command: { type: 'string', doc: 'command, upper case (USER, STOR, RETR…)' },
      arg: { type: 'string', doc: 'argument; never kept for PASS' },
      reply: { type: 'number', doc: 'reply code' },
      user: { type: 'string', doc: "the session's USER" },
    },
  },
  icmp: {
    doc: 'one ICMP flow (queries and replies: same addresses and identifier), emitted when it ends',
    fields: {
      type: { type: 'number', doc: 'ICMP type of the first packet' },
      code: { type: 'number', doc: 'ICMP code of the first packet' },
      pkts: { type: 'number', doc: 'packets both ways' },
      bytes: { type: 'number', doc: 'payload bytes both ways' },
      max_len: { type: 'number', doc: 'largest payload, bytes' },
      entropy: { type: 'number', doc: 'Shannon entropy of the payload, bits per byte (0–8)' },
    },
  },
  sig: {
    doc: 'the record of a content-signature hit, tied to the event that hit',
    fields: {
      id: { type: 'string', doc: 'signature id, e.g. et-open:2019401' },
      set: { type: 'string', doc: 'signature set, e.g. et-open' },
      class: { type: 'string', doc: 'class id given by the signature' },
      msg: { type: 'string', doc: 'the signature message' },
      field: { type: 'string', doc: 'where it matched: http.uri, payload…' },
      on: { type: 'string', doc: 'the kind of the event that hit; conn for raw payload' },
    },
  },
}

/** The type of `path` on events of `kind`, or undefined when no such field exists. */
export function fieldSpec(kind: string, path: string): FieldSpec | undefined {
  return COMMON_FIELDS[path] ?? EVENT_KINDS[kind]?.fields[path]
}

export function fieldNames(kind: string): string[] {
  return [...Object.keys(COMMON_FIELDS), ...Object.keys(EVENT_KINDS[kind]?.fields ?? {})]
}
