//! Drills: incident scenarios replayed on a virtual clock into a drill realm with its
//! own data folder, and scored against the scenario's expectations.

pub mod anonymize;
pub mod coherence;
pub mod control;
pub mod entry;
pub mod fields;
pub mod folder;
pub mod record;
pub mod resume;
pub mod run;
pub mod scenario;
pub mod score;
pub mod zh;

pub use control::Control;
pub use resume::Resume;
pub use run::Runner;
pub use scenario::{Entry, Happening, Scenario, check_file, settings};
pub use score::{Score, score};
