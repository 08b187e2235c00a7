//! A submitter: monitoring tools and the command line (`--to ADDR`) hand items and
//! commands to a running console or hub, and get an answer once they are durable.

use super::conn::{Conn, ConnError};
use super::handshake::handshake;
use super::message::{Message, PeerRole};
use super::trust::Credentials;
use crate::config::credential::Credential;
use crate::domain::command::Command;
use crate::domain::event::Event;
use crate::domain::item::NewItem;
use std::time::Duration;

/// A connection to a console as a submitter.
pub struct Client {
    conn: Conn,
    next: u64,
}

/// What a console said about submitted items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub new: usize,
    pub duplicates: usize,
    pub refused: Vec<String>,
}

const ANSWER_WITHIN: Duration = Duration::from_secs(60);

impl Client {
    /// Connects and authenticates to `addr` in `realm` with these credentials.
    pub async fn connect(addr: &str, credentials: &Credentials, realm: &str) -> Result<Client, ConnError> {
        let (tls, me) = super::node::secure(credentials, &credentials.name, realm, PeerRole::Submitter)
            .map_err(|e| ConnError::Frame(e.to_string()))?;
        let mut conn = super::conn::dial(addr, &tls).await?;
        handshake(&mut conn, &me, chrono::Utc::now().timestamp_millis()).await?;
        Ok(Client { conn, next: 1 })
    }

    /// Submits items as `operator`, proved by `credential`; returns once the console
    /// has made them durable.
    pub async fn submit(
        &mut self,
        operator: &str,
        credential: Option<&Credential>,
        items: Vec<NewItem>,
    ) -> Result<Receipt, ConnError> {
        let id = self.next;
        self.next += 1;
        let credential = credential.cloned();
        self.conn.send(&Message::Submit { id, operator: operator.into(), credential, items }).await?;
        match self.conn.expect(ANSWER_WITHIN).await? {
            Message::Ack { id: got, new, duplicates, refused } if got == id => Ok(Receipt { new, duplicates, refused }),
            other => Err(ConnError::Unexpected(other.kind())),
        }
    }

    /// Runs one command on the console as `operator`, proved by `credential`.
    pub async fn command(
        &mut self,
        operator: &str,
        credential: Option<&Credential>,
        command: Command,
    ) -> Result<Result<Vec<Event>, String>, ConnError> {
        let id = self.next;
        self.next += 1;
        let credential = credential.cloned();
        self.conn.send(&Message::Command { id, operator: operator.into(), credential, command }).await?;
        match self.conn.expect(ANSWER_WITHIN).await? {
            Message::Answer { id: got, result } if got == id => Ok(result),
            other => Err(ConnError::Unexpected(other.kind())),
        }
    }
}
