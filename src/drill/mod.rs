//! Drills: incident scenarios replayed on a virtual clock. So far the scenario format
//! and its check (`yuqing drill check`); the runner, scoring and recording are to come.

pub mod scenario;

pub use scenario::{Entry, Happening, Scenario, check_file};
