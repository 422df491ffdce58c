//! Rendered output is capped, so a hostile or mistaken template (a loop in
//! a loop, a partial that includes itself) fails with a clear error instead
//! of filling memory and disk. The caps are far above any real file.

use std::io::Write;

/// The most one rendered file may hold: 64 MiB.
pub const MAX_FILE_BYTES: usize = 64 << 20;

/// The most one whole render (every file of a golden path) may hold: 512 MiB.
pub const MAX_RENDER_BYTES: usize = 512 << 20;

/// The message of a render stopped by `MAX_FILE_BYTES`.
pub fn too_large_message() -> String {
    format!(
        "renders more than {} MiB, the limit for one file (is a loop unbounded?)",
        MAX_FILE_BYTES >> 20
    )
}

/// An in-memory writer that refuses to grow past `MAX_FILE_BYTES`.
#[derive(Default)]
pub struct CappedBuffer {
    pub bytes: Vec<u8>,
    pub overflowed: bool,
}

impl Write for CappedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_FILE_BYTES {
            self.overflowed = true;
            return Err(std::io::Error::other(too_large_message()));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_cap() {
        let mut b = CappedBuffer::default();
        b.write_all(&vec![b'x'; MAX_FILE_BYTES]).unwrap();
        assert!(b.write_all(b"y").is_err());
        assert!(b.overflowed);
    }
}
