//! The cluster authority: makes itself once, then enrolls names. Its private key stays
//! on the machine that ran `yuqing cluster init` (`<config>/authority/`, owner-only);
//! every credentials file carries its public key and certificate.

use super::credentials::{Credentials, Role, read_private, write_private};
use super::endorsement::{Endorsement, fingerprint};
use crate::domain::said::Said;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, PKCS_ED25519,
};
use std::path::Path;

/// The name every console certificate carries: peers are told apart by endorsement,
/// not by host name (consoles move between addresses).
pub const CLUSTER_NAME: &str = "cluster.yuqing";

/// A loaded authority.
pub struct Authority {
    key: KeyPair,
    cert_pem: String,
}

fn ca_params() -> CertificateParams {
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "yuqing cluster authority");
    p.distinguished_name = dn;
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    p
}

/// A short name, unique in the deployment. A console's is also the prefix of its case
/// numbers and item ids (`console.toml`'s `name`): 1–8 letters, digits or `_`. A
/// monitoring tool's may be longer: letters, digits, `-` and `_`, at most 16.
pub fn check_name(name: &str, role: Role) -> Result<(), Said> {
    match role {
        Role::Console if !crate::config::valid_console_name(name) => Err(Said {
            en: format!("`{name}` is not a console name: use 1–8 letters, digits or `_`"),
            zh: format!("`{name}` 不是值守台名称：请用 1–8 个字母、数字或 `_`"),
        }),
        _ if name.is_empty()
            || name.len() > 16
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Err(Said {
                en: format!("`{name}` is not a name for a monitoring tool: use 1–16 letters, digits, `-` or `_`"),
                zh: format!("`{name}` 不是监测工具的名称：请用 1–16 个字母、数字、`-` 或 `_`"),
            })
        }
        _ => Ok(()),
    }
}

/// The same ed25519 key written as PKCS#8 version 1 (the 32-byte seed, without the
/// public key): ring writes version 2, which OpenSSL 3.0 cannot read, and tools written
/// with other TLS libraries must load the credentials file too.
fn portable(key: KeyPair) -> Result<KeyPair, String> {
    const V1_PREFIX: [u8; 16] =
        [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
    let der = key.serialize_der();
    // Version 2 from ring: SEQUENCE, INTEGER 1, the algorithm, then OCTET STRING (OCTET STRING seed).
    let seed = der.get(16..48).filter(|_| der.get(12..16) == Some(&[0x04, 0x22, 0x04, 0x20][..]));
    let seed = seed.ok_or("an ed25519 key in an unexpected PKCS#8 layout")?;
    let v1 = [&V1_PREFIX[..], seed].concat();
    KeyPair::from_pkcs8_der_and_sign_algo(&v1.into(), &PKCS_ED25519).map_err(|e| e.to_string())
}

impl Authority {
    /// A new authority, in memory.
    pub fn generate() -> Result<Authority, String> {
        let key = KeyPair::generate_for(&PKCS_ED25519).map_err(|e| e.to_string())?;
        let cert = ca_params().self_signed(&key).map_err(|e| e.to_string())?;
        Ok(Authority { key, cert_pem: cert.pem() })
    }

    /// Makes a new authority in `dir`; refuses if one is there.
    pub fn init(dir: &Path) -> Result<Authority, String> {
        let a = Authority::generate()?;
        write_private(&dir.join("authority.key"), a.key.serialize_pem().as_bytes())?;
        write_private(&dir.join("authority.pem"), a.cert_pem.as_bytes())?;
        Ok(a)
    }

    /// The authority kept in `dir`; the error says why not in both languages.
    pub fn load(dir: &Path) -> Result<Authority, Said> {
        let key = read_private(&dir.join("authority.key")).map_err(|e| Said {
            en: format!("{}\nThe authority lives on the machine that ran `yuqing cluster init`; run this there.", e.en),
            zh: match dir.join("authority.key").exists() {
                true => e.zh,
                false => format!("{}：集群证书机构在运行过 `yuqing cluster init` 的那台机器上，请在那里运行", e.zh),
            },
        })?;
        let unreadable = |file: &str, e: String| {
            let path = dir.join(file);
            Said { en: format!("{}: {e}", path.display()), zh: format!("{} 读不出（{e}）", path.display()) }
        };
        let key = KeyPair::from_pem(&key).map_err(|e| unreadable("authority.key", e.to_string()))?;
        let cert_pem = std::fs::read_to_string(dir.join("authority.pem"))
            .map_err(|e| unreadable("authority.pem", e.to_string()))?;
        Ok(Authority { key, cert_pem })
    }

    /// New credentials for `name` in `role`: a key pair, a certificate this authority
    /// signs, and its endorsement.
    pub fn enroll(&self, name: &str, role: Role) -> Result<Credentials, String> {
        check_name(name, role).map_err(|e| e.en)?;
        let key = portable(KeyPair::generate_for(&PKCS_ED25519).map_err(|e| e.to_string())?)?;
        let mut p = CertificateParams::new(vec![CLUSTER_NAME.to_string()]).map_err(|e| e.to_string())?;
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, format!("{name} ({})", role.name()));
        p.distinguished_name = dn;
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        let issuer = Issuer::new(ca_params(), &self.key);
        let cert = p.signed_by(&key, &issuer).map_err(|e| e.to_string())?;
        let fpr = fingerprint(cert.der());
        let public = hex::encode(key.public_key_raw());
        let msg = Endorsement::message(name, role, &fpr, &public);
        let signer = ring::signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&self.key.serialize_der())
            .map_err(|e| e.to_string())?;
        Ok(Credentials {
            name: name.to_string(),
            role,
            authority: hex::encode(self.key.public_key_raw()),
            authority_cert: self.cert_pem.clone(),
            cert: cert.pem(),
            key: key.serialize_pem(),
            endorsement: hex::encode(signer.sign(&msg).as_ref()),
        })
    }
}
