//! The duty room's rules, as plain Rust: items, cases, milestones, events, commands and
//! the accountability figures. No IO, no tokio, no sled, and no reading of the system
//! time — the caller passes `now` from a [`clock::Clock`].

pub mod apply;
pub mod case;
pub mod clock;
pub mod codec;
pub mod command;
pub mod conflict;
pub mod decide;
pub mod department;
pub mod event;
pub mod hlc;
pub mod item;
pub mod metrics;
pub mod milestone;
pub mod names;
pub mod permission;
pub mod policy;
pub mod role;
pub mod said;
pub mod session;
pub mod world;

#[cfg(test)]
mod decide_tests;

pub use case::{Case, CaseStatus, Category, Outcome, ResponseKind, Severity};
pub use command::Command;
pub use decide::{Context, DomainError, View, decide};
pub use department::{Department, Directory};
pub use event::{Event, EventBody, EventId, OrderKey};
pub use hlc::Stamp;
pub use item::{Channel, Item, ItemStatus, NewItem};
pub use milestone::{Milestone, MilestoneKind};
pub use policy::Policy;
pub use role::{Operator, Role};
