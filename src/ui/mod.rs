//! The full-screen console, in the Elm architecture: keys become actions through the
//! keymap, `update` changes the [`app::App`] and returns effects, `view` only draws.
//! Talks to the desk, never to sled or sockets.

pub mod action;
pub mod app;
mod approval;
mod bulk;
pub mod form;
pub(crate) mod forms;
pub mod handover;
pub mod keymap;
pub mod loads;
pub mod model;
pub mod reader;
mod runtime;
pub mod signin;
mod status;
pub mod strings;
pub mod triage;
pub mod update;
pub mod view;

pub use runtime::{Launch, prepare, run};
