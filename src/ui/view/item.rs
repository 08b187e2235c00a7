//! Item detail: the whole text with channel, author, link, reach and times.

use super::style::Theme;
use crate::domain::names::Named;
use crate::i18n::Lang;
use crate::ui::app::App;
use crate::ui::strings::M;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn item(app: &App, theme: Theme, f: &mut Frame, area: Rect, id: &str) {
    let l = app.lang;
    let Some(it) = app.model.items.get(id) else {
        f.render_widget(Paragraph::new(Line::styled(format!("{id}: {}", M::Done.t(l)), theme.dim())), area);
        return;
    };
    let field = |label: M, value: String| {
        Line::from(vec![Span::styled(format!("{}: ", label.t(l)), theme.dim()), Span::raw(value)])
    };
    let t = |d: chrono::DateTime<chrono::Utc>| d.with_timezone(&app.tz).format("%Y-%m-%d %H:%M").to_string();
    let channel = if l == Lang::Zh { it.fields.channel.zh() } else { it.fields.channel.name() };
    let mut lines = vec![
        Line::styled(it.fields.title.clone(), theme.title()),
        Line::raw(""),
        field(M::Channel, format!("{channel}   {} {}", M::No.t(l), it.id)),
        field(M::Author, it.fields.author.clone().unwrap_or_else(|| "-".into())),
        field(M::Url, it.fields.url.clone().unwrap_or_else(|| "-".into())),
        field(M::Reach, it.fields.reach.map(|r| r.to_string()).unwrap_or_else(|| "-".into())),
        field(M::Published, it.fields.published_at.map(t).unwrap_or_else(|| "-".into())),
        field(M::Received, t(it.received_at)),
        Line::raw(""),
    ];
    lines.extend(it.fields.body.lines().map(|s| Line::raw(s.to_string())));
    let block =
        Block::default().borders(Borders::TOP).title(Span::styled(format!(" {} ", M::ItemScreen.t(l)), theme.dim()));
    f.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
