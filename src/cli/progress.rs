//! Progress of long one-shot work (ingest, verify, export, backup, restore, drill record)
//! on standard error: a bar with the count, the rate and the time left, drawn by
//! indicatif only when standard error is a terminal and `TERM` is not `dumb`, so a pipe,
//! a file or a service's journal never receives it; never for a command run for another
//! process through the control socket (the terminal there is the console's own).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar on standard error, cleared when dropped (the command prints its own summary).
pub struct Progress(ProgressBar);

impl Progress {
    /// A bar for `label` ("verifying") over `total` `unit`s ("events"), both in the
    /// terminal's language. The total may be an estimate: the bar grows when the count
    /// passes it.
    pub fn new(label: &str, total: u64, unit: &str) -> Progress {
        let target =
            if super::out::is_captured() { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
        Progress::to(target, label, total, unit)
    }

    /// No bar at all, for machine output (`--json`), even on a terminal.
    pub fn hidden() -> Progress {
        Progress::to(ProgressDrawTarget::hidden(), "", 0, "")
    }

    fn to(target: ProgressDrawTarget, label: &str, total: u64, unit: &str) -> Progress {
        let template = match crate::i18n::Lang::of_terminal() {
            crate::i18n::Lang::Zh => {
                format!("{{msg}} {{wide_bar}} {{human_pos}}/{{human_len}} {unit}，{{per_sec:0}}，剩余 {{eta}}")
            }
            crate::i18n::Lang::En => {
                format!("{{msg}} {{wide_bar}} {{human_pos}}/{{human_len}} {unit}, {{per_sec:0}}, {{eta}} left")
            }
        };
        // The template is built here from fixed parts; it cannot fail to parse.
        let style = ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar());
        let bar = ProgressBar::with_draw_target(Some(total), target).with_style(style.progress_chars("=> "));
        bar.set_message(label.to_string());
        Progress(bar)
    }

    /// A bar over the events `store` holds (its version vector's sum: events beyond a
    /// gap come on top).
    pub fn over_events(label: &str, store: &crate::store::Store) -> Result<Progress, crate::store::StoreError> {
        let unit = crate::i18n::Lang::of_terminal().t("个事件", "events");
        Ok(Progress::new(label, store.version_vector()?.values().sum(), unit))
    }

    /// The total turned out to be `total` (known only once the work began).
    pub fn set_total(&self, total: u64) {
        if self.0.length() != Some(total) {
            self.0.set_length(total);
        }
    }

    /// `done` of the total are done.
    pub fn set(&self, done: u64) {
        if done > self.0.length().unwrap_or(0) {
            self.0.set_length(done);
        }
        self.0.set_position(done);
    }

    /// Prints `line` on standard error above the bar, which is redrawn below it.
    pub fn note(&self, line: impl std::fmt::Display) {
        self.0.suspend(|| errln!("{line}"));
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
