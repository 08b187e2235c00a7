//! The countdown cell: time left to a milestone, coloured by the share of its window
//! that is left, and an explicit "overdue" once it has passed.

use super::style::Theme;
use crate::domain::milestone::Milestone;
use crate::i18n::Lang;
use crate::timefmt;
use chrono::{DateTime, Utc};
use ratatui::text::Span;

/// Cells a countdown takes: `超时 123:45` / `!! 23:59:59` / `!  12d 04:00`.
pub const WIDTH: usize = crate::ui::detail::COUNTDOWN_WIDTH;

/// The countdown for `m` at `now`. Without colour, a `!` (under half the window left)
/// or `!!` (under a tenth) marks urgency in text, set apart from the figure by a space.
pub fn span(m: &Milestone, now: DateTime<Utc>, lang: Lang, theme: Theme) -> Span<'static> {
    let left = m.due - now;
    if left < chrono::Duration::zero() {
        // "late", not "overdue": the figure must fit the column whole in either language.
        let text = format!("{} {}", lang.t("超时", "late"), timefmt::overdue(left));
        return Span::styled(crate::text::fit(&text, WIDTH), theme.overdue());
    }
    let share = m.share_left(now);
    // Each mark takes three cells and ends in a space, so the figures line up.
    let (mark, style) = if share < 0.1 {
        ("!! ", theme.danger())
    } else if share <= 0.5 {
        ("!  ", theme.warn())
    } else {
        ("   ", theme.ok())
    };
    let mark = if theme.colour { "   " } else { mark };
    Span::styled(crate::text::fit(&format!("{mark}{}", timefmt::countdown(left)), WIDTH), style)
}
