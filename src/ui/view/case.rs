//! Case detail: the rows of `ui::detail` (the case, its milestones with countdowns,
//! its items, the timeline), coloured, from the scroll position on; a position past
//! the last page (End) shows the last page.

use super::countdown;
use super::style::Theme;
use crate::ui::app::App;
use crate::ui::detail::{COUNTDOWN_WIDTH, Tone, rows};
use crate::ui::strings::M;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn case(app: &App, theme: Theme, f: &mut Frame, area: Rect) {
    let Some(v) = &app.lists.case_view else {
        f.render_widget(Paragraph::new(Line::styled(M::Loading.t(app.lang), theme.dim())), area);
        return;
    };
    let all = rows(app, v, area.width as usize);
    let height = area.height as usize;
    let top = (v.scroll as usize).min(all.len().saturating_sub(height));
    let lines: Vec<Line> = all
        .into_iter()
        .skip(top)
        .take(height)
        .map(|row| {
            let spans = row.into_iter().map(|(text, tone)| match tone {
                // Its cells whole (`detail::wrap` keeps them on one row).
                Tone::Countdown(i) if text.len() == COUNTDOWN_WIDTH => {
                    countdown::span(&v.case.milestones[i], app.now, app.lang, theme)
                }
                Tone::Countdown(_) | Tone::Plain => Span::raw(text),
                Tone::Dim | Tone::Label => Span::styled(text, theme.dim()),
                Tone::Title => Span::styled(text, theme.title()),
                Tone::Danger => Span::styled(text, theme.danger()),
                Tone::Ok => Span::styled(text, theme.ok()),
                Tone::Warn => Span::styled(text, theme.warn()),
            });
            Line::from(spans.collect::<Vec<_>>())
        })
        .collect();
    f.render_widget(Paragraph::new(lines), area);
}
