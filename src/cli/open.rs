//! Resolving folders, loading settings and opening the store for a command.

use super::args::{Cli, ConsoleArgs};
use crate::config::Settings;
use crate::desk::Desk;
use crate::domain::clock::SystemClock;
use crate::domain::role::Operator;
use crate::store::Store;
use anyhow::{Context, Result, anyhow};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

/// The realm of the ordinary, non-drill database.
pub const LIVE: &str = "live";

/// Folders and settings of one invocation.
pub struct Env {
    pub data_dir: PathBuf,
    pub config_dir: PathBuf,
    pub settings: Settings,
    /// Set when the command runs for another process, in the process holding the folder.
    served: Option<Served>,
}

/// A command line run for another process by the process holding the folder: its
/// desk, and the credential the asking process sent for the operator it names.
struct Served {
    desk: Desk,
    credential: Option<crate::config::credential::Credential>,
}

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "yuqing")
}

impl Env {
    pub fn new(cli: &Cli) -> Result<Env> {
        let data_dir = match &cli.data {
            Some(d) => d.clone(),
            None => dirs().map(|d| d.data_dir().join("live")).ok_or_else(|| {
                anyhow!(said!("找不到用户主文件夹；请用 --data 指定数据文件夹", "no home folder; give --data DIR"))
            })?,
        };
        let config_dir = match &cli.config {
            Some(d) => d.clone(),
            None => dirs().map(|d| d.config_dir().to_path_buf()).ok_or_else(|| {
                anyhow!(said!("找不到用户主文件夹；请用 --config 指定配置文件夹", "no home folder; give --config DIR"))
            })?,
        };
        let settings = Settings::load(&config_dir)?;
        // Checked by the load: every time shown, typed and reported is the county's.
        crate::timefmt::set_zone(crate::timefmt::parse_zone(&settings.console.timezone).map_err(|e| anyhow!(e))?);
        Ok(Env { data_dir, config_dir, settings, served: None })
    }

    /// The setting of a command line that another process sent to the process holding
    /// `desk`'s folder: that folder and store, the settings this process started with.
    pub fn served(
        desk: &Desk,
        config_dir: &std::path::Path,
        credential: Option<crate::config::credential::Credential>,
    ) -> Env {
        Env {
            data_dir: desk.store().path().to_path_buf(),
            config_dir: config_dir.to_path_buf(),
            settings: desk.settings().clone(),
            served: Some(Served { desk: desk.clone(), credential }),
        }
    }

    /// On the first start of a fresh install — no name in `console.toml`, no
    /// credentials, no database yet — picks a name no other install has and writes it to
    /// `console.toml`, so that two fresh consoles never number their events alike.
    pub fn name_fresh_install(&mut self) -> Result<()> {
        let fresh = std::fs::read_dir(&self.data_dir).map_or(true, |mut d| d.next().is_none());
        if self.settings.named || !fresh {
            return Ok(());
        }
        let name = crate::config::naming::derived();
        crate::config::naming::write_name(&self.config_dir, &name).with_context(|| {
            let dir = self.config_dir.display();
            said!("{dir}：无法写入本值守台的名称", "{dir}: cannot write this console's name")
        })?;
        tracing::info!("first start: this console is named {name}");
        self.settings.console.name = name;
        self.settings.named = true;
        Ok(())
    }

    /// The data folder's store for a command that only reads: refused when the folder
    /// holds no database, and nothing is created.
    pub fn store(&self) -> Result<Store> {
        match &self.served {
            Some(s) => Ok(s.desk.store().clone()),
            None => Ok(Store::open_existing(&self.data_dir, LIVE)?),
        }
    }

    /// Runs a command that only reads the data folder's store. A store opened for it here
    /// is left without sled's flush on drop: on a full volume that flush waits forever
    /// (sled may rewrite pages it consolidated while reading — seen in `tests/disk.rs`),
    /// and a read has nothing to make durable; the process ends right after.
    pub fn reading<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let store = self.store()?;
        let result = f(&store);
        if !self.is_served() {
            std::mem::forget(store);
        }
        result
    }

    /// Now, as the folder's own clock says: a running drill's time for a command it
    /// serves (deadlines fall due in drill time), else the wall clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        use crate::domain::clock::Clock;
        match &self.served {
            Some(s) => s.desk.clock().now(),
            None => crate::domain::clock::SystemClock.now(),
        }
    }

    /// True when the command runs for another process, in the process holding the
    /// folder it names (whose store is already open).
    pub fn is_served(&self) -> bool {
        self.served.is_some()
    }

    /// A drill folder's store, for a command that only reads it.
    pub fn drill_store(&self, dir: &std::path::Path, realm: &str) -> Result<Store> {
        match &self.served {
            Some(s) => Ok(s.desk.store().clone()),
            None => Ok(Store::open_existing(dir, realm)?),
        }
    }

    /// The desk of a command that writes: creates the database when there is none.
    /// The desk of the live folder; an enrolled console signs its history.
    pub fn desk(&self) -> Result<Desk> {
        if let Some(s) = &self.served {
            return Ok(s.desk.clone());
        }
        let store = Store::open(&self.data_dir, LIVE)?;
        let signer = match self.credentials_path().exists() {
            true => {
                let creds = self.credentials()?;
                // Heads are signed only under this console's own enrolled name.
                (creds.name == self.settings.console.name)
                    .then(|| creds.signer())
                    .transpose()
                    .map_err(|e| anyhow!(e))?
            }
            false => None,
        };
        Ok(Desk::start_signed(store, Arc::new(self.settings.clone()), Arc::new(SystemClock), signer)?)
    }

    /// Where `ingest`, `dismiss` and `case` act, and as whom: the local store as the
    /// operator signed in here, or `--to ADDR` as the operator named, whom the console
    /// there checks.
    pub fn target(&self, cli: &Cli) -> Result<super::case::Target> {
        let actor = cli.actor.as_deref();
        Ok(match &cli.to {
            Some(addr) => {
                let id = actor.unwrap_or(&self.settings.console.operator);
                super::case::Target::Remote(super::remote::Remote::connect(addr, &self.credentials()?, LIVE, id)?)
            }
            None => {
                let desk = self.desk()?;
                let op = self.signed_in(&desk, actor)?;
                super::case::Target::Local(desk, op)
            }
        })
    }

    /// This console's credentials file.
    pub fn credentials_path(&self) -> PathBuf {
        self.config_dir.join("credentials.toml")
    }

    pub fn credentials(&self) -> Result<crate::sync::trust::Credentials> {
        crate::sync::trust::Credentials::load(&self.credentials_path()).map_err(|e| anyhow!(e))
    }

    /// Sync settings from console.toml and the command line; `None` when there are none.
    pub fn net(&self, net: &super::args::NetArgs) -> Result<Option<crate::sync::NodeConfig>> {
        let listen =
            net.listen.clone().or_else(|| Some(self.settings.console.listen.clone()).filter(|l| !l.is_empty()));
        let mut peers = self.settings.console.peers.clone();
        peers.extend(net.peers.iter().cloned());
        self.node(listen, peers, LIVE)
    }

    /// A drill's sync: only the addresses on the command line, never the live console's
    /// (a drill must not take the live port nor dial the live consoles).
    pub fn drill_net(&self, net: &super::args::NetArgs, realm: &str) -> Result<Option<crate::sync::NodeConfig>> {
        self.node(net.listen.clone(), net.peers.clone(), realm)
    }

    fn node(&self, listen: Option<String>, peers: Vec<String>, realm: &str) -> Result<Option<crate::sync::NodeConfig>> {
        if listen.is_none() && peers.is_empty() {
            return Ok(None);
        }
        Ok(Some(crate::sync::NodeConfig {
            console: self.settings.console.name.clone(),
            realm: realm.into(),
            credentials: self.credentials()?,
            listen,
            peers,
        }))
    }

    /// The operator the command acts as.
    pub fn actor(&self, id: Option<&str>) -> Result<Operator> {
        let id = id.unwrap_or(&self.settings.console.operator);
        let op = crate::config::roster_operator(&self.settings.operators, id).map_err(super::words::told)?;
        if op.disabled {
            return Err(super::words::told(crate::config::disabled(id)));
        }
        Ok(op)
    }

    /// The operator a command acts as at `desk` (the roster in force there), after their
    /// PIN (from YUQING_PIN, or asked on the terminal) checks, when they have one.
    pub fn signed_in(&self, desk: &Desk, id: Option<&str>) -> Result<Operator> {
        let id = id.unwrap_or(&self.settings.console.operator);
        let op = crate::config::roster_operator(&desk.operators(), id).map_err(super::words::told)?;
        if let Some(s) = &self.served {
            // Proved by what the asking process sent; nobody is asked here.
            if s.credential.is_none() && !op.disabled && (op.pin.is_some() || op.token.is_some()) {
                return Err(super::forward::NeedsCredential(op.id.clone()).into());
            }
            crate::control::proved(desk, &op, s.credential.as_ref()).map_err(super::words::told)?;
            return Ok(op);
        }
        if op.disabled {
            return Err(super::words::told(crate::config::disabled(id)));
        }
        if let Some(stored) = &op.pin {
            let who = &op.id;
            let pin = match std::env::var("YUQING_PIN") {
                Ok(p) => p,
                Err(_) => rpassword::prompt_password(said!("{who} 的口令：", "PIN for {who}: ")).map_err(|e| {
                    anyhow!(said!(
                        "值守人员 `{who}` 设有口令；请用 YUQING_PIN 给出，或在终端上运行以便输入（{e}）",
                        "operator `{who}` has a PIN; give it in YUQING_PIN or on a terminal ({e})"
                    ))
                })?,
            };
            if !crate::config::pin::check(stored, pin.trim()) {
                tracing::warn!("wrong PIN for {} on the command line", op.id);
                anyhow::bail!(said!("值守人员 `{who}` 的口令不对", "wrong PIN for operator `{who}`"));
            }
        }
        Ok(op)
    }

    /// Runs one command on this machine's data folder as the operator `actor` (default:
    /// console.toml's), proved by their PIN or token: directly when the folder is free,
    /// through the running console's control socket when it is in use (the running
    /// console checks the PIN or token then, against the roster in force there).
    pub fn act(&self, actor: Option<&str>, cmd: crate::domain::Command) -> Result<String> {
        use crate::control::{NEEDS_CREDENTIAL, Request, ask_running, run_as};
        let lang = crate::i18n::Lang::of_terminal();
        match self.desk() {
            Ok(desk) => {
                let op = self.signed_in(&desk, actor)?;
                run_as(&desk, &op, cmd, lang).map_err(|e| anyhow!(e))
            }
            Err(e) if in_use(&e) => {
                let operator = actor.unwrap_or(&self.settings.console.operator).to_string();
                let ask = |credential| {
                    let req = Request::Command {
                        operator: operator.clone(),
                        command: cmd.clone(),
                        credential,
                        lang: Some(lang.code().to_string()),
                    };
                    ask_running(&self.data_dir, &req)
                };
                let credential = super::remote::from_env();
                let answer = match ask(credential.clone()) {
                    Err(why)
                        if why.contains(NEEDS_CREDENTIAL) && credential.is_none() && std::io::stdin().is_terminal() =>
                    {
                        let typed = rpassword::prompt_password(said!(
                            "{operator} 的口令或令牌：",
                            "PIN or operator token of {operator}: "
                        ))?;
                        ask(Some(crate::config::credential::Credential::typed(&typed)))
                    }
                    other => other,
                };
                answer.map_err(|why| match why.contains(NEEDS_CREDENTIAL) {
                    // Said by the running process in the words this side looks for.
                    true => anyhow!(crate::control::needs_credential_said(&operator).of(lang).to_string()),
                    false => anyhow!(why),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// The operators in force on this machine's data folder (its roster over
    /// `operators.toml`): read from the folder when it is free, asked of the running
    /// console when it is in use, the file's alone when there is no database yet.
    pub fn operators(&self) -> Result<Vec<Operator>> {
        match Store::open_existing(&self.data_dir, LIVE) {
            Ok(store) => Ok(crate::domain::role::with_roster(&self.settings.operators, store.roster()?)),
            Err(crate::store::StoreError::Locked(_)) => {
                let text = crate::control::ask_running(&self.data_dir, &crate::control::Request::Operators)
                    .map_err(|e| anyhow!(e))?;
                Ok(serde_json::from_str(&text)?)
            }
            Err(crate::store::StoreError::NoDatabase(_)) => Ok(self.settings.operators.clone()),
            Err(e) => Err(e.into()),
        }
    }

    /// Everything the console needs to start.
    pub fn console(&self, cli: &Cli, args: &ConsoleArgs) -> Result<crate::console::Launch> {
        let log = crate::logging::init(&self.data_dir, self.settings.console.log_retention_days)
            .context(said!("无法打开日志文件", "cannot open the log file"))?;
        let desk = self.desk()?;
        let id = cli.actor.as_deref().unwrap_or(&self.settings.console.operator);
        let operator = crate::config::roster_operator(&desk.operators(), id).map_err(super::words::told)?;
        if operator.disabled {
            anyhow::bail!(said!(
                "值守人员 `{id}` 已停用；请以其他值守人员身份启动值守台（--as）",
                "operator `{id}` is disabled; start the console as another operator (--as)"
            ));
        }
        let lang = args.lang.clone().unwrap_or_else(|| self.settings.console.lang.clone());
        let keymap = args.keymap.clone().unwrap_or_else(|| self.settings.console.keymap.clone());
        Ok(crate::console::Launch {
            drill: None,
            follow: false,
            sync: self.net(&args.net)?,
            operator,
            desk,
            lang,
            keymap,
            config_dir: self.config_dir.clone(),
            data_dir: self.data_dir.clone(),
            log,
        })
    }
}

/// True when `e` says the data folder is held by a running console or hub.
fn in_use(e: &anyhow::Error) -> bool {
    matches!(e.downcast_ref::<crate::store::StoreError>(), Some(crate::store::StoreError::Locked(_)))
}
