//! Writes to a file descriptor owned by Node (e.g. 1 for stdout) without
//! taking ownership. Node may have put a pipe into non-blocking mode, so a
//! full pipe (EAGAIN) waits in poll(2) instead of failing.

use std::io;
use std::os::fd::RawFd;

pub struct FdWriter {
    fd: RawFd,
}

#[allow(unsafe_code)]
impl FdWriter {
    pub fn new(fd: RawFd) -> Self {
        Self { fd }
    }

    fn wait_writable(&self) -> io::Result<()> {
        let mut pfd = libc::pollfd {
            fd: self.fd,
            events: libc::POLLOUT,
            revents: 0,
        };
        // SAFETY: one valid pollfd, count 1, no timeout.
        let rc = unsafe { libc::poll(&mut pfd, 1, -1) };
        if rc < 0 {
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
        Ok(())
    }
}

#[allow(unsafe_code)]
impl io::Write for FdWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            // SAFETY: `buf` is valid for `buf.len()` bytes; the fd is the
            // caller's, and writing to a closed or bad fd only returns EBADF.
            let n = unsafe { libc::write(self.fd, buf.as_ptr().cast(), buf.len()) };
            if n >= 0 {
                return Ok(n as usize);
            }
            let e = io::Error::last_os_error();
            match e.kind() {
                io::ErrorKind::Interrupted => continue,
                io::ErrorKind::WouldBlock => self.wait_writable()?,
                _ => return Err(e),
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::os::fd::AsRawFd;

    #[test]
    #[allow(unsafe_code)]
    fn writes_through_a_nonblocking_pipe_larger_than_its_buffer() {
        let (mut reader, writer) = std::io::pipe().unwrap();
        let fd = writer.as_raw_fd();
        // SAFETY: fcntl on a pipe fd we own.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
        let data = vec![b'x'; 1 << 20];
        let reader_thread = std::thread::spawn(move || {
            let mut got = Vec::new();
            reader.read_to_end(&mut got).unwrap();
            got.len()
        });
        FdWriter::new(fd).write_all(&data).unwrap();
        drop(writer);
        assert_eq!(reader_thread.join().unwrap(), data.len());
    }

    #[test]
    fn bad_fd_is_an_error() {
        assert!(FdWriter::new(-1).write_all(b"x").is_err());
    }
}
