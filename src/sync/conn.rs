//! Frames on a secure stream (TLS over TCP): bytes ↔ messages in one place, with the
//! size limits and read deadlines. A clean end of stream is `Ok(None)`; a reset or a stall mid-frame
//! is an error.

use super::message::{MAX_FRAME, MAX_HELLO_FRAME, Message};
use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::TlsStream;
use tokio_util::codec::{Framed, LengthDelimitedCodec};

/// Why a connection ended.
#[derive(Debug, thiserror::Error)]
pub enum ConnError {
    #[error("no message within {0:?} (the peer stalled or is gone)")]
    Timeout(Duration),
    #[error("bad frame: {0}")]
    Frame(String),
    #[error("{0}")]
    Malformed(String),
    #[error("refused by the peer: {0}")]
    Refused(String),
    /// This side refused the peer, for this reason (the peer was told).
    #[error("refused: {0}")]
    Refusing(String),
    #[error("{0}")]
    Connect(String),
    #[error("unexpected `{0}` message")]
    Unexpected(&'static str),
    #[error("connection closed by the peer")]
    Closed,
    /// The two sides write different event schemas: retrying will not help.
    #[error("{0}")]
    Schema(String),
    #[error(transparent)]
    Clock(#[from] super::skew::TooFar),
}

type Stream = TlsStream<TcpStream>;

/// A framed connection.
pub struct Conn {
    framed: Framed<Stream, LengthDelimitedCodec>,
    pub peer: String,
}

impl Conn {
    /// Frames a secured stream.
    pub fn new(stream: Stream) -> Conn {
        let tcp = stream.get_ref().0;
        let peer = tcp.peer_addr().map(|a| a.to_string()).unwrap_or_else(|_| "?".into());
        let _ = tcp.set_nodelay(true);
        // Small frames until the peer has proved who it is.
        let codec = LengthDelimitedCodec::builder()
            .big_endian()
            .length_field_length(4)
            .max_frame_length(MAX_HELLO_FRAME)
            .new_codec();
        Conn { framed: Framed::new(stream, codec), peer }
    }

    pub async fn send(&mut self, m: &Message) -> Result<(), ConnError> {
        send_on(&mut self.framed, m).await
    }

    /// The next message, waiting at most `within`; `Ok(None)` at a clean end of stream.
    pub async fn recv(&mut self, within: Duration) -> Result<Option<Message>, ConnError> {
        recv_on(&mut self.framed, within).await
    }

    /// SHA-256 of the certificate the peer presented (DER, hex).
    pub fn peer_certificate(&self) -> Option<String> {
        let certs = match self.framed.get_ref() {
            TlsStream::Client(s) => s.get_ref().1.peer_certificates(),
            TlsStream::Server(s) => s.get_ref().1.peer_certificates(),
        };
        certs.and_then(|c| c.first()).map(|c| super::trust::fingerprint(c.as_ref()))
    }

    /// The peer is authenticated: frames up to [`MAX_FRAME`] are taken from now on.
    pub fn authenticated(&mut self) {
        self.framed.codec_mut().set_max_frame_length(MAX_FRAME);
    }

    /// Like `recv`, but the end of stream is an error and a refusal is returned as one.
    pub async fn expect(&mut self, within: Duration) -> Result<Message, ConnError> {
        match self.recv(within).await? {
            None => Err(ConnError::Closed),
            Some(Message::Refuse { reason }) => Err(ConnError::Refused(reason)),
            Some(m) => Ok(m),
        }
    }

    /// Separate halves, so reading never waits for writing (both sides may send a long
    /// catch-up at once).
    pub fn split(self) -> (Reader, Writer) {
        let (sink, stream) = self.framed.split();
        (Reader { stream }, Writer { sink })
    }

    /// Tells the peer why, then closes.
    pub async fn refuse(mut self, reason: &str) {
        let _ = self.send(&Message::Refuse { reason: reason.to_string() }).await;
        let _ = SinkExt::<Bytes>::close(&mut self.framed).await;
    }
}

/// Dials `addr` and secures the connection (TCP within 3 s, TLS within the handshake
/// deadline).
pub async fn dial(addr: &str, tls: &super::trust::Tls) -> Result<Conn, ConnError> {
    let tcp = tokio::time::timeout(Duration::from_secs(3), TcpStream::connect(addr))
        .await
        .map_err(|_| ConnError::Timeout(Duration::from_secs(3)))?
        .map_err(|e| ConnError::Connect(format!("cannot connect to {addr}: {e}")))?;
    let within = super::handshake::HANDSHAKE_TIMEOUT;
    let secured = tokio::time::timeout(within, tls.connect(tcp))
        .await
        .map_err(|_| ConnError::Timeout(within))?
        .map_err(|e| ConnError::Connect(format!("TLS with {addr}: {e}")))?;
    Ok(Conn::new(secured))
}

/// The receiving half of a connection.
pub struct Reader {
    stream: futures::stream::SplitStream<Framed<Stream, LengthDelimitedCodec>>,
}

impl Reader {
    /// The next message, waiting at most `within`; `Ok(None)` at a clean end of stream.
    pub async fn recv(&mut self, within: Duration) -> Result<Option<Message>, ConnError> {
        recv_on(&mut self.stream, within).await
    }
}

/// The sending half of a connection.
pub struct Writer {
    sink: futures::stream::SplitSink<Framed<Stream, LengthDelimitedCodec>, Bytes>,
}

impl Writer {
    pub async fn send(&mut self, m: &Message) -> Result<(), ConnError> {
        send_on(&mut self.sink, m).await
    }

    /// Sends a payload encoded already (see [`Message::events_payload`]).
    pub async fn send_payload(&mut self, payload: Vec<u8>) -> Result<(), ConnError> {
        if payload.len() > MAX_FRAME {
            return Err(ConnError::Frame(format!(
                "a payload of {} bytes is over the {MAX_FRAME}-byte limit",
                payload.len()
            )));
        }
        self.sink.send(Bytes::from(payload)).await.map_err(|e| ConnError::Frame(e.to_string()))
    }
}

/// Encodes and sends one message as one frame.
async fn send_on<S: futures::Sink<Bytes, Error = std::io::Error> + Unpin>(
    sink: &mut S,
    m: &Message,
) -> Result<(), ConnError> {
    let payload = m.encode().map_err(ConnError::Frame)?;
    if payload.len() > MAX_FRAME {
        return Err(ConnError::Frame(format!(
            "a {} message of {} bytes is over the {MAX_FRAME}-byte limit",
            m.kind(),
            payload.len()
        )));
    }
    sink.send(Bytes::from(payload)).await.map_err(|e| ConnError::Frame(e.to_string()))
}

/// Reads one frame and decodes it.
async fn recv_on<S: futures::Stream<Item = std::io::Result<bytes::BytesMut>> + Unpin>(
    stream: &mut S,
    within: Duration,
) -> Result<Option<Message>, ConnError> {
    match tokio::time::timeout(within, stream.next()).await {
        Err(_) => Err(ConnError::Timeout(within)),
        Ok(None) => Ok(None),
        // A TLS peer that closes between frames without close_notify has simply gone;
        // one that stops inside a frame is still an error (the codec reports it).
        Ok(Some(Err(e))) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Ok(Some(Err(e))) => Err(ConnError::Frame(e.to_string())),
        Ok(Some(Ok(bytes))) => Message::decode(&bytes).map(Some).map_err(ConnError::Malformed),
    }
}
