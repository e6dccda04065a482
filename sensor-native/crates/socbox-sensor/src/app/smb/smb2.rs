//! SMB2/3 messages ([MS-SMB2] §2.2): the header, compounded chains, and the
//! commands behind `smb` events. Requests are remembered by message id
//! until their response; offsets in bodies count from the header's start.

use super::ntlmssp::{find_authenticate, NtlmAuth};
use super::status::{MORE_PROCESSING_REQUIRED, PENDING, SUCCESS};
use super::{emit, file_body, tree_body, tree_from_path, SmbOutput, SmbSession, MAX_PENDING};
use crate::app::le::{bytes_at, le16, le32, le64, utf16le};
use crate::event::SmbBody;

const HEADER: usize = 64;

const NEGOTIATE: u16 = 0x00;
const SESSION_SETUP: u16 = 0x01;
const TREE_CONNECT: u16 = 0x03;
const CREATE: u16 = 0x05;
const CLOSE: u16 = 0x06;
const READ: u16 = 0x08;
const WRITE: u16 = 0x09;
const IOCTL: u16 = 0x0b;
const SET_INFO: u16 = 0x11;

const FLAG_RESPONSE: u32 = 0x1;
const FLAG_ASYNC: u32 = 0x2;

const FILE_DELETE_ON_CLOSE: u32 = 0x1000;
const FSCTL_PIPE_TRANSCEIVE: u32 = 0x0011_c017;
const INFO_FILE: u8 = 1;
const FILE_RENAME_INFORMATION: u8 = 10;
const FILE_DISPOSITION_INFORMATION: u8 = 13;
const FILE_DISPOSITION_INFORMATION_EX: u8 = 64;

/// The file id of the previous CREATE in a compound chain.
const RELATED_FILE_ID: u128 = u128::MAX;

/// A request waiting for its response.
#[derive(Debug)]
pub(super) struct Pending {
    pub ts_us: i64,
    what: What,
}

#[derive(Debug)]
enum What {
    SessionSetup(Option<NtlmAuth>),
    TreeConnect(String),
    Create {
        tree_id: u32,
        name: String,
        delete_on_close: bool,
    },
    Close(u128),
    Read {
        file: u128,
        offset: u64,
    },
    Rename {
        file: u128,
        new_name: String,
    },
    Delete(u128),
}

/// The fixed part of a header.
struct Header {
    command: u16,
    status: u32,
    flags: u32,
    next: usize,
    message_id: u64,
    tree_id: u32,
}

impl Header {
    fn parse(m: &[u8]) -> Option<Header> {
        if m.get(..4)? != b"\xfeSMB" || m.len() < HEADER {
            return None;
        }
        Some(Header {
            status: le32(m, 8)?,
            command: le16(m, 12)?,
            flags: le32(m, 16)?,
            next: le32(m, 20)? as usize,
            message_id: le64(m, 24)?,
            tree_id: le32(m, 36)?,
        })
    }
}

fn file_id(m: &[u8], at: usize) -> Option<u128> {
    Some(u128::from_le_bytes(bytes_at(m, at, 16)?.try_into().ok()?))
}

impl SmbSession {
    pub(super) fn on_smb2(
        &mut self,
        from_client: bool,
        ts_us: i64,
        msg: &[u8],
        truncated: bool,
        out: &mut Vec<SmbOutput>,
    ) {
        let mut rest = msg;
        // The file created by an earlier message of this chain, for the
        // related operations after it.
        let mut related = None;
        for _ in 0..64 {
            let Some(h) = Header::parse(rest) else {
                self.counts.malformed += 1;
                return;
            };
            let end = if h.next == 0 {
                rest.len()
            } else {
                h.next.min(rest.len())
            };
            if h.next != 0 && h.next < HEADER {
                self.counts.malformed += 1;
                return;
            }
            let one = &rest[..end];
            let ok = if from_client {
                self.smb2_request(&h, ts_us, one, truncated && h.next == 0)
            } else {
                self.smb2_response(&h, ts_us, one, truncated && h.next == 0, &mut related, out)
            };
            if ok.is_none() {
                self.counts.malformed += 1;
            }
            if h.next == 0 || h.next >= rest.len() {
                return;
            }
            rest = &rest[h.next..];
        }
    }

    fn smb2_request(&mut self, h: &Header, ts_us: i64, m: &[u8], truncated: bool) -> Option<()> {
        if h.flags & FLAG_RESPONSE != 0 {
            return Some(());
        }
        let b = HEADER;
        let what = match h.command {
            SESSION_SETUP => {
                let off = usize::from(le16(m, b + 12)?);
                let len = usize::from(le16(m, b + 14)?);
                let blob = m
                    .get(off..off.saturating_add(len).min(m.len()))
                    .unwrap_or(&[]);
                What::SessionSetup(find_authenticate(blob))
            }
            TREE_CONNECT => {
                let off = usize::from(le16(m, b + 4)?);
                let len = usize::from(le16(m, b + 6)?);
                What::TreeConnect(utf16le(bytes_at(m, off, len)?))
            }
            CREATE => {
                let options = le32(m, b + 40)?;
                let off = usize::from(le16(m, b + 44)?);
                let len = usize::from(le16(m, b + 46)?);
                What::Create {
                    tree_id: h.tree_id,
                    name: utf16le(bytes_at(m, off, len)?),
                    delete_on_close: options & FILE_DELETE_ON_CLOSE != 0,
                }
            }
            CLOSE => What::Close(file_id(m, b + 8)?),
            READ => What::Read {
                file: file_id(m, b + 16)?,
                offset: le64(m, b + 8)?,
            },
            WRITE => {
                let off = usize::from(le16(m, b + 2)?);
                let len = le32(m, b + 4)?;
                let offset = le64(m, b + 8)?;
                let id = file_id(m, b + 16)?;
                // A long write's head holds only the first part of its data.
                let end = off.saturating_add(len as usize).min(m.len());
                let data = m.get(off..end).unwrap_or(&[]);
                if truncated || data.len() == len as usize {
                    self.client_wrote(id, ts_us, offset, data, u64::from(len));
                }
                return Some(());
            }
            IOCTL => {
                if le32(m, b + 4)? == FSCTL_PIPE_TRANSCEIVE {
                    let id = file_id(m, b + 8)?;
                    let off = le32(m, b + 24)? as usize;
                    let len = le32(m, b + 28)? as usize;
                    let data = bytes_at(m, off, len)?;
                    self.client_wrote(id, ts_us, 0, data, len as u64);
                }
                return Some(());
            }
            SET_INFO if m.get(b + 2) == Some(&INFO_FILE) => {
                let class = *m.get(b + 3)?;
                let len = le32(m, b + 4)? as usize;
                let off = usize::from(le16(m, b + 8)?);
                let file = file_id(m, b + 16)?;
                let info = bytes_at(m, off, len)?;
                match class {
                    FILE_RENAME_INFORMATION => {
                        let name_len = le32(info, 16)? as usize;
                        What::Rename {
                            file,
                            new_name: utf16le(bytes_at(info, 20, name_len)?),
                        }
                    }
                    FILE_DISPOSITION_INFORMATION if *info.first()? != 0 => What::Delete(file),
                    FILE_DISPOSITION_INFORMATION_EX if le32(info, 0)? & 1 != 0 => {
                        What::Delete(file)
                    }
                    _ => return Some(()),
                }
            }
            _ => return Some(()),
        };
        if self.pending2.len() >= MAX_PENDING {
            self.counts.dropped += 1;
        } else {
            self.pending2.insert(h.message_id, Pending { ts_us, what });
        }
        Some(())
    }

    fn smb2_response(
        &mut self,
        h: &Header,
        ts_us: i64,
        m: &[u8],
        truncated: bool,
        related: &mut Option<u128>,
        out: &mut Vec<SmbOutput>,
    ) -> Option<()> {
        if h.flags & FLAG_RESPONSE == 0 {
            return Some(());
        }
        let b = HEADER;
        if h.command == NEGOTIATE && h.status == SUCCESS {
            if let Some(dialect) = le16(m, b + 4) {
                self.dialect_major = match dialect {
                    0x0300..=0x03ff => 3,
                    0x0200..=0x02fe => 2,
                    _ => self.dialect_major,
                };
            }
            return Some(());
        }
        // An interim answer: the final one follows with the same id.
        if h.status == PENDING && h.flags & FLAG_ASYNC != 0 {
            return Some(());
        }
        let Some(pending) = self.pending2.remove(&h.message_id) else {
            return Some(());
        };
        let version = self.version(false);
        let ok = h.status == SUCCESS;
        let status = Some(h.status);
        let ts = pending.ts_us;
        let resolve = |id: u128| {
            if id == RELATED_FILE_ID {
                related.unwrap_or(id)
            } else {
                id
            }
        };
        match pending.what {
            What::SessionSetup(auth) => {
                if h.status == MORE_PROCESSING_REQUIRED {
                    return Some(());
                }
                emit(out, ts, session_body(version, status, auth));
            }
            What::TreeConnect(path) => {
                let share_type = m.get(b + 2).copied();
                let tree = tree_from_path(path, share_type == Some(2));
                emit(out, ts, tree_body(version, "TREE_CONNECT", status, &tree));
                if ok {
                    self.add_tree(u64::from(h.tree_id), tree);
                }
            }
            What::Create {
                tree_id,
                name,
                delete_on_close,
            } => {
                let tree = self.trees.get(&u64::from(tree_id)).cloned();
                let mut body = file_body(version, "CREATE", status, tree.as_ref(), &name);
                if ok {
                    let action = le32(m, b + 4)?;
                    let id = file_id(m, b + 64)?;
                    // Superseded, created or overwritten (not merely opened).
                    body.created = Some(action != 1);
                    *related = Some(id);
                    self.add_open(id, name.clone(), tree.clone());
                }
                emit(out, ts, body);
                if ok && delete_on_close {
                    emit(
                        out,
                        ts,
                        file_body(version, "DELETE", status, tree.as_ref(), &name),
                    );
                }
            }
            What::Close(id) => self.close(resolve(id), version, ts, status, out),
            What::Read { file, offset } => {
                // STATUS_BUFFER_OVERFLOW: a pipe message longer than asked.
                if ok || h.status == 0x8000_0005 {
                    let off = usize::from(*m.get(b + 2)?);
                    let len = le32(m, b + 4)?;
                    let end = off.saturating_add(len as usize).min(m.len());
                    let data = m.get(off..end).unwrap_or(&[]);
                    if truncated || data.len() == len as usize {
                        self.server_read(resolve(file), ts_us, offset, data, u64::from(len));
                    }
                }
            }
            What::Rename { file, new_name } => {
                let mut body = self
                    .open_event(resolve(file), version, "RENAME", status)
                    .unwrap_or_else(|| bare(version, "RENAME", status));
                body.new_name = Some(new_name);
                emit(out, ts, body);
            }
            What::Delete(file) => {
                let body = self
                    .open_event(resolve(file), version, "DELETE", status)
                    .unwrap_or_else(|| bare(version, "DELETE", status));
                emit(out, ts, body);
            }
        }
        Some(())
    }

    /// A request whose response never came (end of the connection).
    pub(super) fn smb2_unanswered(&mut self, p: Pending, out: &mut Vec<SmbOutput>) {
        let version = self.version(false);
        let body = match p.what {
            What::SessionSetup(auth) => session_body(version, None, auth),
            What::TreeConnect(path) => {
                tree_body(version, "TREE_CONNECT", None, &tree_from_path(path, false))
            }
            What::Create { tree_id, name, .. } => {
                let tree = self.trees.get(&u64::from(tree_id));
                file_body(version, "CREATE", None, tree, &name)
            }
            What::Rename { file, new_name } => {
                let mut body = self
                    .open_event(file, version, "RENAME", None)
                    .unwrap_or_else(|| bare(version, "RENAME", None));
                body.new_name = Some(new_name);
                body
            }
            What::Delete(file) => self
                .open_event(file, version, "DELETE", None)
                .unwrap_or_else(|| bare(version, "DELETE", None)),
            What::Close(id) => {
                self.close(id, version, p.ts_us, None, out);
                return;
            }
            What::Read { .. } => return,
        };
        emit(out, p.ts_us, body);
    }
}

pub(super) fn session_body(version: u8, status: Option<u32>, auth: Option<NtlmAuth>) -> SmbBody {
    let auth = auth.unwrap_or_default();
    SmbBody {
        version,
        command: "SESSION_SETUP",
        status: status.map(super::status::status_name),
        user: auth.user,
        domain: auth.domain,
        workstation: auth.workstation,
        ..SmbBody::default()
    }
}

pub(super) fn bare(version: u8, command: &'static str, status: Option<u32>) -> SmbBody {
    SmbBody {
        version,
        command,
        status: status.map(super::status::status_name),
        ..SmbBody::default()
    }
}
