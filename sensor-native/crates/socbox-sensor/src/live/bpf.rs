//! BPF filter expressions (tcpdump syntax) compiled to classic BPF by
//! libpcap, which is loaded at run time so that building the sensor never
//! needs it. `pcap_open_dead` + `pcap_compile` need no privileges and no
//! interface.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};

use libloading::{Library, Symbol};

/// One classic BPF instruction (`struct sock_filter` / `struct bpf_insn`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BpfInsn {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

#[repr(C)]
struct BpfProgram {
    len: c_uint,
    insns: *mut BpfInsn,
}

const LIBPCAP_NAMES: &[&str] = &["libpcap.so.1", "libpcap.so.0.8", "libpcap.so"];
const DLT_EN10MB: c_int = 1;
const SNAPLEN: c_int = 262_144;
const PCAP_NETMASK_UNKNOWN: u32 = 0xffff_ffff;

/// Compiles `expr` for Ethernet frames.
pub fn compile_filter(expr: &str) -> Result<Vec<BpfInsn>, String> {
    let text = CString::new(expr)
        .map_err(|_| format!("{expr:?} contains a NUL byte; give a tcpdump filter expression"))?;
    let lib = load()?;
    // SAFETY: the signatures are libpcap's public C API (pcap/pcap.h);
    // the handle, program and strings live until the end of this function.
    unsafe {
        type OpenDead = unsafe extern "C" fn(c_int, c_int) -> *mut c_void;
        type Compile =
            unsafe extern "C" fn(*mut c_void, *mut BpfProgram, *const c_char, c_int, u32) -> c_int;
        type GetErr = unsafe extern "C" fn(*mut c_void) -> *const c_char;
        type FreeCode = unsafe extern "C" fn(*mut BpfProgram);
        type Close = unsafe extern "C" fn(*mut c_void);
        let sym = |name: &[u8]| format!("libpcap has no {}", String::from_utf8_lossy(name));
        let open_dead: Symbol<OpenDead> = lib
            .get(b"pcap_open_dead")
            .map_err(|_| sym(b"pcap_open_dead"))?;
        let compile: Symbol<Compile> =
            lib.get(b"pcap_compile").map_err(|_| sym(b"pcap_compile"))?;
        let geterr: Symbol<GetErr> = lib.get(b"pcap_geterr").map_err(|_| sym(b"pcap_geterr"))?;
        let freecode: Symbol<FreeCode> = lib
            .get(b"pcap_freecode")
            .map_err(|_| sym(b"pcap_freecode"))?;
        let close: Symbol<Close> = lib.get(b"pcap_close").map_err(|_| sym(b"pcap_close"))?;
        let handle = open_dead(DLT_EN10MB, SNAPLEN);
        if handle.is_null() {
            return Err("libpcap could not make a compile handle".into());
        }
        let mut prog = BpfProgram {
            len: 0,
            insns: std::ptr::null_mut(),
        };
        let rc = compile(handle, &mut prog, text.as_ptr(), 1, PCAP_NETMASK_UNKNOWN);
        let result = if rc != 0 {
            let why = CStr::from_ptr(geterr(handle))
                .to_string_lossy()
                .into_owned();
            Err(format!(
                "{expr:?} is not a valid filter: {why} (tcpdump syntax, e.g. \"udp port 53 or tcp port 443\")"
            ))
        } else {
            let insns = std::slice::from_raw_parts(prog.insns, prog.len as usize).to_vec();
            freecode(&mut prog);
            Ok(insns)
        };
        close(handle);
        result
    }
}

fn load() -> Result<Library, String> {
    let mut errors = Vec::new();
    for name in LIBPCAP_NAMES {
        // SAFETY: loading libpcap runs its (trivial) initialisers only.
        match unsafe { Library::new(*name) } {
            Ok(lib) => return Ok(lib),
            Err(e) => errors.push(format!("{name}: {e}")),
        }
    }
    Err(format!(
        "a capture filter needs libpcap at run time, which is not installed ({}); install it (Debian/Ubuntu: `apt-get install libpcap0.8`, Fedora: `dnf install libpcap`) or capture without --filter",
        errors.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn have_libpcap() -> bool {
        load().is_ok()
    }

    #[test]
    fn compiles_a_filter_and_refuses_a_bad_one() {
        if !have_libpcap() {
            // The error itself is the behaviour to check without the library.
            let msg = compile_filter("udp").unwrap_err();
            assert!(msg.contains("needs libpcap"), "{msg}");
            return;
        }
        let prog = compile_filter("udp port 53").unwrap();
        assert!(prog.len() > 4, "{prog:?}");
        // A BPF program ends with a return.
        assert_eq!(prog.last().unwrap().code & 0x07, 0x06);
        let msg = compile_filter("udp prot 53").unwrap_err();
        assert!(
            msg.contains("is not a valid filter") && msg.contains("udp prot 53"),
            "{msg}"
        );
        let msg = compile_filter("a\0b").unwrap_err();
        assert!(msg.contains("NUL"), "{msg}");
    }
}
