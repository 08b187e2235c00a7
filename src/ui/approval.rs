//! A supervisor's approval: the whole draft waiting, with its kind, author and time,
//! and the choice to approve it or to return it with what to change; and the line that
//! tells a publisher which approved draft goes out.

use super::app::App;
use super::form::{APPROVE, Choice, Field, Form, Purpose, RETURN};
use super::strings::M;
use crate::domain::case::{Case, Draft};
use crate::domain::names::Named;
use crate::i18n::Lang;

/// The name of the officer with id `id`, with the id: `张三 (duty)`; the id alone when
/// the roster does not know it.
fn who(app: &App, id: &str) -> String {
    match app.sign_in.operators.iter().find(|o| o.id == id) {
        Some(o) => format!("{} ({id})", o.name),
        None => id.to_string(),
    }
}

fn kind(d: &Draft, l: Lang) -> &'static str {
    if l == Lang::Zh { d.kind.zh() } else { d.kind.name() }
}

/// `草稿 #1 · 首次回应 · 起草人 张三 (duty) · 07-01 08:40`.
fn header(app: &App, d: &Draft, i: usize) -> String {
    let l = app.lang;
    let at = d.at.with_timezone(&app.settings.tz).format("%m-%d %H:%M");
    let no = Draft::number(i);
    format!("{} #{no} · {} · {} {} · {at}", M::Draft.t(l), kind(d, l), M::DraftedBy.t(l), who(app, &d.by))
}

/// The approval form for the draft of `case` highlighted on the supervision screen, else
/// its latest draft that waits, showing it whole; `None` when none waits.
pub fn form(app: &App, case: &Case) -> Option<Form> {
    let l = app.lang;
    let row = super::supervise::highlighted(app, &case.no, super::supervise::Section::Waiting);
    let i = row
        .filter(|&i| case.drafts.get(i).is_some_and(Draft::waiting))
        .or_else(|| case.drafts.iter().rposition(Draft::waiting))?;
    let d = &case.drafts[i];
    let choices = vec![Choice::new(APPROVE, M::ApproveIt.t(l)), Choice::new(RETURN, M::ReturnIt.t(l))];
    let fields = vec![Field::pick(M::Decision, choices, Some(APPROVE)), Field::text(M::Reason, false)];
    let mut form = Form::new(M::FormApprove, Purpose::Approve { case: case.no.clone(), draft: i }, fields);
    form.note = Some(format!("{}\n{}", header(app, d, i), d.text));
    Some(form)
}

/// What the publish form sends out: `将发布已审核的草稿 #1 · 首次回应 · 起草人 … · 审核人 …`.
pub fn publishes(app: &App, d: &Draft, i: usize) -> String {
    let l = app.lang;
    let approver = d.approved_by.as_deref().map(|a| who(app, a)).unwrap_or_default();
    format!("{} {} · {} {approver}", M::PublishesDraft.t(l), header(app, d, i), M::ApprovedBy.t(l))
}
