//! TLS 1.3 with mutual authentication (rustls, ring): each side presents its certificate
//! and accepts only a certificate the cluster authority signed.

use super::authority::CLUSTER_NAME;
use super::credentials::Credentials;
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use rustls_pki_types::ServerName;
use std::sync::Arc;
use tokio::net::TcpStream;

/// Why a secure channel could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("credentials: {0}")]
    Credentials(String),
    #[error("TLS: {0}")]
    Tls(#[from] rustls::Error),
}

/// Both ends of the secure channel for one console.
#[derive(Clone)]
pub struct Tls {
    server: Arc<ServerConfig>,
    client: Arc<ClientConfig>,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tls(…)")
    }
}

impl Tls {
    pub fn new(creds: &Credentials) -> Result<Tls, TlsError> {
        let bad = TlsError::Credentials;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        roots.add(creds.authority_der().map_err(bad)?)?;
        let roots = Arc::new(roots);
        let chain = vec![creds.cert_der().map_err(bad)?];
        let verifier = WebPkiClientVerifier::builder_with_provider(roots.clone(), provider.clone())
            .build()
            .map_err(|e| TlsError::Credentials(e.to_string()))?;
        let server = ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[&rustls::version::TLS13])?
            .with_client_cert_verifier(verifier)
            .with_single_cert(chain.clone(), creds.key_der().map_err(bad)?)?;
        let client = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])?
            .with_root_certificates(roots)
            .with_client_auth_cert(chain, creds.key_der().map_err(bad)?)?;
        Ok(Tls { server: Arc::new(server), client: Arc::new(client) })
    }

    /// Secures a connection we dialled.
    pub async fn connect(&self, tcp: TcpStream) -> std::io::Result<tokio_rustls::TlsStream<TcpStream>> {
        let name = ServerName::try_from(CLUSTER_NAME).map_err(std::io::Error::other)?;
        let s = tokio_rustls::TlsConnector::from(self.client.clone()).connect(name, tcp).await?;
        Ok(tokio_rustls::TlsStream::Client(s))
    }

    /// Secures a connection we accepted.
    pub async fn accept(&self, tcp: TcpStream) -> std::io::Result<tokio_rustls::TlsStream<TcpStream>> {
        let s = tokio_rustls::TlsAcceptor::from(self.server.clone()).accept(tcp).await?;
        Ok(tokio_rustls::TlsStream::Server(s))
    }
}
