//! Item detail: the whole text with channel, author, link, reach and times.

use super::style::Theme;
use crate::domain::names::Named;
use crate::ui::app::App;
use crate::ui::strings::M;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// A line of `text` (starting at byte `offset` of the assessed text) with the matched
/// keyword spans underlined.
fn marked(
    text: &str,
    offset: usize,
    spans: &[(usize, usize)],
    base: ratatui::style::Style,
    theme: Theme,
) -> Line<'static> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(s, e) in spans {
        let (s, e) = (s.saturating_sub(offset).min(text.len()), e.saturating_sub(offset).min(text.len()));
        if e <= at || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        let s = s.max(at);
        out.push(Span::styled(text[at..s].to_string(), base));
        out.push(Span::styled(text[s..e].to_string(), base.patch(theme.matched())));
        at = e;
    }
    out.push(Span::styled(text[at..].to_string(), base));
    Line::from(out)
}

pub fn item(app: &App, theme: Theme, f: &mut Frame, area: Rect, id: &str) {
    let l = app.lang;
    let Some(it) = app.model.items.get(id) else {
        f.render_widget(Paragraph::new(Line::styled(format!("{id}: {}", M::Done.t(l)), theme.dim())), area);
        return;
    };
    let field = |label: M, value: String| {
        Line::from(vec![Span::styled(format!("{}: ", label.t(l)), theme.dim()), Span::raw(value)])
    };
    let t = |d: chrono::DateTime<chrono::Utc>| d.with_timezone(&app.settings.tz).format("%Y-%m-%d %H:%M").to_string();
    let channel = it.fields.channel.label(l);
    let spans = app.triage.hints.get(id).map(|a| a.spans.clone()).unwrap_or_default();
    let title_len = it.fields.title.len();
    let mut lines = vec![
        marked(&it.fields.title, 0, &spans, theme.title(), theme),
        Line::raw(""),
        field(M::Channel, format!("{channel}   {} {}", M::No.t(l), it.id)),
        field(M::Author, it.fields.author.clone().unwrap_or_else(|| "-".into())),
        field(M::Url, it.fields.url.clone().unwrap_or_else(|| "-".into())),
        field(M::Reach, it.fields.reach.map(|r| r.to_string()).unwrap_or_else(|| "-".into())),
        field(M::Published, it.fields.published_at.map(t).unwrap_or_else(|| "-".into())),
        field(M::Received, t(it.received_at)),
        Line::raw(""),
    ];
    let mut at = title_len + 1;
    for l in it.fields.body.split('\n') {
        lines.push(marked(l, at, &spans, theme.plain(), theme));
        at += l.len() + 1;
    }
    if let Some(a) = app.triage.hints.get(id).filter(|a| !a.is_empty()) {
        let names: Vec<&str> = a.rules.iter().map(|&i| app.triage.matcher.rules[i].name.as_str()).collect();
        let mut hint = format!("{}: {}", M::Hints.t(l), names.join("、"));
        if let Some(s) = a.severity {
            hint.push_str(&format!("  {} {}", M::Severity.t(l), s.label(l)));
        }
        if let Some(lead) = &a.lead {
            hint.push_str(&format!("  {} {}", M::Lead.t(l), app.dept(lead)));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(hint, theme.accent()));
    }
    if let Some((other, score)) = app.triage.similar.get(id) {
        lines.push(Line::styled(format!("{} {other} ({score:.2})", M::Similar.t(l)), theme.accent()));
    }
    let block =
        Block::default().borders(Borders::TOP).title(Span::styled(format!(" {} ", M::ItemScreen.t(l)), theme.dim()));
    let lines = super::wrapped(lines, block.inner(area).width as usize);
    f.render_widget(Paragraph::new(lines).block(block), area);
}
