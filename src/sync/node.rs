//! A node: the listener and the outbound peers of one console or hub. Each connection
//! runs in its own task; its errors are logged there and never take the listener down.
//! Outbound peers reconnect with exponential backoff and jitter.

use super::conn::{Conn, ConnError};
use super::handshake::{HANDSHAKE_TIMEOUT, Me, Them, handshake};
use super::limits::{Limits, MAX_PER_ADDRESS};
use super::message::PeerRole;
use super::session::{self, Report};
use super::skew;
use super::trust::{Credentials, Tls};
use crate::desk::Desk;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Connections served at once; more are closed at once.
pub const MAX_CONNECTIONS: usize = 64;
/// A clock difference beyond this is warned about: deadlines depend on every clock.
pub const SKEW_WARN_MS: i64 = 5_000;
/// After a schema refusal a peer is dialled again only this rarely: retrying cannot
/// help until one side is upgraded.
pub const SCHEMA_RETRY: Duration = Duration::from_secs(600);

/// How a node is set up.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    pub console: String,
    pub realm: String,
    /// This console's enrolment: its name must be `console`.
    pub credentials: Credentials,
    pub listen: Option<String>,
    pub peers: Vec<String>,
}

/// What the console header shows for one peer.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerStatus {
    /// The address dialled, or `from <console>` for a peer that dialled us.
    pub name: String,
    pub console: Option<String>,
    pub connected: bool,
    /// When it connected, or since when it has been retrying.
    pub since: DateTime<Utc>,
    pub error: Option<String>,
    /// Their clock minus ours, in milliseconds, at the last handshake or heartbeat.
    pub skew_ms: i64,
    /// How many times `skew_ms` has been measured: a follower acts on each measure once.
    pub measured: u64,
    /// Events they hold that we do not, at their last version vector.
    pub behind: u64,
}

type Table = Arc<Mutex<BTreeMap<String, PeerStatus>>>;

/// A running node.
pub struct Node {
    pub local_addr: Option<SocketAddr>,
    status: Table,
    stop: watch::Sender<bool>,
}

struct Reporter {
    table: Table,
    name: String,
}

impl Report for Reporter {
    fn behind(&self, n: u64) {
        if let Some(s) = self.table.lock().unwrap_or_else(|e| e.into_inner()).get_mut(&self.name) {
            s.behind = n;
        }
    }

    fn skew(&self, ms: i64) {
        if let Some(s) = self.table.lock().unwrap_or_else(|e| e.into_inner()).get_mut(&self.name) {
            s.skew_ms = ms;
            s.measured += 1;
        }
    }
}

fn set(table: &Table, name: &str, f: impl FnOnce(&mut PeerStatus)) {
    let mut t = table.lock().unwrap_or_else(|e| e.into_inner());
    let entry = t.entry(name.to_string()).or_insert_with(|| PeerStatus {
        name: name.to_string(),
        console: None,
        connected: false,
        since: Utc::now(),
        error: None,
        skew_ms: 0,
        measured: 0,
        behind: 0,
    });
    f(entry);
}

/// Marks a peer connected after its handshake, with the clock difference it measured
/// (warned about when large).
fn connected(status: &Table, name: &str, them: &Them) {
    note_skew(them, name);
    set(status, name, |s| {
        s.console = Some(them.console.clone());
        s.connected = true;
        s.since = Utc::now();
        s.error = None;
        s.skew_ms = them.skew_ms;
        s.measured += 1;
    });
}

/// Marks a peer refused for its clock: the header shows the difference, the table why.
fn clock_refused(status: &Table, name: &str, them: &Them, e: &ConnError) {
    set(status, name, |s| {
        s.console = Some(them.console.clone());
        s.connected = false;
        s.error = Some(e.to_string());
        s.skew_ms = them.skew_ms;
    });
}

fn note_skew(them: &Them, name: &str) {
    if them.skew_ms.abs() > SKEW_WARN_MS {
        tracing::warn!("clock skew with {name} ({}): {} ms; deadlines may be off", them.console, them.skew_ms);
    }
}

/// The secure channel and the handshake identity of `credentials`, which must be
/// enrolled as `name`.
pub fn secure(credentials: &Credentials, name: &str, realm: &str, role: PeerRole) -> std::io::Result<(Tls, Me)> {
    if credentials.name != name {
        return Err(std::io::Error::other(format!(
            "this console is named `{name}` but its credentials are for `{}`; set `name = \"{}\"` in console.toml",
            credentials.name, credentials.name
        )));
    }
    let tls = Tls::new(credentials).map_err(std::io::Error::other)?;
    let me = Me {
        console: name.to_string(),
        realm: realm.to_string(),
        role,
        endorsement: credentials.endorsement().map_err(std::io::Error::other)?,
        authority: credentials.authority_key().map_err(std::io::Error::other)?,
    };
    Ok((tls, me))
}

impl Node {
    /// Starts listening and dialling; returns once the listener is bound.
    pub async fn start(desk: Desk, cfg: NodeConfig) -> std::io::Result<Node> {
        let (stop, stopped) = watch::channel(false);
        let status: Table = Arc::default();
        let (tls, me) = secure(&cfg.credentials, &cfg.console, &cfg.realm, PeerRole::Console)?;
        // Peers store what we relay of this console only under its signed head.
        if desk.settings().console.name == cfg.console {
            desk.sign_with(cfg.credentials.signer().map_err(std::io::Error::other)?).await;
        }
        let mut local_addr = None;
        if let Some(addr) = &cfg.listen {
            let listener = TcpListener::bind(addr).await?;
            local_addr = Some(listener.local_addr()?);
            tracing::info!("listening on {}", listener.local_addr()?);
            tokio::spawn(accept_loop(listener, desk.clone(), tls.clone(), me.clone(), status.clone(), stopped.clone()));
        }
        for peer in &cfg.peers {
            tokio::spawn(dial_loop(
                peer.clone(),
                desk.clone(),
                tls.clone(),
                me.clone(),
                status.clone(),
                stopped.clone(),
            ));
        }
        Ok(Node { local_addr, status, stop })
    }

    /// Every peer's state.
    pub fn peers(&self) -> Vec<PeerStatus> {
        self.status.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect()
    }

    /// A handle for reading the peers' state from elsewhere.
    pub fn status_handle(&self) -> impl Fn() -> Vec<PeerStatus> + Send + Sync + 'static {
        let t = self.status.clone();
        move || t.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect()
    }

    /// Stops listening and closes every connection.
    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Where a console named `console` is connected now, if it is.
fn connected_as(status: &Table, console: &str) -> Option<String> {
    let t = status.lock().unwrap_or_else(|e| e.into_inner());
    t.values().find(|p| p.connected && p.console.as_deref() == Some(console)).map(|p| p.name.clone())
}

/// Why a peer that passed the handshake is still refused: its certificate was revoked.
fn revoked(desk: &Desk, them: &Them) -> Option<String> {
    match desk.store().revoked(&them.endorsement.cert) {
        Ok(None) => None,
        Ok(Some(name)) => Some(format!(
            "the certificate of `{name}` was revoked; enroll it again (`yuqing cluster enroll {name} --replace`)"
        )),
        Err(e) => Some(format!("cannot check revocations: {e}")),
    }
}

/// The clock a node sends in `hello` and heartbeats: the desk's, but in a drill realm
/// the wall clock, never the drill clock (differences of drill clocks are not skew: a
/// trainee follows the trainer's recorded paces, read at the trainer's wall clock).
fn now_ms(desk: &Desk) -> i64 {
    if desk.store().realm().starts_with("drill:") {
        return crate::domain::clock::Clock::now(&crate::domain::clock::SystemClock).timestamp_millis();
    }
    desk.clock().now().timestamp_millis()
}

async fn accept_loop(
    listener: TcpListener,
    desk: Desk,
    tls: Tls,
    me: Me,
    status: Table,
    mut stopped: watch::Receiver<bool>,
) {
    let limits = Limits::new(MAX_CONNECTIONS, MAX_PER_ADDRESS);
    loop {
        let (stream, addr) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = stopped.changed() => return,
        };
        let permit = match limits.admit(addr.ip()) {
            Ok(p) => p,
            Err(full) => {
                // Not even TLS: the connection is closed at once.
                tracing::warn!("{addr}: refused, {full}");
                drop(stream);
                continue;
            }
        };
        let (desk, tls, me, status, mut stopped) =
            (desk.clone(), tls.clone(), me.clone(), status.clone(), stopped.clone());
        tokio::spawn(async move {
            let _permit = permit;
            tokio::select! {
                r = serve(stream, &desk, &tls, &me, &status) => if let Err(e) = r {
                    tracing::warn!("{addr}: {e}");
                },
                _ = stopped.changed() => {}
            }
        });
    }
}

async fn serve(stream: TcpStream, desk: &Desk, tls: &Tls, me: &Me, status: &Table) -> Result<(), ConnError> {
    let within = |e: std::io::Error| ConnError::Frame(format!("TLS: {e}"));
    let secured = tokio::time::timeout(HANDSHAKE_TIMEOUT, tls.accept(stream))
        .await
        .map_err(|_| ConnError::Timeout(HANDSHAKE_TIMEOUT))?
        .map_err(within)?;
    let mut conn = Conn::new(secured);
    // The hello's own deadline (inside `handshake`, which tells the peer) comes first;
    // this one only bounds a peer that trickles a frame in.
    let whole = HANDSHAKE_TIMEOUT + Duration::from_secs(1);
    let them = match tokio::time::timeout(whole, handshake(&mut conn, me, now_ms(desk))).await {
        Ok(r) => r?,
        Err(_) => {
            conn.refuse("handshake not finished in time").await;
            return Err(ConnError::Timeout(whole));
        }
    };
    if let Some(reason) = revoked(desk, &them) {
        conn.refuse(&reason).await;
        return Err(ConnError::Refusing(reason));
    }
    if them.role == PeerRole::Submitter {
        tracing::info!("{}: submitter connected", conn.peer);
        return session::serve_submitter(&mut conn, desk, &them.endorsement).await;
    }
    let name = format!("from {}", them.console);
    if let Some(at) = connected_as(status, &them.console) {
        let reason = format!(
            "console `{}` is connected already ({at}): two machines hold the same credentials; \
             revoke them (`yuqing cluster revoke {}`) and enroll each machine under its own name",
            them.console, them.console
        );
        tracing::error!("{}: {reason}", conn.peer);
        conn.refuse(&reason).await;
        return Err(ConnError::Refusing(reason));
    }
    skew::at_handshake(&mut conn, &them, desk).await.inspect_err(|e| clock_refused(status, &name, &them, e))?;
    connected(status, &name, &them);
    tracing::info!("{}: console {} connected", conn.peer, them.console);
    let reporter = Reporter { table: status.clone(), name: name.clone() };
    let d = desk.clone();
    let r =
        session::replicate(conn, desk, &them.console, &them.endorsement.cert, &me.authority, &reporter, move || {
            now_ms(&d)
        })
        .await;
    set(status, &name, |s| {
        s.connected = false;
        s.since = Utc::now();
        s.error = r.as_ref().err().map(|e| e.to_string());
    });
    r
}

async fn dial_loop(addr: String, desk: Desk, tls: Tls, me: Me, status: Table, mut stopped: watch::Receiver<bool>) {
    let mut failures: u32 = 0;
    set(&status, &addr, |_| {});
    loop {
        let started = std::time::Instant::now();
        let result = tokio::select! {
            r = dial_once(&addr, &desk, &tls, &me, &status) => r,
            _ = stopped.changed() => return,
        };
        let schema = matches!(result, Err(ConnError::Schema(_)));
        let error = match result {
            Ok(()) => "connection closed".to_string(),
            Err(e) => e.to_string(),
        };
        if started.elapsed() > Duration::from_secs(10) {
            failures = 0;
        }
        failures += 1;
        set(&status, &addr, |s| {
            if s.connected {
                s.since = Utc::now();
            }
            s.connected = false;
            s.error = Some(error.clone());
        });
        let base = if schema {
            if failures == 1 {
                tracing::warn!("peer {addr}: {error}; trying again every {} minutes", SCHEMA_RETRY.as_secs() / 60);
            }
            SCHEMA_RETRY
        } else {
            tracing::info!("peer {addr}: {error}; retrying");
            Duration::from_millis(250).saturating_mul(1u32 << failures.min(7)).min(Duration::from_secs(30))
        };
        let jitter: f64 = 0.5 + rand::random::<f64>();
        tokio::select! {
            _ = tokio::time::sleep(base.mul_f64(jitter)) => {}
            _ = stopped.changed() => return,
        }
    }
}

async fn dial_once(addr: &str, desk: &Desk, tls: &Tls, me: &Me, status: &Table) -> Result<(), ConnError> {
    let mut conn = super::conn::dial(addr, tls).await?;
    let them = tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake(&mut conn, me, now_ms(desk)))
        .await
        .map_err(|_| ConnError::Timeout(HANDSHAKE_TIMEOUT))??;
    if them.role != PeerRole::Console {
        return Err(ConnError::Malformed(format!("{addr} is not a console")));
    }
    if let Some(reason) = revoked(desk, &them) {
        conn.refuse(&reason).await;
        return Err(ConnError::Refusing(reason));
    }
    skew::at_handshake(&mut conn, &them, desk).await.inspect_err(|e| clock_refused(status, addr, &them, e))?;
    connected(status, addr, &them);
    tracing::info!("peer {addr}: connected to console {}", them.console);
    let reporter = Reporter { table: status.clone(), name: addr.to_string() };
    let d = desk.clone();
    session::replicate(conn, desk, &them.console, &them.endorsement.cert, &me.authority, &reporter, move || now_ms(&d))
        .await
}
