//! The terminal: full screen with the mouse on, and back to normal on exit, on an
//! error and on a panic (whose message then names the log).

use anyhow::{Context, Result};
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

/// Takes the terminal over; a panic from now on restores it first and points at `log`.
pub fn open(log: crate::logging::LogPlace) -> Result<ratatui::DefaultTerminal> {
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!("panic: {info}");
        eprintln!("yuqing stopped unexpectedly: {info}\nThe terminal was restored. The log is {log}");
    }));
    let terminal = ratatui::try_init().context("cannot open the terminal")?;
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    Ok(terminal)
}

/// Gives the terminal back as it was.
pub fn restore() {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
}
