//! yuqing (舆情): the duty-room console for government-affairs public opinion.
//!
//! Layers, arrows pointing down only: `cli` → `ui` / `ingest` → `desk` → `store` → `domain`.

pub mod domain;
pub mod store;
pub mod config;
pub mod desk;
pub mod ingest;
pub mod text;
pub mod timefmt;
pub mod cli;
pub mod describe;
pub mod i18n;
pub mod ui;
