//! Reading item files (JSONL or CSV, schema in `docs/items.md`) into validated items,
//! with every bad line reported as `file:line: what is wrong`. Parsing only: writing
//! is the desk's job, so a file with bad lines writes nothing unless asked to skip them.

pub mod expire;
pub mod inbox;
pub mod json_zh;
mod record;
pub mod stream;

pub use record::{COLUMNS, RawItem};

use crate::domain::item::NewItem;
use crate::domain::said::Said;
use std::path::{Path, PathBuf};

/// Longest line accepted, in bytes.
pub const MAX_LINE: usize = 256 * 1024;

/// One problem at one line of a file, in English and Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub file: PathBuf,
    pub line: usize,
    pub message: Said,
}

impl LineError {
    /// `file:line: what is wrong`, in `lang`.
    pub fn shown(&self, lang: crate::i18n::Lang) -> String {
        format!("{}:{}: {}", self.file.display(), self.line, self.message.of(lang))
    }
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// A whole file that cannot be read as items; why, in both languages.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", file.display())]
pub struct FileError {
    pub file: PathBuf,
    pub message: Said,
}

impl FileError {
    /// The error as a reader of `lang` reads it, naming the file.
    pub fn shown(&self, lang: crate::i18n::Lang) -> String {
        format!("{}: {}", self.file.display(), self.message.of(lang))
    }
}

/// What a file holds: good items with their line numbers, and the bad lines.
#[derive(Debug, Default)]
pub struct Parsed {
    pub items: Vec<(usize, NewItem)>,
    pub errors: Vec<LineError>,
}

/// The two file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

/// Format by extension (`.jsonl`, `.ndjson`, `.json`, `.csv`), else by the first byte.
pub fn sniff(path: &Path, text: &str) -> Format {
    match path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref() {
        Some("csv") => Format::Csv,
        Some("jsonl" | "ndjson" | "json") => Format::Jsonl,
        _ if text.trim_start().starts_with('{') => Format::Jsonl,
        _ => Format::Csv,
    }
}

/// Reads and parses one whole file (the inbox's files; `yuqing ingest` streams them
/// with [`stream::each`] instead).
pub fn parse_file(path: &Path) -> Result<Parsed, FileError> {
    let mut out = Parsed::default();
    stream::each(path, |line, r| collect(&mut out, line, r))?;
    Ok(out)
}

/// Parses file contents; `path` only names the file in messages and picks the format.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Parsed, FileError> {
    let mut out = Parsed::default();
    stream::each_in(path, bytes, |line, r| collect(&mut out, line, r))?;
    Ok(out)
}

fn collect(out: &mut Parsed, line: usize, r: stream::Record) -> std::ops::ControlFlow<()> {
    match r {
        Ok(item) => out.items.push((line, item)),
        Err(e) => out.errors.push(e),
    }
    std::ops::ControlFlow::Continue(())
}
