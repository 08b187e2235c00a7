//! Free space on the data folder's volume, checked before every group commit so that
//! the store never meets a full disk unprepared (sled does not recover well from a
//! write that fails half-way). Below the reserve new writes are refused; reads go on,
//! and writing resumes by itself once space returns.

use std::path::Path;

/// Space on a volume, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Space {
    pub free: u64,
    pub total: u64,
}

/// The volume holding `dir`, as `statvfs` sees it (space an unprivileged user may use).
pub fn space(dir: &Path) -> std::io::Result<Space> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is a NUL-terminated string and `st` a properly sized out-parameter.
    if unsafe { libc::statvfs(path.as_ptr(), &mut st) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let unit = st.f_frsize as u64;
    Ok(Space { free: st.f_bavail as u64 * unit, total: st.f_blocks as u64 * unit })
}

/// The reserve in bytes: `configured_mb` MiB, or the smaller of 256 MiB and 2 % of the volume.
pub fn reserve(configured_mb: Option<u64>, total: u64) -> u64 {
    match configured_mb {
        Some(mb) => mb.saturating_mul(1 << 20),
        None => (256u64 << 20).min(total / 50),
    }
}

/// Why a group was not written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "not saved: the disk holding {dir} is nearly full ({free_mb} MiB free, {reserve_mb} MiB kept in reserve). \
     Free some space there; reading goes on, and saving resumes by itself"
)]
pub struct LowSpace {
    pub dir: String,
    pub free_mb: u64,
    pub reserve_mb: u64,
}

/// Checks that writing about `bytes` more leaves the reserve free. sled writes a group
/// to its log and later rewrites pages, so twice the group is counted.
pub fn check(dir: &Path, configured_mb: Option<u64>, bytes: u64) -> Result<(), LowSpace> {
    let Ok(s) = space(dir) else { return Ok(()) };
    let reserve = reserve(configured_mb, s.total);
    if s.free < reserve.saturating_add(bytes.saturating_mul(2)) {
        return Err(LowSpace { dir: dir.display().to_string(), free_mb: s.free >> 20, reserve_mb: reserve >> 20 });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_reserve_is_the_smaller_of_256_mib_and_two_percent() {
        assert_eq!(reserve(None, 100 << 30), 256 << 20);
        assert_eq!(reserve(None, 1000 << 20), 20 << 20);
        assert_eq!(reserve(Some(5), 100 << 30), 5 << 20);
    }

    #[test]
    fn a_reserve_larger_than_the_disk_refuses_and_names_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let s = space(dir.path()).unwrap();
        assert!(s.total > 0 && s.free <= s.total);
        let err = check(dir.path(), Some((s.total >> 20) + 1), 0).unwrap_err();
        assert!(err.to_string().contains(&dir.path().display().to_string()), "{err}");
        assert!(check(dir.path(), Some(0), 0).is_ok());
    }
}
