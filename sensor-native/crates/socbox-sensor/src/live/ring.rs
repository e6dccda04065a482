//! An AF_PACKET socket bound to one interface with a TPACKET_V3 receive
//! ring. The kernel fills fixed-size blocks with packets and hands a block to
//! user space when it is full or `tp_retire_blk_tov` ms old; user space
//! walks the block's packets in place and gives it back.
#![allow(unsafe_code)]

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{fence, Ordering};

use super::bpf::BpfInsn;
use super::error::LiveError;
use crate::capture::LinkType;

// linux/if_packet.h; fixed kernel ABI.
const PACKET_RX_RING: libc::c_int = 5;
const PACKET_STATISTICS: libc::c_int = 6;
const PACKET_VERSION: libc::c_int = 10;
const TPACKET_V3: libc::c_int = 2;
const TP_STATUS_KERNEL: u32 = 0;
const TP_STATUS_USER: u32 = 1;
const SO_ATTACH_FILTER: libc::c_int = 26;
const ETH_P_ALL: u16 = 0x0003;
/// `TPACKET_ALIGN(sizeof(struct tpacket3_hdr))`: where `sockaddr_ll` follows.
const SOCKADDR_LL_AT: usize = 48;

#[repr(C)]
struct TpacketReq3 {
    tp_block_size: u32,
    tp_block_nr: u32,
    tp_frame_size: u32,
    tp_frame_nr: u32,
    tp_retire_blk_tov: u32,
    tp_sizeof_priv: u32,
    tp_feature_req_word: u32,
}

#[repr(C)]
#[derive(Default)]
struct TpacketStatsV3 {
    tp_packets: u32,
    tp_drops: u32,
    tp_freeze_q_cnt: u32,
}

#[repr(C)]
struct SockFprog {
    len: u16,
    filter: *const BpfInsn,
}

/// Kernel counters of the socket since it was opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RingStats {
    /// Packets that passed the filter (delivered or dropped).
    pub packets: u64,
    /// Packets the kernel dropped because the ring was full.
    pub drops: u64,
    /// Times the ring was frozen full.
    pub freezes: u64,
}

/// One received frame, borrowed from the ring.
pub struct Frame<'a> {
    pub ts_us: i64,
    pub data: &'a [u8],
    pub orig_len: u32,
    pub link_type: LinkType,
}

pub struct Ring {
    fd: OwnedFd,
    map: *mut u8,
    map_len: usize,
    block_size: usize,
    blocks: usize,
    next: usize,
    stats: RingStats,
    interface: String,
}

// The mapping is owned by this value alone.
unsafe impl Send for Ring {}

impl std::fmt::Debug for Ring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ring")
            .field("interface", &self.interface)
            .field("blocks", &self.blocks)
            .field("block_size", &self.block_size)
            .finish()
    }
}

fn os(what: &'static str, interface: &str) -> LiveError {
    let err = io::Error::last_os_error();
    if matches!(err.raw_os_error(), Some(libc::EPERM | libc::EACCES)) {
        return LiveError::Permission {
            interface: interface.to_owned(),
            detail: format!("{what}: {err}"),
        };
    }
    LiveError::Os {
        what,
        interface: interface.to_owned(),
        err,
    }
}

fn setsockopt<T>(fd: &OwnedFd, level: libc::c_int, name: libc::c_int, value: &T) -> io::Result<()> {
    // SAFETY: `value` is a live, correctly sized option value.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (value as *const T).cast(),
            std::mem::size_of::<T>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

impl Ring {
    /// Opens `interface` with a ring of `blocks` × `block_size` bytes and an
    /// optional compiled filter.
    pub fn open(
        interface: &str,
        block_size: usize,
        blocks: usize,
        filter: Option<&[BpfInsn]>,
    ) -> Result<Self, LiveError> {
        let name =
            CString::new(interface).map_err(|_| LiveError::NoInterface(interface.to_owned()))?;
        // SAFETY: plain C call with a valid NUL-terminated string.
        let ifindex = unsafe { libc::if_nametoindex(name.as_ptr()) };
        if ifindex == 0 {
            return Err(LiveError::NoInterface(interface.to_owned()));
        }
        // Protocol 0: nothing is received until the bind below, so no packet
        // of another interface or before the filter slips in.
        // SAFETY: plain C call.
        let raw = unsafe { libc::socket(libc::AF_PACKET, libc::SOCK_RAW | libc::SOCK_CLOEXEC, 0) };
        if raw < 0 {
            return Err(os("socket(AF_PACKET)", interface));
        }
        // SAFETY: `raw` is a fresh descriptor we own.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        if let Some(prog) = filter {
            let fprog = SockFprog {
                len: u16::try_from(prog.len())
                    .map_err(|_| LiveError::Filter("the compiled filter is too long".into()))?,
                filter: prog.as_ptr(),
            };
            setsockopt(&fd, libc::SOL_SOCKET, SO_ATTACH_FILTER, &fprog).map_err(|err| {
                LiveError::Os {
                    what: "attaching the filter",
                    interface: interface.to_owned(),
                    err,
                }
            })?;
        }
        setsockopt(&fd, libc::SOL_PACKET, PACKET_VERSION, &TPACKET_V3)
            .map_err(|_| os("PACKET_VERSION TPACKET_V3", interface))?;
        let frame_size = 2048u32;
        let req = TpacketReq3 {
            tp_block_size: block_size as u32,
            tp_block_nr: blocks as u32,
            tp_frame_size: frame_size,
            tp_frame_nr: (block_size as u32 / frame_size) * blocks as u32,
            // Hand over a block within 50 ms even when it is not full.
            tp_retire_blk_tov: 50,
            tp_sizeof_priv: 0,
            tp_feature_req_word: 0,
        };
        setsockopt(&fd, libc::SOL_PACKET, PACKET_RX_RING, &req)
            .map_err(|_| os("PACKET_RX_RING", interface))?;
        let map_len = block_size * blocks;
        // SAFETY: maps the ring the kernel just allocated for this socket.
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                map_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_LOCKED,
                fd.as_raw_fd(),
                0,
            )
        };
        let map = if map == libc::MAP_FAILED {
            // MAP_LOCKED needs RLIMIT_MEMLOCK room; the ring works without it.
            // SAFETY: as above.
            let again = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    map_len,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_SHARED,
                    fd.as_raw_fd(),
                    0,
                )
            };
            if again == libc::MAP_FAILED {
                return Err(os("mmap of the ring", interface));
            }
            again
        } else {
            map
        };
        let ring = Self {
            fd,
            map: map.cast(),
            map_len,
            block_size,
            blocks,
            next: 0,
            stats: RingStats::default(),
            interface: interface.to_owned(),
        };
        // SAFETY: an all-zero sockaddr_ll is valid; fields set below.
        let mut addr: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        addr.sll_family = libc::AF_PACKET as u16;
        addr.sll_protocol = ETH_P_ALL.to_be();
        addr.sll_ifindex = ifindex as i32;
        // SAFETY: `addr` is a valid sockaddr_ll of the given size.
        let rc = unsafe {
            libc::bind(
                ring.fd.as_raw_fd(),
                (&addr as *const libc::sockaddr_ll).cast(),
                std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t,
            )
        };
        if rc != 0 {
            return Err(os("bind", interface));
        }
        Ok(ring)
    }

    /// Waits up to `timeout_ms` for a block; true when one is ready.
    pub fn wait(&self, timeout_ms: i32) -> bool {
        if self.block_ready() {
            return true;
        }
        let mut pfd = libc::pollfd {
            fd: self.fd.as_raw_fd(),
            events: libc::POLLIN | libc::POLLERR,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        unsafe { libc::poll(&mut pfd, 1, timeout_ms) };
        self.block_ready()
    }

    fn block(&self, i: usize) -> *mut u8 {
        // SAFETY: i < blocks, inside the mapping.
        unsafe { self.map.add(i * self.block_size) }
    }

    /// `block_status` is the first u32 of the block header after `version`
    /// and `offset_to_priv` (struct tpacket_block_desc).
    fn status(&self, i: usize) -> *mut u32 {
        // SAFETY: inside the block header.
        unsafe { self.block(i).add(8).cast() }
    }

    fn block_ready(&self) -> bool {
        // SAFETY: aligned u32 inside the mapping, written by the kernel.
        let status = unsafe { std::ptr::read_volatile(self.status(self.next)) };
        status & TP_STATUS_USER != 0
    }

    /// Hands every packet of the next ready block to `each`, then gives the
    /// block back. False when no block was ready.
    pub fn next_block(&mut self, mut each: impl FnMut(Frame<'_>)) -> bool {
        if !self.block_ready() {
            return false;
        }
        fence(Ordering::Acquire);
        let base = self.block(self.next);
        // SAFETY: the kernel handed this block to user space (TP_STATUS_USER);
        // offsets inside it come from the kernel and are checked against
        // the block size before use.
        unsafe {
            let read = |at: usize| std::ptr::read_unaligned(base.add(at).cast::<u32>());
            let num_pkts = read(12) as usize;
            let mut at = read(16) as usize;
            for _ in 0..num_pkts {
                if at + SOCKADDR_LL_AT + 20 > self.block_size {
                    break;
                }
                let next_offset = read(at) as usize;
                let sec = read(at + 4);
                let nsec = read(at + 8);
                let snaplen = read(at + 12) as usize;
                let len = read(at + 16);
                let mac = std::ptr::read_unaligned(base.add(at + 24).cast::<u16>()) as usize;
                let hatype =
                    std::ptr::read_unaligned(base.add(at + SOCKADDR_LL_AT + 8).cast::<u16>());
                if at + mac + snaplen <= self.block_size {
                    let data = std::slice::from_raw_parts(base.add(at + mac), snaplen);
                    each(Frame {
                        ts_us: i64::from(sec) * 1_000_000 + i64::from(nsec / 1000),
                        data,
                        orig_len: len,
                        link_type: link_type(hatype),
                    });
                }
                if next_offset == 0 {
                    break;
                }
                at += next_offset;
            }
            fence(Ordering::Release);
            std::ptr::write_volatile(self.status(self.next), TP_STATUS_KERNEL);
        }
        self.next = (self.next + 1) % self.blocks;
        true
    }

    /// Kernel counters since the socket was opened. (Reading them resets
    /// the kernel's; they are summed here.)
    pub fn stats(&mut self) -> RingStats {
        let mut st = TpacketStatsV3::default();
        let mut len = std::mem::size_of::<TpacketStatsV3>() as libc::socklen_t;
        // SAFETY: `st` is a valid out buffer of `len` bytes.
        let rc = unsafe {
            libc::getsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_PACKET,
                PACKET_STATISTICS,
                (&mut st as *mut TpacketStatsV3).cast(),
                &mut len,
            )
        };
        if rc == 0 {
            self.stats.packets += u64::from(st.tp_packets);
            self.stats.drops += u64::from(st.tp_drops);
            self.stats.freezes += u64::from(st.tp_freeze_q_cnt);
        }
        self.stats
    }
}

/// The link layer of an ARPHRD_ hardware type.
fn link_type(hatype: u16) -> LinkType {
    match hatype {
        // ETHER, LOOPBACK (Ethernet header of zeros), IEEE802.
        1 | 772 | 6 => LinkType::ETHERNET,
        // NONE (tun), RAWIP: the frame is the IP packet.
        65534 | 519 => LinkType::RAW,
        // Anything else cannot be decoded; the pipeline counts it malformed.
        other => LinkType(0x8000 | other),
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in `open`.
        unsafe { libc::munmap(self.map.cast(), self.map_len) };
    }
}
