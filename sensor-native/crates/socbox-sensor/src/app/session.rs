use super::dcerpc::DceRpcTcp;
use super::dns_tcp::DnsOverTcp;
use super::ftp_data::{FtpDataChannel, FtpDataSession};
use super::http::{HttpSession, HttpTransaction, Tunnelled};
use super::http_file::FileItem;
use super::http_head::looks_like_request;
use super::kerberos::{self, Kerberos};
use super::smb::SmbSession;
use super::socks::{looks_like_socks, SocksHandshake};
use super::tls::looks_like_tls;
use super::tls_session::TlsSession;
use super::{sniff_protocol, StreamProtocol};
use crate::content::{FlowPayload, SigDirection};
use crate::decode::TcpSegment;
use crate::dns::{self, DnsMessage};
use crate::event::{Body, TlsBody};
use crate::flow::{Direction, IcmpStats};
use crate::reassembly::{StreamChunk, TcpStream};

/// Out-of-order bytes held per direction while waiting for a hole to fill.
const OUT_OF_ORDER_CAP: usize = 64 * 1024;

/// Where a chunk of stream data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkCtx {
    pub dir: Direction,
    pub ts_us: i64,
    pub orig_port: u16,
    pub resp_port: u16,
    /// Leading bytes of each HTTP body to keep for content matching
    /// ([`FileItem::inspect`]); 0 keeps none.
    pub inspect_body: usize,
}

/// Something an application parser found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppItem {
    /// A DNS message; `from_orig` tells its direction.
    Dns {
        msg: DnsMessage,
        from_orig: bool,
    },
    Http(HttpTransaction),
    Tls(Box<TlsBody>),
    /// A finished event body (SMB, DCE/RPC, Kerberos, RDP, SSH, SMTP, FTP),
    /// from the originator to the responder.
    Event(Body),
    /// A transferred file (HTTP body, FTP data), with the bytes kept for
    /// content matching.
    File(Box<FileItem>),
    /// The FTP control channel announced a data connection, or what the
    /// announced one carries.
    FtpData(Box<FtpDataChannel>),
    /// The endpoint mapper placed an interface at a TCP port.
    RpcEndpoint(Box<super::dcerpc::RpcEndpoint>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppOutput {
    /// Capture time of the packet that completed the item.
    pub ts_us: i64,
    pub item: AppItem,
}

impl From<HttpTransaction> for AppOutput {
    fn from(t: HttpTransaction) -> Self {
        Self {
            ts_us: t.ts_us,
            item: AppItem::Http(t),
        }
    }
}

#[derive(Debug, Default)]
enum Parser {
    /// No data seen yet.
    #[default]
    Undecided,
    Dns(Box<DnsOverTcp>),
    Http(Box<HttpTunnel>),
    Tls(Box<TlsSession>),
    /// SSH, RDP, SMTP, FTP: parsers of their own behind one interface.
    Stream(Box<dyn StreamProtocol>),
    /// A SOCKS proxy connection: the handshake, then the tunnelled stream
    /// with a parser of its own.
    Socks(Box<SocksTunnel>),
    Smb(Box<SmbSession>),
    DceRpc(Box<DceRpcTcp>),
    Kerberos(Box<Kerberos>),
    /// Known protocol with nothing more to read: bytes are no longer
    /// reassembled.
    Finished(&'static str),
    /// Not a protocol this sensor decodes: bytes are no longer reassembled.
    Ignored,
}

/// HTTP, and the protocol inside a CONNECT tunnel once one opens.
#[derive(Debug, Default)]
struct HttpTunnel {
    http: HttpSession,
    inner: Parser,
}

#[derive(Debug, Default)]
struct SocksTunnel {
    handshake: SocksHandshake,
    inner: Parser,
}

impl Parser {
    fn app(&self) -> Option<&'static str> {
        match self {
            Parser::Dns(_) => Some("dns"),
            Parser::Http(t) => t.inner.app().or(Some("http")),
            Parser::Tls(_) => Some("tls"),
            Parser::Stream(p) => Some(p.app()),
            Parser::Socks(t) => t.inner.app().or(Some("socks")),
            Parser::Smb(_) => Some("smb"),
            Parser::DceRpc(_) => Some("dcerpc"),
            Parser::Kerberos(_) => Some("kerberos"),
            Parser::Finished(app) => Some(app),
            Parser::Undecided | Parser::Ignored => None,
        }
    }

    /// End of the stream: parsers holding unfinished items report them.
    fn finish(&mut self, ts_us: i64, out: &mut Vec<AppOutput>) {
        match self {
            Parser::Http(h) => {
                h.http.finish(out);
                push_files(&mut h.http, out);
                h.inner.finish(ts_us, out);
            }
            Parser::Tls(t) => t.finish(out),
            Parser::Stream(p) => p.finish(ts_us, out),
            Parser::Socks(t) => t.inner.finish(ts_us, out),
            Parser::Smb(s) => s.finish(out),
            Parser::DceRpc(d) => d.finish(out),
            Parser::Kerberos(k) => k.finish(out),
            _ => {}
        }
    }

    /// A side closed its stream (FIN): bodies read until close end whole.
    fn on_fin(&mut self, dir: Direction) {
        match self {
            Parser::Stream(p) => p.on_fin(dir),
            Parser::Http(h) if dir == Direction::Resp => h.http.server_closed = true,
            _ => {}
        }
    }

    /// Items that wait on capture time (a TLS hello without server
    /// answer) and are due at `now_us`.
    fn flush_due(&mut self, now_us: i64, out: &mut Vec<AppOutput>) {
        match self {
            Parser::Tls(t) => t.flush_due(now_us, out),
            Parser::Http(h) => h.inner.flush_due(now_us, out),
            Parser::Socks(t) => t.inner.flush_due(now_us, out),
            _ => {}
        }
    }

    /// When an item of this parser falls due without more packets.
    fn due_us(&self) -> Option<i64> {
        match self {
            Parser::Tls(t) => t.due_us(),
            Parser::Http(h) => h.inner.due_us(),
            Parser::Socks(t) => t.inner.due_us(),
            _ => None,
        }
    }
}

/// Both byte streams of a TCP connection.
#[derive(Debug)]
struct Streams {
    orig: TcpStream,
    resp: TcpStream,
}

impl Streams {
    fn new(isn: [Option<u32>; 2]) -> Box<Self> {
        let mut s = Box::new(Streams {
            orig: TcpStream::new(OUT_OF_ORDER_CAP),
            resp: TcpStream::new(OUT_OF_ORDER_CAP),
        });
        for (stream, isn) in [&mut s.orig, &mut s.resp].into_iter().zip(isn) {
            if let Some(isn) = isn {
                stream.syn(isn);
            }
        }
        s
    }

    fn side(&mut self, dir: Direction) -> &mut TcpStream {
        match dir {
            Direction::Orig => &mut self.orig,
            Direction::Resp => &mut self.resp,
        }
    }
}

/// Per-flow state: both byte streams and the application parser. Kept
/// small for flows that never carry payload (scans, UDP, ICMP): the
/// streams and parsers are allocated by the first payload byte.
#[derive(Debug)]
pub struct Session {
    streams: Option<Box<Streams>>,
    /// Initial sequence numbers of SYNs seen before any payload (orig, resp).
    isn: [Option<u32>; 2],
    parser: Parser,
    /// Messages in the streams that could not be parsed, not yet collected.
    malformed: u32,
    /// Raw payload kept for content signatures (the pipeline scans it).
    pub payload: FlowPayload,
    /// Bytes of each direction to keep in `payload`; 0 keeps none.
    pub payload_cap: usize,
    /// The due time last handed out by [`Session::take_new_due`].
    due_given: Option<i64>,
    /// ICMP flows: what their `icmp` event reports.
    pub icmp: Option<Box<IcmpStats>>,
}

impl Default for Session {
    fn default() -> Self {
        Self {
            streams: None,
            isn: [None; 2],
            parser: Parser::Undecided,
            malformed: 0,
            payload: FlowPayload::default(),
            payload_cap: 0,
            due_given: None,
            icmp: None,
        }
    }
}

impl Session {
    /// Takes the count of unparsable messages seen since the last call.
    pub fn take_malformed(&mut self) -> u32 {
        std::mem::take(&mut self.malformed)
    }

    /// Adds what the parser skipped since the last call (state over its
    /// caps, encrypted SMB3) to `counters`.
    pub fn take_skipped(&mut self, counters: &mut crate::stats::Counters) {
        let (dropped, encrypted) = match &mut self.parser {
            Parser::Smb(s) => s.take_skipped(),
            Parser::Kerberos(k) => (std::mem::take(&mut k.dropped), 0),
            _ => return,
        };
        counters.app_dropped += u64::from(dropped);
        counters.encrypted += u64::from(encrypted);
    }

    /// The application protocol, once known.
    pub fn app(&self) -> Option<&'static str> {
        self.parser.app()
    }

    /// A UDP datagram of a protocol read per datagram (Kerberos); returns
    /// how many were unparsable.
    pub fn on_datagram(&mut self, ctx: ChunkCtx, payload: &[u8], out: &mut Vec<AppOutput>) -> u32 {
        if matches!(self.parser, Parser::Undecided)
            && kerberos::is_kerberos_port(ctx.orig_port, ctx.resp_port)
        {
            self.parser = Parser::Kerberos(Box::default());
        }
        match &mut self.parser {
            Parser::Kerberos(k) => {
                k.on_message(ctx.dir == Direction::Orig, ctx.ts_us, payload, "udp", out)
            }
            _ => 0,
        }
    }

    /// No bytes seen yet: the protocol is not decided.
    pub fn is_undecided(&self) -> bool {
        matches!(self.parser, Parser::Undecided)
    }

    /// The FTP control channel announced this connection: its bytes are a
    /// transferred file.
    pub fn expect_ftp_data(&mut self) {
        if self.is_undecided() {
            self.parser = Parser::Stream(Box::<FtpDataSession>::default());
        }
    }

    /// Capture time at which an item of this session falls due even if no
    /// packet comes ([`Session::flush_due`] then reports it).
    pub fn due_us(&self) -> Option<i64> {
        self.parser.due_us()
    }

    /// The due time, when it changed since the last call: the caller
    /// schedules a [`Session::flush_due`] then.
    pub fn take_new_due(&mut self) -> Option<i64> {
        let due = self.due_us();
        if due == self.due_given {
            return None;
        }
        self.due_given = due;
        due
    }

    /// Reports the items due at `now_us` (capture time).
    pub fn flush_due(&mut self, now_us: i64, out: &mut Vec<AppOutput>) {
        self.parser.flush_due(now_us, out);
    }

    pub fn on_segment(&mut self, ctx: ChunkCtx, seg: &TcpSegment<'_>, out: &mut Vec<AppOutput>) {
        if seg.flags.syn() {
            match &mut self.streams {
                Some(streams) => streams.side(ctx.dir).syn(seg.seq),
                None => {
                    let i = usize::from(ctx.dir == Direction::Resp);
                    self.isn[i].get_or_insert(seg.seq);
                }
            }
        }
        self.parser.flush_due(ctx.ts_us, out);
        if seg.flags.fin() {
            self.parser.on_fin(ctx.dir);
        }
        let sig_dir = SigDirection::from(ctx.dir);
        let keep = self.payload.wants(sig_dir, self.payload_cap);
        if seg.payload.is_empty()
            || (!keep && matches!(self.parser, Parser::Ignored | Parser::Finished(_)))
        {
            return;
        }
        let isn = self.isn;
        let stream = self
            .streams
            .get_or_insert_with(|| Streams::new(isn))
            .side(ctx.dir);
        let (parser, malformed, payload, cap) = (
            &mut self.parser,
            &mut self.malformed,
            &mut self.payload,
            self.payload_cap,
        );
        stream.segment(seg.seq, seg.payload, &mut |chunk| {
            if let (true, StreamChunk::Data(d)) = (keep, chunk) {
                payload.push_stream(sig_dir, d, cap);
            }
            *malformed += on_chunk(parser, ctx, chunk, out)
        });
    }

    /// End of the flow: held bytes are delivered after a gap.
    pub fn finish(&mut self, ctx: ChunkCtx, out: &mut Vec<AppOutput>) {
        let (parser, malformed) = (&mut self.parser, &mut self.malformed);
        if let Some(streams) = &mut self.streams {
            for (dir, stream) in [
                (Direction::Orig, &mut streams.orig),
                (Direction::Resp, &mut streams.resp),
            ] {
                let ctx = ChunkCtx { dir, ..ctx };
                stream.finish(&mut |chunk| *malformed += on_chunk(parser, ctx, chunk, out));
            }
        }
        parser.finish(ctx.ts_us, out);
    }
}

/// Picks the parser from the ports and the first bytes seen.
fn decide(ctx: ChunkCtx, first: &[u8]) -> Parser {
    if dns::is_dns_port(ctx.resp_port) || dns::is_dns_port(ctx.orig_port) {
        return Parser::Dns(Box::default());
    }
    let http = match ctx.dir {
        Direction::Orig => looks_like_request(first),
        Direction::Resp => first.starts_with(b"HTTP/1."),
    };
    if http {
        return Parser::Http(Box::default());
    }
    if let Some(p) = decide_lateral(ctx, first) {
        return p;
    }
    if ctx.dir == Direction::Orig && looks_like_socks(first, ctx.resp_port) {
        return Parser::Socks(Box::default());
    }
    if looks_like_tls(first) {
        return match ctx.dir {
            Direction::Orig => Parser::Tls(Box::default()),
            // The ClientHello was missed: the app is known, nothing to read.
            Direction::Resp => Parser::Finished("tls"),
        };
    }
    match sniff_protocol(ctx, first) {
        Some(p) => Parser::Stream(p),
        None => Parser::Ignored,
    }
}

fn push_files(http: &mut HttpSession, out: &mut Vec<AppOutput>) {
    out.extend(http.take_files().into_iter().map(|f| AppOutput {
        ts_us: f.ts_us,
        item: AppItem::File(Box::new(f)),
    }));
}

/// Hands a chunk to the parser; returns how many messages were unparsable.
fn on_chunk(
    parser: &mut Parser,
    ctx: ChunkCtx,
    chunk: StreamChunk<'_>,
    out: &mut Vec<AppOutput>,
) -> u32 {
    if let (Parser::Undecided, StreamChunk::Data(first)) = (&*parser, chunk) {
        *parser = decide(ctx, first);
    }
    match parser {
        Parser::Dns(d) => {
            let found = d.on_chunk(ctx.dir, chunk);
            let from_orig = ctx.dir == Direction::Orig;
            for msg in found.messages {
                out.push(AppOutput {
                    ts_us: ctx.ts_us,
                    item: AppItem::Dns { msg, from_orig },
                });
            }
            found.malformed
        }
        Parser::Http(h) => {
            let mut tunnel = Tunnelled::default();
            h.http.inspect_cap = ctx.inspect_body;
            h.http.on_chunk(ctx.dir, ctx.ts_us, chunk, out, &mut tunnel);
            push_files(&mut h.http, out);
            let mut malformed = 0;
            if tunnel.gap {
                malformed += on_chunk(&mut h.inner, ctx, StreamChunk::Gap, out);
            }
            if !tunnel.bytes.is_empty() {
                malformed += on_chunk(&mut h.inner, ctx, StreamChunk::Data(&tunnel.bytes), out);
            }
            malformed
        }
        Parser::Tls(t) => {
            t.on_chunk(ctx, chunk, out);
            if t.done() {
                *parser = Parser::Finished("tls");
            }
            0
        }
        Parser::Stream(p) => {
            let malformed = p.on_chunk(ctx, chunk, out);
            if p.done() {
                *parser = Parser::Finished(p.app());
            }
            malformed
        }
        Parser::Socks(t) => {
            let from_client = ctx.dir == Direction::Orig;
            match chunk {
                StreamChunk::Gap if t.handshake.gap(from_client) => {
                    on_chunk(&mut t.inner, ctx, chunk, out)
                }
                StreamChunk::Gap => 0,
                StreamChunk::Data(d) => match t.handshake.take(from_client, d) {
                    Some(bytes) if !bytes.is_empty() => {
                        on_chunk(&mut t.inner, ctx, StreamChunk::Data(&bytes), out)
                    }
                    _ => 0,
                },
            }
        }
        Parser::Smb(s) => s.on_chunk(ctx, chunk, out),
        Parser::Kerberos(k) => k.on_chunk(ctx, chunk, out),
        Parser::DceRpc(d) => {
            let malformed = d.on_chunk(ctx, chunk, out);
            if d.is_done() {
                *parser = Parser::Finished("dcerpc");
            }
            malformed
        }
        Parser::Undecided | Parser::Ignored | Parser::Finished(_) => 0,
    }
}

/// SMB by port or first bytes; DCE/RPC on the endpoint mapper's port or
/// when the client's first bytes are a bind or request PDU.
fn decide_lateral(ctx: ChunkCtx, first: &[u8]) -> Option<Parser> {
    use super::{dcerpc, smb};
    if smb::is_smb_port(ctx.resp_port) || smb::looks_like_smb(first) {
        return Some(Parser::Smb(Box::default()));
    }
    if ctx.resp_port == kerberos::PORT {
        return Some(Parser::Kerberos(Box::default()));
    }
    if ctx.dir == Direction::Orig && (ctx.resp_port == 135 || dcerpc::looks_like_dcerpc(first)) {
        return Some(Parser::DceRpc(Box::default()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tls_hello::tests::{hello_body, sni_ext};
    use super::*;
    use crate::decode::TcpFlags;

    fn segment(seq: u32, payload: &[u8]) -> TcpSegment<'_> {
        TcpSegment {
            src_port: 0,
            dst_port: 0,
            seq,
            ack: 0,
            flags: TcpFlags(TcpFlags::ACK),
            payload,
        }
    }

    fn client_hello_record(sni: &str) -> Vec<u8> {
        let body = hello_body(0x0303, &[0x1301], &[(0, sni_ext(sni))]);
        let mut rec = vec![22, 3, 1];
        rec.extend_from_slice(&((body.len() + 4) as u16).to_be_bytes());
        rec.extend_from_slice(&[1, 0]);
        rec.extend_from_slice(&(body.len() as u16).to_be_bytes());
        rec.extend(body);
        rec
    }

    /// Proxied HTTPS: the ClientHello inside a CONNECT tunnel is read.
    #[test]
    fn tls_inside_http_connect() {
        let mut s = Session::default();
        let mut out = Vec::new();
        let ctx = |dir| ChunkCtx {
            dir,
            ts_us: 0,
            orig_port: 50000,
            resp_port: 3128,
            inspect_body: 0,
        };
        let connect = b"CONNECT www.example.org:443 HTTP/1.1\r\nHost: www.example.org:443\r\n\r\n";
        s.on_segment(ctx(Direction::Orig), &segment(1, connect), &mut out);
        s.on_segment(
            ctx(Direction::Resp),
            &segment(1, b"HTTP/1.1 200 OK\r\n\r\n"),
            &mut out,
        );
        let hello = client_hello_record("www.example.org");
        s.on_segment(
            ctx(Direction::Orig),
            &segment(1 + connect.len() as u32, &hello),
            &mut out,
        );
        s.finish(ctx(Direction::Orig), &mut out);
        let kinds: Vec<String> = out
            .iter()
            .map(|o| match &o.item {
                AppItem::Http(t) => format!("http {}", t.fields.method.as_deref().unwrap_or("")),
                AppItem::Tls(t) => format!("tls {}", t.sni.as_deref().unwrap_or("")),
                AppItem::Dns { .. } => "dns".into(),
                AppItem::Event(b) => b.kind().into(),
                AppItem::File(_) => "file".into(),
                AppItem::FtpData(_) => "ftp-data".into(),
                AppItem::RpcEndpoint(e) => format!("rpc-endpoint {} {}", e.uuid, e.port),
            })
            .collect();
        assert_eq!(kinds, ["http CONNECT", "tls www.example.org"]);
        assert_eq!(s.app(), Some("tls"));
    }
}
