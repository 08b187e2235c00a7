//! The full-screen console's model, update and view, in the Elm architecture: keys
//! become actions through the keymap, `update` changes the [`app::App`] and returns
//! effects, `view` only draws. Nothing here does IO: the console process
//! (`crate::console`) carries the effects out and answers with messages.

pub mod action;
pub mod app;
mod approval;
mod bulk;
pub mod detail;
pub mod drill;
pub mod form;
pub(crate) mod forms;
pub mod handover;
pub mod keymap;
pub mod message;
pub mod model;
pub mod reader;
pub mod signin;
mod status;
pub mod strings;
pub mod supervise;
pub mod triage;
pub mod update;
pub mod view;
mod wrap;
