//! A TLS handshake over both directions: the ClientHello from the client,
//! the ServerHello and certificate from the server. One `tls` event per
//! ClientHello, reported when the server's certificate (TLS 1.3: its
//! ServerHello) is seen, else after [`SERVER_WAIT_US`] of capture time or
//! at the end of the connection; its time is the ClientHello's.

use super::session::{AppItem, AppOutput, ChunkCtx};
use super::tls::{TlsClient, TlsProgress};
use super::tls_ciphers::cipher_name;
use super::tls_server::TlsServer;
use crate::event::TlsBody;
use crate::flow::Direction;
use crate::reassembly::StreamChunk;

/// How long a ClientHello waits for the server's side (capture time).
pub(crate) const SERVER_WAIT_US: i64 = 5_000_000;

#[derive(Debug, Default)]
pub(crate) struct TlsSession {
    client: TlsClient,
    server: TlsServer,
    /// The ClientHello read, with its time, not yet reported.
    hello: Option<(i64, Box<TlsBody>)>,
    /// The client sent no readable hello: nothing will be reported.
    client_gave_up: bool,
    reported: bool,
}

impl TlsSession {
    pub(crate) fn on_chunk(
        &mut self,
        ctx: ChunkCtx,
        chunk: StreamChunk<'_>,
        out: &mut Vec<AppOutput>,
    ) {
        match ctx.dir {
            Direction::Orig => {
                if self.hello.is_some() || self.reported || self.client_gave_up {
                    return;
                }
                match self.client.on_chunk(chunk) {
                    TlsProgress::NeedMore => {}
                    TlsProgress::Hello(body) => self.hello = Some((ctx.ts_us, body)),
                    TlsProgress::GaveUp => self.client_gave_up = true,
                }
            }
            Direction::Resp => self.server.on_chunk(chunk),
        }
        if self.server.done {
            self.report(out);
        }
    }

    /// Reports the hello with what the server said so far.
    fn report(&mut self, out: &mut Vec<AppOutput>) {
        let Some((ts_us, mut body)) = self.hello.take() else {
            return;
        };
        self.reported = true;
        if let Some(h) = &self.server.hello {
            body.cipher = Some(cipher_name(h.cipher));
            body.ja3s = Some(h.ja3s());
        }
        if let Some(c) = self.server.cert.take() {
            body.subject = c.subject;
            body.issuer = c.issuer;
            body.not_before = c.not_before;
            body.not_after = c.not_after;
            body.cert_sha1 = Some(c.sha1);
            body.san = c.names;
        }
        out.push(AppOutput {
            ts_us,
            item: AppItem::Tls(body),
        });
    }

    /// Nothing more to read or report.
    pub(crate) fn done(&self) -> bool {
        self.reported || self.client_gave_up
    }

    pub(crate) fn due_us(&self) -> Option<i64> {
        self.hello.as_ref().map(|(ts, _)| ts + SERVER_WAIT_US)
    }

    pub(crate) fn flush_due(&mut self, now_us: i64, out: &mut Vec<AppOutput>) {
        if self.due_us().is_some_and(|due| due <= now_us) {
            self.report(out);
        }
    }

    pub(crate) fn finish(&mut self, out: &mut Vec<AppOutput>) {
        self.report(out);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tls_hello::tests::{hello_body, sni_ext};
    use super::super::tls_server::tests::{certificate, records, server_hello};
    use super::*;

    fn client_hello() -> Vec<u8> {
        let body = hello_body(0x0303, &[0xc02f], &[(0, sni_ext("s.example"))]);
        let mut hs = vec![1, 0];
        hs.extend_from_slice(&(body.len() as u16).to_be_bytes());
        hs.extend(body);
        records(&hs, 1000)
    }

    fn ctx(dir: Direction, ts_us: i64) -> ChunkCtx {
        ChunkCtx {
            dir,
            ts_us,
            orig_port: 5000,
            resp_port: 443,
            inspect_body: 0,
        }
    }

    fn tls(out: &[AppOutput]) -> Vec<(i64, &TlsBody)> {
        out.iter()
            .filter_map(|o| match &o.item {
                AppItem::Tls(b) => Some((o.ts_us, &**b)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn reported_with_the_certificate_at_the_hello_time() {
        let mut s = TlsSession::default();
        let mut out = Vec::new();
        s.on_chunk(
            ctx(Direction::Orig, 100),
            StreamChunk::Data(&client_hello()),
            &mut out,
        );
        assert!(out.is_empty());
        let hs = [server_hello(0xc02f, &[]), certificate(b"cert")].concat();
        s.on_chunk(
            ctx(Direction::Resp, 200),
            StreamChunk::Data(&records(&hs, 4000)),
            &mut out,
        );
        let got = tls(&out);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, 100);
        assert_eq!(
            got[0].1.cipher.as_deref(),
            Some("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        );
        assert_eq!(got[0].1.cert_sha1.as_ref().map(String::len), Some(40));
        assert!(s.done());
    }

    #[test]
    fn without_an_answer_it_waits_five_seconds_or_the_end() {
        let mut s = TlsSession::default();
        let mut out = Vec::new();
        s.on_chunk(
            ctx(Direction::Orig, 100),
            StreamChunk::Data(&client_hello()),
            &mut out,
        );
        assert_eq!(s.due_us(), Some(100 + SERVER_WAIT_US));
        s.flush_due(100 + SERVER_WAIT_US - 1, &mut out);
        assert!(out.is_empty());
        s.flush_due(100 + SERVER_WAIT_US, &mut out);
        assert_eq!(tls(&out).len(), 1);
        assert_eq!(tls(&out)[0].1.cipher, None);
        let mut s = TlsSession::default();
        let mut out = Vec::new();
        s.on_chunk(
            ctx(Direction::Orig, 100),
            StreamChunk::Data(&client_hello()),
            &mut out,
        );
        s.finish(&mut out);
        s.finish(&mut out);
        assert_eq!(tls(&out).len(), 1, "once");
    }
}
