//! A console's (or monitoring tool's) credentials: one TOML file, owner-only, written
//! by `yuqing cluster enroll` and carried to that console's config folder.

use super::endorsement::{Endorsement, fingerprint};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What an enrolled name may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A console or hub: replicates events, and may submit and act for its operators.
    Console,
    /// A monitoring tool: may only submit items.
    Submitter,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Console => "console",
            Role::Submitter => "submitter",
        }
    }
}

/// The contents of a credentials file.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub name: String,
    pub role: Role,
    /// The authority's ed25519 public key, hex.
    pub authority: String,
    /// The authority's certificate, PEM: the one root every peer's certificate must chain to.
    pub authority_cert: String,
    /// This name's certificate, PEM.
    pub cert: String,
    /// This name's private key, PKCS#8 PEM.
    pub key: String,
    /// The authority's signature, hex (see [`Endorsement`]).
    pub endorsement: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({} as {})", self.name, self.role.name())
    }
}

fn pem_cert(pem: &str) -> Result<CertificateDer<'static>, String> {
    CertificateDer::from_pem_slice(pem.as_bytes()).map_err(|e| format!("certificate: {e}"))
}

impl Credentials {
    /// This name's certificate, DER.
    pub fn cert_der(&self) -> Result<CertificateDer<'static>, String> {
        pem_cert(&self.cert)
    }

    /// The authority's certificate, DER.
    pub fn authority_der(&self) -> Result<CertificateDer<'static>, String> {
        pem_cert(&self.authority_cert)
    }

    /// This name's private key, DER.
    pub fn key_der(&self) -> Result<PrivateKeyDer<'static>, String> {
        PrivateKeyDer::from_pem_slice(self.key.as_bytes()).map_err(|e| format!("key: {e}"))
    }

    /// The authority's public key, raw.
    pub fn authority_key(&self) -> Result<Vec<u8>, String> {
        hex::decode(&self.authority).map_err(|e| format!("authority: {e}"))
    }

    /// What this console shows of itself in the handshake.
    pub fn endorsement(&self) -> Result<Endorsement, String> {
        let key = rcgen::KeyPair::from_pem(&self.key).map_err(|e| format!("key: {e}"))?;
        Ok(Endorsement {
            name: self.name.clone(),
            role: self.role,
            cert: fingerprint(self.cert_der()?.as_ref()),
            key: hex::encode(key.public_key_raw()),
            sig: self.endorsement.clone(),
        })
    }

    /// What signs this console's history heads: its own key, with its endorsement.
    pub fn signer(&self) -> Result<crate::store::Signer, String> {
        let der = match self.key_der()? {
            PrivateKeyDer::Pkcs8(k) => k.secret_pkcs8_der().to_vec(),
            _ => return Err("key: not PKCS#8".into()),
        };
        let key = ring::signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der).map_err(|e| format!("key: {e}"))?;
        let endorsement = serde_json::to_value(self.endorsement()?).map_err(|e| e.to_string())?;
        Ok(crate::store::Signer { sign: Box::new(move |m| hex::encode(key.sign(m).as_ref())), endorsement })
    }

    /// Checks that the file holds what the authority issued: the endorsement verifies
    /// for this certificate and key.
    pub fn check(&self) -> Result<(), String> {
        if !self.endorsement()?.verify(&self.authority_key()?) {
            return Err("the endorsement does not match this name, certificate and key".into());
        }
        Ok(())
    }

    /// Writes the file, readable by its owner only; never overwrites.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = format!(
            "# yuqing credentials of `{}` ({}): keep this file private; it is this console's identity.\n{}",
            self.name,
            self.role.name(),
            toml::to_string(self).map_err(|e| e.to_string())?
        );
        write_private(path, text.as_bytes())
    }

    /// Reads a credentials file; refuses one that others may read, or that does not check.
    pub fn load(path: &Path) -> Result<Credentials, String> {
        let text = read_private(path).map_err(|e| {
            let e = e.en;
            format!("{e}\nEnroll this console on the authority's machine (`yuqing cluster enroll NAME`) and put the file here, or start a deployment with `yuqing cluster init`.")
        })?;
        let c: Credentials = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        c.check().map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(c)
    }
}

/// Creates `path` with mode 0600; refuses to replace a file.
pub(super) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if path.exists() {
        return Err(format!("{} exists; move it away first", path.display()));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    std::io::Write::write_all(&mut f, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads a file that must be its owner's only.
pub(super) fn read_private(path: &Path) -> Result<String, crate::domain::said::Said> {
    use crate::domain::said::Said;
    use std::os::unix::fs::PermissionsExt;
    let shown = path.display();
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => Said { en: format!("{shown}: {e}"), zh: format!("{shown} 不存在") },
        _ => Said { en: format!("{shown}: {e}"), zh: format!("{shown} 读不出（{e}）") },
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(Said {
            en: format!("{shown} is readable by others; it holds a private key: `chmod 600 {shown}`"),
            zh: format!("{shown} 其他用户也能读取，而它存有私钥：`chmod 600 {shown}`"),
        });
    }
    std::fs::read_to_string(path).map_err(io)
}
