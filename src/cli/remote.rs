//! Acting through a running console or hub (`--to ADDR`): the command line connects as
//! a submitter, so it works while a console holds the database.

use crate::domain::command::Command;
use crate::domain::event::Event;
use crate::domain::item::NewItem;
use crate::sync::Client;
use crate::sync::client::Receipt;
use crate::sync::trust::Credentials;
use anyhow::{Result, anyhow};

/// A connection to a console, with a small runtime to drive it from blocking code.
pub struct Remote {
    rt: tokio::runtime::Runtime,
    client: Client,
}

impl Remote {
    pub fn connect(addr: &str, credentials: &Credentials, realm: &str) -> Result<Remote> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let client = rt.block_on(Client::connect(addr, credentials, realm)).map_err(|e| anyhow!("{addr}: {e}"))?;
        Ok(Remote { rt, client })
    }

    /// Runs commands one by one as `operator`; each answer is the events or why not.
    pub fn commands(&mut self, operator: &str, cmds: Vec<Command>) -> Result<Vec<Result<Vec<Event>, String>>> {
        let mut out = Vec::new();
        for c in cmds {
            out.push(self.rt.block_on(self.client.command(operator, c)).map_err(|e| anyhow!("{e}"))?);
        }
        Ok(out)
    }

    /// Submits items as `operator`; returns once the console made them durable.
    pub fn submit(&mut self, operator: &str, items: Vec<NewItem>) -> Result<Receipt> {
        self.rt.block_on(self.client.submit(operator, items)).map_err(|e| anyhow!("{e}"))
    }
}
