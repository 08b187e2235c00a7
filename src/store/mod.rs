//! The durable store: one sled tree holding the event log, the id and aggregate
//! indexes, and the projections (items, cases, the queue and open-case indexes).
//! Knows sled and the domain; knows nothing of screens, sockets or the command line.

pub mod backup;
mod dedup;
mod keys;
mod pages;
mod read;
mod space;
mod verify;
mod write;

pub use read::{RawEvent, Timeline};
pub use space::LowSpace;
pub use verify::{Difference, Verified, verify};
pub use write::{Refusal, Writer};

use crate::domain::event::SCHEMA_VERSION;
use std::path::{Path, PathBuf};

/// Why the store could not be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the data folder {0} is in use by another yuqing process (a running console or `yuqing serve`).\n\
         Close it, choose another folder with --data, drop item files into {0}/inbox/ for the running console to ingest,\n\
         or act through its network address with --to ADDR (when it listens)."
    )]
    Locked(PathBuf),
    #[error(
        "the data folder {path} was written by a newer yuqing (schema {found}; this build reads up to {SCHEMA_VERSION}). \
         Upgrade yuqing, or choose another folder with --data."
    )]
    NewerSchema { path: PathBuf, found: u16 },
    #[error("the data folder {path} belongs to realm `{found}`, not `{wanted}`; choose another folder with --data")]
    WrongRealm { path: PathBuf, found: String, wanted: String },
    #[error("the database in {path} cannot be opened: {source}")]
    Open { path: PathBuf, source: sled::Error },
    #[error("database error: {0}")]
    Sled(#[from] sled::Error),
    #[error("stored record {key} cannot be read: {error}")]
    Corrupt { key: String, error: String },
    #[error("cannot encode {what}: {error}")]
    Encode { what: String, error: String },
    #[error(transparent)]
    LowSpace(#[from] LowSpace),
}

/// A handle on one opened data folder. Cheap to clone; reads from any thread.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    path: PathBuf,
    realm: String,
}

impl Store {
    /// Opens (creating if needed) the database in `dir/db` for `realm`.
    pub fn open(dir: &Path, realm: &str) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Open { path: dir.to_path_buf(), source: e.into() })?;
        let db = sled::Config::new().path(dir.join("db")).open().map_err(|e| match e {
            sled::Error::Io(ref io)
                if io.kind() == std::io::ErrorKind::WouldBlock || io.to_string().contains("lock") =>
            {
                StoreError::Locked(dir.to_path_buf())
            }
            other => StoreError::Open { path: dir.to_path_buf(), source: other },
        })?;
        let store = Store { db, path: dir.to_path_buf(), realm: realm.to_string() };
        store.check_meta()?;
        Ok(store)
    }

    fn check_meta(&self) -> Result<(), StoreError> {
        match self.db.get(keys::META_SCHEMA)? {
            Some(v) => {
                let found = u16::from_be_bytes(v.as_ref().try_into().unwrap_or([0xff, 0xff]));
                if found > SCHEMA_VERSION {
                    return Err(StoreError::NewerSchema { path: self.path.clone(), found });
                }
            }
            None => {
                self.db.insert(keys::META_SCHEMA, &SCHEMA_VERSION.to_be_bytes())?;
            }
        }
        match self.db.get(keys::META_REALM)? {
            Some(r) if r.as_ref() != self.realm.as_bytes() => Err(StoreError::WrongRealm {
                path: self.path.clone(),
                found: String::from_utf8_lossy(&r).into_owned(),
                wanted: self.realm.clone(),
            }),
            Some(_) => Ok(()),
            None => {
                self.db.insert(keys::META_REALM, self.realm.as_bytes())?;
                self.db.flush()?;
                Ok(())
            }
        }
    }

    /// The data folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `live`, or `drill:<name>`.
    pub fn realm(&self) -> &str {
        &self.realm
    }
}
