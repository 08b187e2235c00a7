//! The full-screen console.

use crate::desk::Desk;
use crate::domain::role::Operator;
use std::path::{Path, PathBuf};

/// What the console needs to start.
pub struct Launch {
    pub operator: Operator,
    pub desk: Desk,
    pub lang: String,
    pub keymap: String,
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
    pub log: PathBuf,
}

/// Opens the log file under the data folder; returns its path.
pub fn init_log(data_dir: &Path) -> std::io::Result<PathBuf> {
    Ok(data_dir.join("yuqing.log"))
}

pub fn run(_l: Launch) -> anyhow::Result<std::process::ExitCode> {
    Ok(std::process::ExitCode::SUCCESS)
}
