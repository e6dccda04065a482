// A hand-written store per top-level event field (every schema field, endpoints as src/dst,
// and hits), for the wire decoder. Same reason as field-getters.ts: one store written with a
// computed name (`event[name] = value`) is one inline cache for every kind and field, which
// goes megamorphic; a literal per field sees one name added to the few shapes of events being
// built, so V8 caches its transition. The decoder falls back to the computed store for any
// other column (fields newer than this edge). Its test checks that they cover the schema.

export type FieldSetter = (event: Record<string, unknown>, value: unknown) => void

export const FIELD_SETTERS: ReadonlyMap<string, FieldSetter> = new Map<string, FieldSetter>([
  [
    'flow',
    (event, value) => {
      event.flow = value
    },
  ],
  [
    'src',
    (event, value) => {
      event.src = value
    },
  ],
  [
    'dst',
    (event, value) => {
      event.dst = value
    },
  ],
  [
    'query',
    (event, value) => {
      event.query = value
    },
  ],
  [
    'qtype',
    (event, value) => {
      event.qtype = value
    },
  ],
  [
    'rcode',
    (event, value) => {
      event.rcode = value
    },
  ],
  [
    'answers',
    (event, value) => {
      event.answers = value
    },
  ],
  [
    'ttl',
    (event, value) => {
      event.ttl = value
    },
  ],
  [
    'proto',
    (event, value) => {
      event.proto = value
    },
  ],
  [
    'trans_id',
    (event, value) => {
      event.trans_id = value
    },
  ],
  [
    'app',
    (event, value) => {
      event.app = value
    },
  ],
  [
    'state',
    (event, value) => {
      event.state = value
    },
  ],
  [
    'orig_bytes',
    (event, value) => {
      event.orig_bytes = value
    },
  ],
  [
    'resp_bytes',
    (event, value) => {
      event.resp_bytes = value
    },
  ],
  [
    'orig_pkts',
    (event, value) => {
      event.orig_pkts = value
    },
  ],
  [
    'resp_pkts',
    (event, value) => {
      event.resp_pkts = value
    },
  ],
  [
    'duration',
    (event, value) => {
      event.duration = value
    },
  ],
  [
    'orig_flags',
    (event, value) => {
      event.orig_flags = value
    },
  ],
  [
    'resp_flags',
    (event, value) => {
      event.resp_flags = value
    },
  ],
  [
    'method',
    (event, value) => {
      event.method = value
    },
  ],
  [
    'host',
    (event, value) => {
      event.host = value
    },
  ],
  [
    'uri',
    (event, value) => {
      event.uri = value
    },
  ],
  [
    'user_agent',
    (event, value) => {
      event.user_agent = value
    },
  ],
  [
    'referrer',
    (event, value) => {
      event.referrer = value
    },
  ],
  [
    'status',
    (event, value) => {
      event.status = value
    },
  ],
  [
    'content_type',
    (event, value) => {
      event.content_type = value
    },
  ],
  [
    'location',
    (event, value) => {
      event.location = value
    },
  ],
  [
    'body_len',
    (event, value) => {
      event.body_len = value
    },
  ],
  [
    'sni',
    (event, value) => {
      event.sni = value
    },
  ],
  [
    'version',
    (event, value) => {
      event.version = value
    },
  ],
  [
    'alpn',
    (event, value) => {
      event.alpn = value
    },
  ],
  [
    'ja3',
    (event, value) => {
      event.ja3 = value
    },
  ],
  [
    'ja4',
    (event, value) => {
      event.ja4 = value
    },
  ],
  [
    'cipher',
    (event, value) => {
      event.cipher = value
    },
  ],
  [
    'ja3s',
    (event, value) => {
      event.ja3s = value
    },
  ],
  [
    'subject',
    (event, value) => {
      event.subject = value
    },
  ],
  [
    'issuer',
    (event, value) => {
      event.issuer = value
    },
  ],
  [
    'not_before',
    (event, value) => {
      event.not_before = value
    },
  ],
  [
    'not_after',
    (event, value) => {
      event.not_after = value
    },
  ],
  [
    'cert_sha1',
    (event, value) => {
      event.cert_sha1 = value
    },
  ],
  [
    'san',
    (event, value) => {
      event.san = value
    },
  ],
  [
    'list',
    (event, value) => {
      event.list = value
    },
  ],
  [
    'ioc',
    (event, value) => {
      event.ioc = value
    },
  ],
  [
    'indicator',
    (event, value) => {
      event.indicator = value
    },
  ],
  [
    'value',
    (event, value) => {
      event.value = value
    },
  ],
  [
    'field',
    (event, value) => {
      event.field = value
    },
  ],
  [
    'on',
    (event, value) => {
      event.on = value
    },
  ],
  [
    'source',
    (event, value) => {
      event.source = value
    },
  ],
  [
    'direction',
    (event, value) => {
      event.direction = value
    },
  ],
  [
    'name',
    (event, value) => {
      event.name = value
    },
  ],
  [
    'size',
    (event, value) => {
      event.size = value
    },
  ],
  [
    'complete',
    (event, value) => {
      event.complete = value
    },
  ],
  [
    'magic',
    (event, value) => {
      event.magic = value
    },
  ],
  [
    'mime',
    (event, value) => {
      event.mime = value
    },
  ],
  [
    'sha256',
    (event, value) => {
      event.sha256 = value
    },
  ],
  [
    'md5',
    (event, value) => {
      event.md5 = value
    },
  ],
  [
    'command',
    (event, value) => {
      event.command = value
    },
  ],
  [
    'tree',
    (event, value) => {
      event.tree = value
    },
  ],
  [
    'share',
    (event, value) => {
      event.share = value
    },
  ],
  [
    'new_name',
    (event, value) => {
      event.new_name = value
    },
  ],
  [
    'pipe',
    (event, value) => {
      event.pipe = value
    },
  ],
  [
    'created',
    (event, value) => {
      event.created = value
    },
  ],
  [
    'bytes_read',
    (event, value) => {
      event.bytes_read = value
    },
  ],
  [
    'bytes_written',
    (event, value) => {
      event.bytes_written = value
    },
  ],
  [
    'user',
    (event, value) => {
      event.user = value
    },
  ],
  [
    'domain',
    (event, value) => {
      event.domain = value
    },
  ],
  [
    'workstation',
    (event, value) => {
      event.workstation = value
    },
  ],
  [
    'transport',
    (event, value) => {
      event.transport = value
    },
  ],
  [
    'interface',
    (event, value) => {
      event.interface = value
    },
  ],
  [
    'service',
    (event, value) => {
      event.service = value
    },
  ],
  [
    'opnum',
    (event, value) => {
      event.opnum = value
    },
  ],
  [
    'operation',
    (event, value) => {
      event.operation = value
    },
  ],
  [
    'inferred',
    (event, value) => {
      event.inferred = value
    },
  ],
  [
    'request',
    (event, value) => {
      event.request = value
    },
  ],
  [
    'client',
    (event, value) => {
      event.client = value
    },
  ],
  [
    'realm',
    (event, value) => {
      event.realm = value
    },
  ],
  [
    'etypes',
    (event, value) => {
      event.etypes = value
    },
  ],
  [
    'ticket_etype',
    (event, value) => {
      event.ticket_etype = value
    },
  ],
  [
    'error',
    (event, value) => {
      event.error = value
    },
  ],
  [
    'cookie',
    (event, value) => {
      event.cookie = value
    },
  ],
  [
    'protocols',
    (event, value) => {
      event.protocols = value
    },
  ],
  [
    'selected',
    (event, value) => {
      event.selected = value
    },
  ],
  [
    'server',
    (event, value) => {
      event.server = value
    },
  ],
  [
    'helo',
    (event, value) => {
      event.helo = value
    },
  ],
  [
    'from',
    (event, value) => {
      event.from = value
    },
  ],
  [
    'to',
    (event, value) => {
      event.to = value
    },
  ],
  [
    'bytes',
    (event, value) => {
      event.bytes = value
    },
  ],
  [
    'starttls',
    (event, value) => {
      event.starttls = value
    },
  ],
  [
    'arg',
    (event, value) => {
      event.arg = value
    },
  ],
  [
    'reply',
    (event, value) => {
      event.reply = value
    },
  ],
  [
    'type',
    (event, value) => {
      event.type = value
    },
  ],
  [
    'code',
    (event, value) => {
      event.code = value
    },
  ],
  [
    'pkts',
    (event, value) => {
      event.pkts = value
    },
  ],
  [
    'max_len',
    (event, value) => {
      event.max_len = value
    },
  ],
  [
    'entropy',
    (event, value) => {
      event.entropy = value
    },
  ],
  [
    'id',
    (event, value) => {
      event.id = value
    },
  ],
  [
    'set',
    (event, value) => {
      event.set = value
    },
  ],
  [
    'class',
    (event, value) => {
      event.class = value
    },
  ],
  [
    'msg',
    (event, value) => {
      event.msg = value
    },
  ],
  [
    'hits',
    (event, value) => {
      event.hits = value
    },
  ],
])
