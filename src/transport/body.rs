//! Answer bodies read into one buffer per worker, reused from page to page.
//!
//! `Read::read_to_end` zero-fills the spare capacity of a fresh `Vec` on every
//! call (ureq's reader cannot take uninitialised memory): a copy's worth of work
//! per page. Bytes this buffer has zeroed once stay initialised, so after the
//! first page reading costs no allocation and no zeroing.

use std::io::{self, Read};

const FIRST_SIZE: usize = 64 * 1024;

#[derive(Debug, Default)]
pub struct BodyBuffer {
    /// Always fully initialised; an answer uses its first part.
    buf: Vec<u8>,
    /// The length of the last answer read.
    len: usize,
}

impl BodyBuffer {
    /// The last answer read, whole.
    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Reads `reader` to its end; the body is valid until the next read.
    pub fn read_from(&mut self, reader: &mut impl Read) -> Result<&[u8], ureq::Error> {
        let mut filled = 0;
        loop {
            if filled == self.buf.len() {
                let size = (self.buf.len() * 2).max(FIRST_SIZE);
                self.buf.resize(size, 0);
            }
            match reader.read(&mut self.buf[filled..]) {
                Ok(0) => {
                    self.len = filled;
                    return Ok(&self.buf[..filled]);
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // ureq's own errors (the body limit among them) come back unwrapped.
                Err(e) => return Err(ureq::Error::from(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bodies_of_any_size_into_one_buffer() {
        let mut buffer = BodyBuffer::default();
        let big: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        assert_eq!(buffer.read_from(&mut &big[..]).unwrap(), &big[..]);
        assert_eq!(buffer.read_from(&mut &b"short"[..]).unwrap(), b"short");
        assert_eq!(buffer.bytes(), b"short");
        assert_eq!(buffer.read_from(&mut &b""[..]).unwrap(), b"");
    }
}
