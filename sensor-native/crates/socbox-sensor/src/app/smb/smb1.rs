//! SMB1 (CIFS) messages ([MS-CIFS], [MS-SMB]): the header, AndX chains, and
//! the commands behind `smb` events. Requests are matched to responses by
//! multiplex and process id.

use super::ntlmssp::{find_authenticate, NtlmAuth};
use super::smb2::{bare, session_body};
use super::status::MORE_PROCESSING_REQUIRED;
use super::{emit, file_body, tree_body, tree_from_path, SmbOutput, SmbSession, MAX_PENDING};
use crate::app::le::{bytes_at, latin1, le16, le32, skip_cstr, utf16le};

const HEADER: usize = 32;

const DELETE: u8 = 0x06;
const RENAME: u8 = 0x07;
const CLOSE: u8 = 0x04;
const TRANSACTION: u8 = 0x25;
const TRANSACTION2: u8 = 0x32;
const READ_ANDX: u8 = 0x2e;
const WRITE_ANDX: u8 = 0x2f;
const SESSION_SETUP_ANDX: u8 = 0x73;
const TREE_CONNECT_ANDX: u8 = 0x75;
const NT_CREATE_ANDX: u8 = 0xa2;
const NT_RENAME: u8 = 0xa5;
const NO_ANDX: u8 = 0xff;

const FLAGS_REPLY: u8 = 0x80;
const FLAGS2_UNICODE: u16 = 0x8000;
const TRANS_TRANSACT_NMPIPE: u16 = 0x26;
const TRANS2_SET_FILE_INFORMATION: u16 = 0x08;
const FILE_DELETE_ON_CLOSE: u32 = 0x1000;

/// SMB1 ids live beside SMB2's in the session's tables.
const SMB1_TREE: u64 = 1 << 32;
const SMB1_FILE: u128 = 1 << 127;

/// A request waiting for its response.
#[derive(Debug)]
pub(super) struct Pending {
    pub ts_us: i64,
    command: u8,
    what: What,
}

#[derive(Debug)]
enum What {
    SessionSetup(Option<NtlmAuth>),
    TreeConnect(String),
    Create {
        tid: u16,
        name: String,
        delete_on_close: bool,
    },
    Close(u16),
    Read {
        fid: u16,
        offset: u64,
    },
    Rename {
        tid: u16,
        file: Option<u16>,
        name: Option<String>,
        new_name: String,
    },
    Delete {
        tid: u16,
        file: Option<u16>,
        name: Option<String>,
    },
}

/// Fields of the header used here.
struct Header {
    status: u32,
    reply: bool,
    unicode: bool,
    tid: u16,
    pid: u16,
    mid: u16,
}

/// One command block of a message: its words and bytes.
struct Block<'a> {
    command: u8,
    words: &'a [u8],
    bytes: &'a [u8],
    /// Offset of `bytes` from the header's start (for string alignment).
    bytes_at: usize,
}

fn block(m: &[u8], command: u8, at: usize) -> Option<Block<'_>> {
    let wc = usize::from(*m.get(at)?);
    let words = bytes_at(m, at + 1, 2 * wc)?;
    let bc_at = at + 1 + 2 * wc;
    let bc = usize::from(le16(m, bc_at)?);
    let start = bc_at + 2;
    let bytes = m.get(start..start.saturating_add(bc).min(m.len()))?;
    Some(Block {
        command,
        words,
        bytes,
        bytes_at: start,
    })
}

fn has_andx(command: u8) -> bool {
    matches!(
        command,
        SESSION_SETUP_ANDX
            | TREE_CONNECT_ANDX
            | NT_CREATE_ANDX
            | READ_ANDX
            | WRITE_ANDX
            | 0x74
            | 0x24
            | 0x2d
    )
}

/// The blocks of a message, following AndX offsets forward only.
fn blocks(m: &[u8]) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let (mut command, mut at) = (m[4], HEADER);
    while let Some(b) = block(m, command, at) {
        let next = (has_andx(command) && b.words.len() >= 4)
            .then(|| (b.words[0], usize::from(le16(b.words, 2).unwrap_or(0))));
        out.push(b);
        match next {
            Some((c, off)) if c != NO_ANDX && off > at && out.len() < 8 => {
                command = c;
                at = off;
            }
            _ => break,
        }
    }
    out
}

/// A string in a block's bytes at `at`, aligned to 2 from the header when
/// Unicode.
fn string(b: &Block<'_>, at: usize, unicode: bool) -> (String, usize) {
    let mut at = at;
    if unicode && (b.bytes_at + at) % 2 == 1 {
        at += 1;
    }
    let end = skip_cstr(b.bytes, at, unicode);
    let raw = b.bytes.get(at..end).unwrap_or(&[]);
    let s = if unicode { utf16le(raw) } else { latin1(raw) };
    (s, end)
}

fn file_key(fid: u16) -> u128 {
    SMB1_FILE | u128::from(fid)
}

fn tree_key(tid: u16) -> u64 {
    SMB1_TREE | u64::from(tid)
}

impl SmbSession {
    pub(super) fn on_smb1(
        &mut self,
        from_client: bool,
        ts_us: i64,
        m: &[u8],
        out: &mut Vec<SmbOutput>,
    ) {
        if m.len() < HEADER + 3 {
            self.counts.malformed += 1;
            return;
        }
        let h = Header {
            status: le32(m, 5).unwrap_or(0),
            reply: m[9] & FLAGS_REPLY != 0,
            unicode: le16(m, 10).unwrap_or(0) & FLAGS2_UNICODE != 0,
            tid: le16(m, 24).unwrap_or(0),
            pid: le16(m, 26).unwrap_or(0),
            mid: le16(m, 30).unwrap_or(0),
        };
        let blocks = blocks(m);
        if blocks.is_empty() {
            self.counts.malformed += 1;
            return;
        }
        if from_client && !h.reply {
            let mut chain = Vec::new();
            for b in &blocks {
                if let Some(what) = self.smb1_request(&h, ts_us, m, b) {
                    chain.push(Pending {
                        ts_us,
                        command: b.command,
                        what,
                    });
                }
            }
            if !chain.is_empty() {
                if self.pending1.len() >= MAX_PENDING {
                    self.counts.dropped += 1;
                } else {
                    self.pending1.insert((h.mid, h.pid), chain);
                }
            }
        } else if !from_client && h.reply {
            let Some(mut chain) = self.pending1.remove(&(h.mid, h.pid)) else {
                return;
            };
            for b in &blocks {
                if let Some(i) = chain.iter().position(|p| p.command == b.command) {
                    let p = chain.remove(i);
                    self.smb1_response(&h, p, m, b, out);
                }
            }
            // Blocks the server did not answer (an error ends a chain).
            for p in chain {
                if !matches!(p.what, What::Read { .. } | What::Close(_)) {
                    self.smb1_answered_by_header(&h, p, out);
                }
            }
        }
    }

    fn smb1_request(&mut self, h: &Header, ts_us: i64, m: &[u8], b: &Block<'_>) -> Option<What> {
        let w = b.words;
        Some(match b.command {
            SESSION_SETUP_ANDX => match w.len() / 2 {
                // Extended security: a security blob.
                12 => {
                    let len = usize::from(le16(w, 14)?);
                    What::SessionSetup(find_authenticate(b.bytes.get(..len.min(b.bytes.len()))?))
                }
                // Plain: passwords, then account and domain names.
                13 => {
                    let skip = usize::from(le16(w, 14)?) + usize::from(le16(w, 16)?);
                    let (user, end) = string(b, skip, h.unicode);
                    let (domain, _) = string(b, end, h.unicode);
                    What::SessionSetup(Some(NtlmAuth {
                        user: (!user.is_empty()).then_some(user),
                        domain: (!domain.is_empty()).then_some(domain),
                        workstation: None,
                    }))
                }
                _ => What::SessionSetup(None),
            },
            TREE_CONNECT_ANDX => {
                let pw = usize::from(le16(w, 6)?);
                What::TreeConnect(string(b, pw, h.unicode).0)
            }
            NT_CREATE_ANDX => {
                let options = le32(w, 39)?;
                What::Create {
                    tid: h.tid,
                    name: string(b, 0, h.unicode).0,
                    delete_on_close: options & FILE_DELETE_ON_CLOSE != 0,
                }
            }
            CLOSE => What::Close(le16(w, 0)?),
            READ_ANDX => What::Read {
                fid: le16(w, 4)?,
                offset: u64::from(le32(w, 6)?)
                    | (u64::from(if w.len() >= 24 { le32(w, 20)? } else { 0 }) << 32),
            },
            WRITE_ANDX => {
                let fid = le16(w, 4)?;
                let len = usize::from(le16(w, 20)?) | (usize::from(le16(w, 18)?) << 16);
                let off = usize::from(le16(w, 22)?);
                let offset = u64::from(le32(w, 6)?)
                    | (u64::from(if w.len() >= 28 { le32(w, 24)? } else { 0 }) << 32);
                let data = m
                    .get(off..off.saturating_add(len).min(m.len()))
                    .unwrap_or(&[]);
                self.client_wrote(file_key(fid), ts_us, offset, data, len as u64);
                return None;
            }
            TRANSACTION => {
                let setup = usize::from(*w.get(26)?);
                if setup >= 2 && le16(w, 28)? == TRANS_TRANSACT_NMPIPE {
                    let fid = le16(w, 30)?;
                    let len = usize::from(le16(w, 22)?);
                    let off = usize::from(le16(w, 24)?);
                    let data = bytes_at(m, off, len)?;
                    self.client_wrote(file_key(fid), ts_us, 0, data, len as u64);
                }
                return None;
            }
            TRANSACTION2 => {
                if le16(w, 28)? != TRANS2_SET_FILE_INFORMATION {
                    return None;
                }
                let params = bytes_at(m, usize::from(le16(w, 20)?), usize::from(le16(w, 18)?))?;
                let data = bytes_at(m, usize::from(le16(w, 24)?), usize::from(le16(w, 22)?))?;
                let fid = le16(params, 0)?;
                match le16(params, 2)? {
                    // Pass-through FileRenameInformation (1000 + 10).
                    0x03f2 => What::Rename {
                        tid: h.tid,
                        file: Some(fid),
                        name: None,
                        new_name: {
                            let len = le32(data, 8)? as usize;
                            let raw = bytes_at(data, 12, len)?;
                            if h.unicode {
                                utf16le(raw)
                            } else {
                                latin1(raw)
                            }
                        },
                    },
                    // SMB_SET_FILE_DISPOSITION_INFO, pass-through 1013.
                    0x0102 | 0x03f5 if *data.first()? != 0 => What::Delete {
                        tid: h.tid,
                        file: Some(fid),
                        name: None,
                    },
                    _ => return None,
                }
            }
            RENAME | NT_RENAME => {
                // Buffer format 0x04 before each name.
                let (old, end) = string(b, 1, h.unicode);
                let (new, _) = string(b, end + 1, h.unicode);
                What::Rename {
                    tid: h.tid,
                    file: None,
                    name: Some(old),
                    new_name: new,
                }
            }
            DELETE => What::Delete {
                tid: h.tid,
                file: None,
                name: Some(string(b, 1, h.unicode).0),
            },
            _ => return None,
        })
    }

    fn smb1_response(
        &mut self,
        h: &Header,
        p: Pending,
        m: &[u8],
        b: &Block<'_>,
        out: &mut Vec<SmbOutput>,
    ) {
        let ok = h.status == 0;
        match p.what {
            What::Create {
                tid,
                name,
                delete_on_close,
            } => {
                let tree = self.trees.get(&tree_key(tid)).cloned();
                let mut body = file_body(1, "CREATE", Some(h.status), tree.as_ref(), &name);
                if let (true, Some(fid), Some(action)) = (ok, le16(b.words, 5), le32(b.words, 7)) {
                    body.created = Some(action != 1);
                    self.add_open(file_key(fid), name.clone(), tree.clone());
                }
                emit(out, p.ts_us, body);
                if ok && delete_on_close {
                    emit(
                        out,
                        p.ts_us,
                        file_body(1, "DELETE", Some(h.status), tree.as_ref(), &name),
                    );
                }
            }
            What::Read { fid, offset } => {
                if let (true, Some(lo), Some(off), Some(hi)) =
                    (ok, le16(b.words, 10), le16(b.words, 12), le16(b.words, 14))
                {
                    let len = usize::from(lo) | (usize::from(hi) << 16);
                    let off = usize::from(off);
                    let data = m
                        .get(off..off.saturating_add(len).min(m.len()))
                        .unwrap_or(&[]);
                    self.server_read(file_key(fid), p.ts_us, offset, data, len as u64);
                }
            }
            what => self.smb1_answered_by_header(h, Pending { what, ..p }, out),
        }
    }

    /// Requests whose response matters only for its status (and tree id).
    fn smb1_answered_by_header(&mut self, h: &Header, p: Pending, out: &mut Vec<SmbOutput>) {
        let status = Some(h.status);
        match p.what {
            What::SessionSetup(auth) => {
                if h.status != MORE_PROCESSING_REQUIRED {
                    emit(out, p.ts_us, session_body(1, status, auth));
                }
            }
            What::TreeConnect(path) => {
                let tree = tree_from_path(path, false);
                emit(out, p.ts_us, tree_body(1, "TREE_CONNECT", status, &tree));
                if h.status == 0 {
                    self.add_tree(tree_key(h.tid), tree);
                }
            }
            What::Close(fid) => self.close(file_key(fid), 1, p.ts_us, status, out),
            What::Create { tid, name, .. } => {
                let tree = self.trees.get(&tree_key(tid));
                emit(out, p.ts_us, file_body(1, "CREATE", status, tree, &name));
            }
            What::Read { .. } => {}
            What::Rename {
                tid,
                file,
                name,
                new_name,
            } => {
                let mut body = self.named(tid, file, name, "RENAME", status);
                body.new_name = Some(new_name);
                emit(out, p.ts_us, body);
            }
            What::Delete { tid, file, name } => {
                let body = self.named(tid, file, name, "DELETE", status);
                emit(out, p.ts_us, body);
            }
        }
    }

    /// An event about a file named by an open or by a path in a tree.
    fn named(
        &self,
        tid: u16,
        file: Option<u16>,
        name: Option<String>,
        command: &'static str,
        status: Option<u32>,
    ) -> crate::event::SmbBody {
        if let Some(body) = file.and_then(|f| self.open_event(file_key(f), 1, command, status)) {
            return body;
        }
        match name {
            Some(n) => file_body(1, command, status, self.trees.get(&tree_key(tid)), &n),
            None => bare(1, command, status),
        }
    }

    pub(super) fn smb1_unanswered(&mut self, p: Pending, out: &mut Vec<SmbOutput>) {
        match p.what {
            What::Read { .. } => {}
            What::Close(fid) => self.close(file_key(fid), 1, p.ts_us, None, out),
            What::SessionSetup(auth) => emit(out, p.ts_us, session_body(1, None, auth)),
            What::TreeConnect(path) => emit(
                out,
                p.ts_us,
                tree_body(1, "TREE_CONNECT", None, &tree_from_path(path, false)),
            ),
            What::Create { tid, name, .. } => {
                let tree = self.trees.get(&tree_key(tid));
                emit(out, p.ts_us, file_body(1, "CREATE", None, tree, &name));
            }
            What::Rename {
                tid,
                file,
                name,
                new_name,
            } => {
                let mut body = self.named(tid, file, name, "RENAME", None);
                body.new_name = Some(new_name);
                emit(out, p.ts_us, body);
            }
            What::Delete { tid, file, name } => {
                let body = self.named(tid, file, name, "DELETE", None);
                emit(out, p.ts_us, body);
            }
        }
    }
}
