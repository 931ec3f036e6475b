//! Reading a small file the user names (credentials, profiles, token files, CA
//! bundles): a regular file only, since a FIFO would block for ever and a
//! device might never end; bounded in size; and whether others may read it.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// A file's content, and whether its group or others may read it.
pub(crate) struct Small {
    pub bytes: Vec<u8>,
    pub readable_by_others: bool,
}

/// Why a file could not be read; the caller names the file and its key.
#[derive(Debug)]
pub(crate) enum Refused {
    Missing,
    /// Not a regular file: what it is instead.
    NotRegular(&'static str),
    TooLarge(u64),
    Io(std::io::ErrorKind),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Missing => write!(f, "it does not exist"),
            Refused::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
            Refused::TooLarge(max) if *max >= 1 << 20 => write!(f, "it is over {} MiB", max >> 20),
            Refused::TooLarge(max) => write!(f, "it is over {} KiB", max >> 10),
            Refused::Io(kind) => write!(f, "it cannot be read ({kind})"),
        }
    }
}

/// The whole of `path`, at most `max` bytes.
pub(crate) fn read(path: &Path, max: u64) -> Result<Small, Refused> {
    let file = open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Refused::Missing,
        kind => Refused::Io(kind),
    })?;
    // Checked on the file opened, not the path: it cannot be swapped between.
    let metadata = file.metadata().map_err(|e| Refused::Io(e.kind()))?;
    if !metadata.is_file() {
        return Err(Refused::NotRegular(what_it_is(&metadata)));
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Refused::Io(e.kind()))?;
    if bytes.len() as u64 > max {
        return Err(Refused::TooLarge(max));
    }
    Ok(Small {
        bytes,
        readable_by_others: readable_by_others(&metadata),
    })
}

/// Opened without blocking: opening a FIFO for reading would wait for a writer.
#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(unix)]
fn what_it_is(metadata: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else {
        "not a file"
    }
}

#[cfg(not(unix))]
fn what_it_is(metadata: &std::fs::Metadata) -> &'static str {
    if metadata.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

#[cfg(unix)]
fn readable_by_others(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o044 != 0
}

#[cfg(not(unix))]
fn readable_by_others(_: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read() {
        let dir = std::env::temp_dir().join(format!("ges-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(matches!(
            read(&dir, 10),
            Err(Refused::NotRegular("a directory"))
        ));
        assert!(matches!(read(&dir.join("none"), 10), Err(Refused::Missing)));
        let fifo = dir.join("fifo");
        let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read(&fifo, 10),
            Err(Refused::NotRegular("a FIFO"))
        ));
        assert!(matches!(
            read(Path::new("/dev/zero"), 10),
            Err(Refused::NotRegular("a device"))
        ));
        let file = dir.join("f");
        std::fs::write(&file, "0123456789ab").unwrap();
        assert!(matches!(read(&file, 10), Err(Refused::TooLarge(10))));
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(!read(&file, 100).unwrap().readable_by_others);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        let small = read(&file, 100).unwrap();
        assert!(small.readable_by_others);
        assert_eq!(small.bytes, b"0123456789ab");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
