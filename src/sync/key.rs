//! The cluster key: 32 random bytes, hex in a file only its owner may read.

use std::path::Path;

/// The shared secret every console and submitter of one deployment holds.
#[derive(Clone)]
pub struct ClusterKey(pub(crate) Vec<u8>);

impl std::fmt::Debug for ClusterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClusterKey(…)")
    }
}

impl ClusterKey {
    /// A new random key.
    pub fn generate() -> ClusterKey {
        let mut k = [0u8; 32];
        rand::fill(&mut k);
        ClusterKey(k.to_vec())
    }

    pub fn from_bytes(b: &[u8]) -> ClusterKey {
        ClusterKey(b.to_vec())
    }

    fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Writes the key to `path`, readable by its owner only; refuses to overwrite.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        if path.exists() {
            return Err(format!(
                "{} exists; remove it first to make a new key (every console then needs the new one)",
                path.display()
            ));
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        std::io::Write::write_all(&mut f, format!("{}\n", self.hex()).as_bytes())
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Reads a key file; refuses one that others may read, or that is not a key.
    pub fn load(path: &Path) -> Result<ClusterKey, String> {
        let meta = std::fs::metadata(path).map_err(|e| {
            format!("{}: {e}; make a key with `yuqing keygen` and copy it to every console", path.display())
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                return Err(format!(
                    "{} is readable by others (mode {:o}); the cluster key must be private: chmod 600 {}",
                    path.display(),
                    mode & 0o777,
                    path.display()
                ));
            }
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let t = text.trim();
        if t.len() != 64 || !t.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!(
                "{}: not a cluster key (64 hex digits); make one with `yuqing keygen`",
                path.display()
            ));
        }
        let bytes = (0..32).map(|i| u8::from_str_radix(&t[i * 2..i * 2 + 2], 16).unwrap_or(0)).collect();
        Ok(ClusterKey(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_key_loads_back_and_a_readable_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("cluster.key");
        let k = ClusterKey::generate();
        k.write(&p).unwrap();
        assert_eq!(ClusterKey::load(&p).unwrap().0, k.0);
        assert!(k.write(&p).unwrap_err().contains("exists"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(ClusterKey::load(&p).unwrap_err().contains("readable by others"));
        }
    }
}
