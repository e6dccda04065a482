//! SMB1 and SMB2/3 over TCP (445 direct, 139 NetBIOS session): framing,
//! request/response matching, the tree, open and session state needed for
//! `smb` events, and the named pipes whose bytes are DCE/RPC. Encrypted
//! SMB3 (transform header) and compressed messages are counted, not read.

mod nbss;
mod ntlmssp;
mod smb1;
mod smb2;
mod status;

use std::collections::HashMap;

use nbss::{Frame, Nbss};
use status::status_name;

use super::dcerpc::{Call, DceRpcConn, EVENTS_PER_CONNECTION};
use super::{AppItem, AppOutput, ChunkCtx};
use crate::event::{Body, FileBody, SmbBody};
use crate::file::{Digest, DEFAULT_CAP};
use crate::flow::Direction;
use crate::reassembly::StreamChunk;

/// Longest message read whole; longer ones (big READs and WRITEs) are
/// read from their first bytes and the rest is counted, not held.
const MESSAGE_CAP: usize = 72 * 1024;
/// Requests waiting for their response, per connection.
const MAX_PENDING: usize = 1024;
/// Tree connects and opens remembered per connection.
const MAX_TREES: usize = 256;
const MAX_OPENS: usize = 1024;
/// Files hashed at once per connection (each holds a digest and the first
/// bytes for typing, about 9 KiB).
const MAX_TRANSFERS: usize = 16;

/// TCP ports SMB is served on.
pub(crate) fn is_smb_port(port: u16) -> bool {
    matches!(port, 445 | 139)
}

/// Whether a stream's first bytes are a NetBIOS session message holding
/// SMB.
pub(crate) fn looks_like_smb(first: &[u8]) -> bool {
    first.len() >= 8 && first[0] == 0 && matches!(first[4], 0xfc..=0xff) && &first[5..8] == b"SMB"
}

/// A connected share.
#[derive(Debug, Clone)]
struct Tree {
    path: String,
    share: String,
    /// IPC$: its opens are named pipes.
    ipc: bool,
}

/// An open file or pipe.
#[derive(Debug)]
struct Open {
    name: String,
    tree: Option<Tree>,
    bytes_read: u64,
    bytes_written: u64,
    /// The DCE/RPC association on a named pipe.
    rpc: Option<Box<DceRpcConn>>,
    /// File data written by the client and read from the server (not on
    /// pipes).
    upload: Option<Box<Transfer>>,
    download: Option<Box<Transfer>>,
}

/// One direction of a file's data through an open. Only a sequential
/// transfer from offset 0 is hashed; any other offset makes it incomplete.
#[derive(Debug)]
struct Transfer {
    digest: Digest,
    /// Offset the next piece should start at.
    next: u64,
    /// Capture time of the first byte.
    ts_us: i64,
}

impl Transfer {
    fn new(ts_us: i64) -> Self {
        Self {
            digest: Digest::new(DEFAULT_CAP),
            next: 0,
            ts_us,
        }
    }

    /// Bytes at `offset` of the file.
    fn at(&mut self, offset: u64, data: &[u8]) {
        if offset != self.next {
            self.digest.mark_incomplete();
        }
        self.more(data);
        self.next = offset.saturating_add(data.len() as u64);
    }

    /// Bytes right after the previous ones.
    fn more(&mut self, data: &[u8]) {
        self.digest.update(data);
        self.next = self.next.saturating_add(data.len() as u64);
    }
}

/// What an SMB session found: `AppItem::Event`s with the capture time of
/// their request.
pub(crate) type SmbOutput = AppOutput;

/// Counters of one session's unusual messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct SmbCounts {
    /// Unparsable messages or lost framing.
    pub malformed: u32,
    /// SMB3 encrypted (transform) or compressed messages, not read.
    pub encrypted: u32,
    /// Requests, trees or opens not remembered because a table was full.
    pub dropped: u32,
}

/// Per-connection SMB state.
#[derive(Debug)]
pub(crate) struct SmbSession {
    framers: [Nbss; 2],
    /// Major version of the dialect, once negotiated (0: not seen).
    dialect_major: u8,
    pending2: HashMap<u64, smb2::Pending>,
    pending1: HashMap<(u16, u16), Vec<smb1::Pending>>,
    trees: HashMap<u64, Tree>,
    opens: HashMap<u128, Open>,
    rpc_budget: u16,
    calls: Vec<Call>,
    /// Per direction (client, server): the open whose data the rest of a
    /// long message carries.
    tail: [Option<u128>; 2],
    /// Transfers being hashed (at most `MAX_TRANSFERS`).
    transfers: usize,
    pub(crate) counts: SmbCounts,
}

impl Default for SmbSession {
    fn default() -> Self {
        Self {
            framers: [Nbss::new(MESSAGE_CAP), Nbss::new(MESSAGE_CAP)],
            dialect_major: 0,
            pending2: HashMap::new(),
            pending1: HashMap::new(),
            trees: HashMap::new(),
            opens: HashMap::new(),
            rpc_budget: EVENTS_PER_CONNECTION,
            calls: Vec::new(),
            tail: [None, None],
            transfers: 0,
            counts: SmbCounts::default(),
        }
    }
}

impl SmbSession {
    /// Bytes held across chunks (framing and pipe PDUs).
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.framers.iter().map(Nbss::held).sum::<usize>()
            + self
                .opens
                .values()
                .filter_map(|o| o.rpc.as_ref().map(|r| r.held()))
                .sum::<usize>()
    }

    /// Takes the dropped and encrypted counts since the last call.
    pub(crate) fn take_skipped(&mut self) -> (u32, u32) {
        (
            std::mem::take(&mut self.counts.dropped),
            std::mem::take(&mut self.counts.encrypted),
        )
    }

    /// Takes a chunk of either direction; returns how many messages were
    /// unparsable since the last call.
    pub(crate) fn on_chunk(
        &mut self,
        ctx: ChunkCtx,
        chunk: StreamChunk<'_>,
        out: &mut Vec<SmbOutput>,
    ) -> u32 {
        let ts_us = ctx.ts_us;
        let from_client = ctx.dir == Direction::Orig;
        let mut framer =
            std::mem::replace(&mut self.framers[usize::from(!from_client)], Nbss::new(0));
        let lost = framer.feed(chunk, &mut |frame| match frame {
            Frame::Whole(m) => self.on_message(from_client, ts_us, m, false, out),
            Frame::Head { head, .. } => self.on_message(from_client, ts_us, head, true, out),
            Frame::Tail(data) => self.on_tail(from_client, data),
        });
        self.framers[usize::from(!from_client)] = framer;
        self.counts.malformed += lost;
        self.take_calls(out);
        std::mem::take(&mut self.counts.malformed)
    }

    /// End of the connection: requests without a response and pipes still
    /// open report what they have.
    pub(crate) fn finish(&mut self, out: &mut Vec<SmbOutput>) {
        let mut pending: Vec<_> = self.pending2.drain().map(|(_, p)| p).collect();
        pending.sort_by_key(|p| p.ts_us);
        for p in pending {
            self.smb2_unanswered(p, out);
        }
        let mut pending: Vec<_> = self.pending1.drain().flat_map(|(_, p)| p).collect();
        pending.sort_by_key(|p| p.ts_us);
        for p in pending {
            self.smb1_unanswered(p, out);
        }
        let mut opens: Vec<_> = self.opens.drain().collect();
        opens.sort_by_key(|(id, _)| *id);
        for (_, open) in opens {
            if let Some(mut rpc) = open.rpc {
                rpc.finish(&mut self.rpc_budget, &mut self.calls);
            }
            file_events(&open.name, open.upload, open.download, out);
        }
        self.take_calls(out);
    }

    fn take_calls(&mut self, out: &mut Vec<SmbOutput>) {
        out.extend(self.calls.drain(..).map(|c| SmbOutput {
            ts_us: c.ts_us,
            item: AppItem::Event(Body::DceRpc(Box::new(c.body))),
        }));
    }

    fn on_message(
        &mut self,
        from_client: bool,
        ts_us: i64,
        msg: &[u8],
        truncated: bool,
        out: &mut Vec<SmbOutput>,
    ) {
        self.tail[usize::from(!from_client)] = None;
        match msg.get(..4) {
            Some(b"\xfeSMB") => self.on_smb2(from_client, ts_us, msg, truncated, out),
            Some(b"\xffSMB") => self.on_smb1(from_client, ts_us, msg, out),
            Some(b"\xfdSMB" | b"\xfcSMB") => self.counts.encrypted += 1,
            _ => self.counts.malformed += 1,
        }
    }

    /// The version field of events: the negotiated dialect's major.
    fn version(&self, smb1: bool) -> u8 {
        match (smb1, self.dialect_major) {
            (true, _) => 1,
            (false, 0) => 2,
            (false, v) => v,
        }
    }

    /// Remembers an open; a pipe on IPC$ gets a DCE/RPC association.
    fn add_open(&mut self, id: u128, name: String, tree: Option<Tree>) {
        if self.opens.len() >= MAX_OPENS && !self.opens.contains_key(&id) {
            self.counts.dropped += 1;
            return;
        }
        let rpc = tree
            .as_ref()
            .filter(|t| t.ipc)
            .map(|_| Box::new(DceRpcConn::new("smb", Some(pipe_name(&name)))));
        let replaced = self.opens.insert(
            id,
            Open {
                name,
                tree,
                bytes_read: 0,
                bytes_written: 0,
                rpc,
                upload: None,
                download: None,
            },
        );
        if let Some(old) = replaced {
            self.transfers -=
                usize::from(old.upload.is_some()) + usize::from(old.download.is_some());
        }
    }

    fn add_tree(&mut self, id: u64, tree: Tree) {
        if self.trees.len() >= MAX_TREES && !self.trees.contains_key(&id) {
            self.counts.dropped += 1;
            return;
        }
        self.trees.insert(id, tree);
    }

    /// Client bytes written to an open at `offset` (`len` declared, `data`
    /// what this message holds of them): counted, read as DCE/RPC on a
    /// pipe, hashed on a file.
    fn client_wrote(&mut self, id: u128, ts_us: i64, offset: u64, data: &[u8], len: u64) {
        let Some(open) = self.opens.get_mut(&id) else {
            return;
        };
        open.bytes_written += len;
        // Seen from midstream, the tree (IPC$ or not) is unknown: a first
        // write that is a DCE/RPC bind or request makes the open a pipe.
        if open.tree.is_none()
            && open.rpc.is_none()
            && open.upload.is_none()
            && super::dcerpc::looks_like_dcerpc(data)
        {
            open.rpc = Some(Box::new(DceRpcConn::new(
                "smb",
                Some(pipe_name(&open.name)),
            )));
        }
        if let Some(rpc) = &mut open.rpc {
            // Pipes carry other protocols too (PsExec's own): bytes that
            // are not DCE/RPC are not malformed.
            rpc.message_boundary();
            rpc.on_client(
                ts_us,
                StreamChunk::Data(data),
                &mut self.rpc_budget,
                &mut self.calls,
            );
            return;
        }
        if len > 0 {
            if open.upload.is_none() {
                if self.transfers >= MAX_TRANSFERS {
                    self.counts.dropped += 1;
                    return;
                }
                self.transfers += 1;
                open.upload = Some(Box::new(Transfer::new(ts_us)));
            }
            if let Some(t) = &mut open.upload {
                t.at(offset, data);
            }
        }
        if (data.len() as u64) < len {
            self.tail[0] = Some(id);
        }
    }

    /// Server bytes read from an open at `offset`, like `client_wrote`.
    fn server_read(&mut self, id: u128, ts_us: i64, offset: u64, data: &[u8], len: u64) {
        let Some(open) = self.opens.get_mut(&id) else {
            return;
        };
        open.bytes_read += len;
        if open.rpc.is_some() || len == 0 {
            return;
        }
        if open.download.is_none() {
            if self.transfers >= MAX_TRANSFERS {
                self.counts.dropped += 1;
                return;
            }
            self.transfers += 1;
            open.download = Some(Box::new(Transfer::new(ts_us)));
        }
        if let Some(t) = &mut open.download {
            t.at(offset, data);
        }
        if (data.len() as u64) < len {
            self.tail[1] = Some(id);
        }
    }

    /// More data of the long WRITE (client) or READ response (server)
    /// whose head came last.
    fn on_tail(&mut self, from_client: bool, data: &[u8]) {
        let Some(id) = self.tail[usize::from(!from_client)] else {
            return;
        };
        if let Some(open) = self.opens.get_mut(&id) {
            let transfer = if from_client {
                &mut open.upload
            } else {
                &mut open.download
            };
            if let Some(t) = transfer {
                t.more(data);
            }
        }
    }

    /// Closes an open: its pipe's unused bindings are reported, and a CLOSE
    /// event when it moved data.
    fn close(
        &mut self,
        id: u128,
        version: u8,
        ts_us: i64,
        status: Option<u32>,
        out: &mut Vec<SmbOutput>,
    ) {
        let Some(open) = self.opens.remove(&id) else {
            return;
        };
        if let Some(mut rpc) = open.rpc {
            rpc.finish(&mut self.rpc_budget, &mut self.calls);
        }
        self.transfers -= usize::from(open.upload.is_some()) + usize::from(open.download.is_some());
        file_events(&open.name, open.upload, open.download, out);
        if open.bytes_read > 0 || open.bytes_written > 0 {
            let mut body = file_body(version, "CLOSE", status, open.tree.as_ref(), &open.name);
            body.bytes_read = Some(open.bytes_read);
            body.bytes_written = Some(open.bytes_written);
            emit(out, ts_us, body);
        }
    }

    fn open_event(
        &self,
        id: u128,
        version: u8,
        command: &'static str,
        status: Option<u32>,
    ) -> Option<SmbBody> {
        let open = self.opens.get(&id)?;
        Some(file_body(
            version,
            command,
            status,
            open.tree.as_ref(),
            &open.name,
        ))
    }
}

/// A tree from the path a client sent.
fn tree_from_path(path: String, pipe_share: bool) -> Tree {
    let share = path
        .trim_end_matches(['\\', '\0'])
        .rsplit('\\')
        .next()
        .unwrap_or("")
        .to_uppercase();
    Tree {
        ipc: pipe_share || share == "IPC$",
        share,
        path,
    }
}

/// A pipe's name without a leading `\` or `\PIPE\`.
fn pipe_name(name: &str) -> String {
    let n = name.trim_start_matches('\\');
    // Compared as bytes: a name is client data, and its fifth byte may be
    // inside a character (slicing the str there panics).
    let n = if n.len() >= 5 && n.as_bytes()[..5].eq_ignore_ascii_case(b"PIPE\\") {
        &n[5..]
    } else {
        n
    };
    n.to_string()
}

fn status_field(status: Option<u32>) -> Option<String> {
    status.map(status_name)
}

fn tree_body(version: u8, command: &'static str, status: Option<u32>, tree: &Tree) -> SmbBody {
    SmbBody {
        version,
        command,
        status: status_field(status),
        tree: Some(tree.path.clone()),
        share: (!tree.share.is_empty()).then(|| tree.share.clone()),
        ..SmbBody::default()
    }
}

fn file_body(
    version: u8,
    command: &'static str,
    status: Option<u32>,
    tree: Option<&Tree>,
    name: &str,
) -> SmbBody {
    let mut body = match tree {
        Some(t) => tree_body(version, command, status, t),
        None => SmbBody {
            version,
            command,
            status: status_field(status),
            ..SmbBody::default()
        },
    };
    body.name = Some(name.to_string());
    // Unknown when the tree connect was not seen.
    body.pipe = tree.map(|t| t.ipc);
    body
}

/// `file` events for the data written and read through an open.
fn file_events(
    name: &str,
    upload: Option<Box<Transfer>>,
    download: Option<Box<Transfer>>,
    out: &mut Vec<SmbOutput>,
) {
    for (t, from_orig) in [(upload, true), (download, false)] {
        let Some(t) = t.filter(|t| t.digest.size() > 0) else {
            continue;
        };
        let mut body = FileBody::new("smb", from_orig, t.digest.finish());
        body.name = Some(name.to_string());
        out.push(SmbOutput {
            ts_us: t.ts_us,
            item: AppItem::Event(Body::File(body)),
        });
    }
}

fn emit(out: &mut Vec<SmbOutput>, ts_us: i64, body: SmbBody) {
    out.push(SmbOutput {
        ts_us,
        item: AppItem::Event(Body::Smb(Box::new(body))),
    });
}

#[cfg(test)]
mod tests;
