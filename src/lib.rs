//! yuqing (舆情): the duty-room console for government-affairs public opinion.
//!
//! Layers, arrows pointing down only: `cli` → `console` → `ui` / `ingest` → `desk` →
//! `store` → `domain`.

pub mod cli;
pub mod config;
pub mod console;
pub mod control;
pub mod describe;
pub mod desk;
pub mod domain;
pub mod drill;
pub mod i18n;
pub mod ingest;
pub mod logging;
pub mod report;
pub mod store;
pub mod sync;
pub mod text;
pub mod timefmt;
pub mod triage;
pub mod ui;
