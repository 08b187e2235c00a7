//! Which form each action opens, with its fields and presets.

use super::action::Action;
use super::app::App;
use super::form::{Choice, Field, Form, Offer, Purpose};
use super::strings::M;
use crate::domain::case::{Case, Category, Outcome, PublishChannel, Referral, ResponseKind, Severity};
use crate::domain::milestone::MilestoneKind;
use crate::domain::names::Named;

fn departments(app: &App) -> Vec<Choice> {
    // Found by code or name; shown by name.
    app.settings.directory.departments.iter().map(|d| Choice::new(&d.code, d.name.clone())).collect()
}

/// The form for a day's monitoring record (channel, items found, a note), today preset.
pub fn monitoring(app: &App) -> Form {
    let mut day = Field::text(M::Day, true);
    day.input = day.input.with_value(app.now.with_timezone(&app.settings.tz).format("%Y-%m-%d").to_string());
    let fields = vec![
        day,
        Field::pick(M::Channel, Choice::named::<crate::domain::item::Channel>(app.lang), None),
        Field::text(M::Found, true),
        Field::text(M::Note, false),
    ];
    Form::new(M::FormMonitoring, Purpose::Monitoring, fields)
}

fn open_cases(app: &App) -> Vec<Choice> {
    app.model
        .case_order
        .iter()
        .filter_map(|no| app.model.cases.get(no))
        .map(|c| Choice::new(&c.no, format!("{} {}", c.no, crate::text::one_line(&c.title))))
        .collect()
}

/// The form for an action on the selected items (queue, item detail), saying what it
/// acts on when that is not simply the highlighted item.
pub fn for_items(app: &App, action: Action, items: Vec<String>) -> Option<Form> {
    let bulk = super::bulk::note(app, action, &items);
    let mut form = form_for_items(app, action, items)?;
    if let Some(b) = bulk {
        form.note = Some(match form.note.take() {
            Some(n) => format!("{b}\n{n}"),
            None => b,
        });
    }
    Some(form)
}

fn form_for_items(app: &App, action: Action, items: Vec<String>) -> Option<Form> {
    let lang = app.lang;
    Some(match action {
        Action::OpenCase => {
            let first = items.first().cloned().unwrap_or_default();
            let title = app.model.items.get(&first).map(|i| i.fields.title.clone()).unwrap_or_default();
            let mut t = Field::text(M::Title, false);
            t.input = t.input.with_value(title);
            // Hints prefill the form; the officer decides.
            let hint = app.triage.hints.get(&first).cloned().unwrap_or_default();
            let offered = hint
                .rules
                .iter()
                .map(|&i| {
                    let r = &app.triage.matcher.rules[i];
                    Offer {
                        rule: r.name.clone(),
                        severity: r.severity.map(|s| s.name().to_string()),
                        category: r.category.map(|c| c.name().to_string()),
                        lead: r.departments.first().cloned(),
                    }
                })
                .collect();
            let mut form = Form::new(
                M::FormOpenCase,
                Purpose::OpenCase { items, offered },
                vec![
                    t,
                    Field::pick(
                        M::Severity,
                        Choice::named::<Severity>(lang),
                        Some(hint.severity.map_or("general", |s| s.name())),
                    ),
                    Field::pick(
                        M::Category,
                        Choice::named::<Category>(lang),
                        Some(hint.category.map_or("other", |c| c.name())),
                    ),
                    Field::pick(M::Lead, departments(app), hint.lead.as_deref()),
                    Field::pick_many_preset(M::CoDepartments, departments(app), &hint.co),
                ],
            );
            if let Some((case, score)) = app.triage.similar_case(&first) {
                let title = app.model.cases.get(&case).map(|c| c.title.clone()).unwrap_or_default();
                form.note = Some(format!("{} {case} {title} ({score:.2})", M::SimilarCase.t(lang)));
            }
            form
        }
        Action::AttachItem => {
            Form::new(M::FormAttach, Purpose::Attach { items }, vec![Field::pick(M::Case, open_cases(app), None)])
        }
        Action::DismissItem => {
            Form::new(M::FormDismiss, Purpose::Dismiss { items }, vec![Field::text(M::Reason, true)])
        }
        _ => return None,
    })
}

/// The response a case needs next: authoritative information while a major case owes
/// it, else the kind its category requires (R10), else an update while one is owed,
/// else a first response.
fn needed(app: &App, case: &Case) -> ResponseKind {
    if case.pending(MilestoneKind::AuthoritativeInfo).is_some() {
        return ResponseKind::AuthoritativeInfo;
    }
    let requires = &app.settings.responses.of(case.category).requires;
    match requires.iter().any(|k| case.responses.iter().any(|r| r.kind == *k)) {
        false => requires.first().copied().unwrap_or(ResponseKind::FirstResponse),
        true if case.pending(MilestoneKind::Update).is_some() => ResponseKind::Update,
        true => ResponseKind::FirstResponse,
    }
}

/// The form for an action on a case.
pub fn for_case(app: &App, action: Action, case: &Case) -> Option<Form> {
    let lang = app.lang;
    let text = |m| Field::text(m, true);
    let note = || Field::text(M::Note, false);
    let involved: Vec<Choice> =
        std::iter::once(&case.lead).chain(case.co.iter()).map(|c| Choice::new(c, app.dept(c))).collect();
    let pending: Vec<Choice> = Choice::named::<MilestoneKind>(lang)
        .into_iter()
        .filter(|c| case.milestones.iter().any(|m| m.pending() && m.kind.name() == c.value))
        .collect();
    let (title, fields) = match action {
        Action::Classify => (
            M::FormClassify,
            vec![
                Field::pick(M::Severity, Choice::named::<Severity>(lang), Some(case.severity.name())),
                Field::pick(M::Category, Choice::named::<Category>(lang), Some(case.category.name())),
            ],
        ),
        Action::Assign => (
            M::FormAssign,
            vec![
                Field::pick(M::Lead, departments(app), Some(&case.lead)),
                Field::pick_many(M::CoDepartments, departments(app)),
            ],
        ),
        Action::Transfer => (M::FormTransfer, vec![Field::pick(M::To, departments(app), None), text(M::Reason)]),
        Action::Acknowledge => (M::FormAck, vec![Field::pick(M::Dept, involved, None)]),
        Action::Escalate => (M::FormEscalate, vec![text(M::Reason)]),
        Action::ReportCounty => (M::FormReport, vec![note()]),
        Action::Refer => (
            M::FormRefer,
            vec![Field::pick(M::To, Choice::named::<Referral>(lang), Some("cyber_police")), text(M::Reference)],
        ),
        Action::Draft => (
            M::FormDraft,
            vec![
                Field::pick(M::Kind, Choice::named::<ResponseKind>(lang), Some(needed(app, case).name())),
                Field::long_text(M::Text, true, ""),
            ],
        ),
        Action::Approve => return super::approval::form(app, case),
        Action::Publish => {
            // An approved draft not yet published is what goes out: shown in full, editable.
            let approved = case.drafts.iter().rposition(|d| d.approved_by.is_some() && !d.published);
            let kind = approved.map_or(needed(app, case), |i| case.drafts[i].kind);
            let text = approved.map_or("", |i| case.drafts[i].text.as_str());
            let fields = vec![
                Field::pick(M::Kind, Choice::named::<ResponseKind>(lang), Some(kind.name())),
                Field::pick(M::PublishChannel, Choice::named::<PublishChannel>(lang), Some("portal")),
                Field::long_text(M::Text, true, text),
                Field::text(M::Url, false),
            ];
            let mut form = Form::new(M::FormPublish, Purpose::Case { case: case.no.clone(), action }, fields);
            form.note = Some(match approved {
                Some(i) => super::approval::publishes(app, &case.drafts[i], i),
                None => M::PublishNoDraft.t(lang).to_string(),
            });
            return Some(form);
        }
        Action::PressConference => (
            M::FormPress,
            vec![
                Field::text(M::PressWhen, true),
                Field::text(M::PressVenue, true),
                Field::text(M::PressSpeakers, true),
                note(),
            ],
        ),
        Action::Extend | Action::RequestExtension => {
            let title = if action == Action::Extend { M::FormExtend } else { M::FormRequestExtension };
            // A supervisor granting is offered what the officer asked for, to confirm or change.
            let asked = case.extension_requests.iter().rev().find(|r| !r.granted).filter(|_| action == Action::Extend);
            let (mut until, mut reason) = (text(M::Until), text(M::Reason));
            if let Some(r) = asked {
                until.input = until
                    .input
                    .with_value(r.until.with_timezone(&app.settings.tz).format("%Y-%m-%d %H:%M").to_string());
                reason.input = reason.input.with_value(r.reason.clone());
            }
            (title, vec![Field::pick(M::Milestone, pending, asked.map(|r| r.milestone.name())), until, reason])
        }
        Action::SignOff => {
            // The drafts waiting for approval, newest first; the co-departments yet to
            // sign the newest.
            let waiting: Vec<(usize, &crate::domain::case::Draft)> =
                case.drafts.iter().enumerate().rev().filter(|(_, d)| d.waiting()).collect();
            let drafts = waiting
                .iter()
                .map(|(i, d)| {
                    let kind = if lang == crate::i18n::Lang::Zh { d.kind.zh() } else { d.kind.name() };
                    let no = crate::domain::case::Draft::number(*i);
                    Choice::new(i.to_string(), format!("#{no} {kind} {}", crate::text::one_line(&d.text)))
                })
                .collect();
            let newest = waiting.first().map(|(_, d)| *d);
            let co: Vec<Choice> = case.co.iter().map(|c| Choice::new(c, app.dept(c))).collect();
            let unsigned = case.co.iter().find(|c| newest.is_some_and(|d| !d.signed_off.contains(c)));
            let first = waiting.first().map(|(i, _)| i.to_string());
            (
                M::FormSignOff,
                vec![
                    Field::pick(M::DraftNo, drafts, first.as_deref()),
                    Field::pick(M::Dept, co, unsigned.map(String::as_str)),
                ],
            )
        }
        Action::AgreeWording => (
            M::FormWording,
            vec![
                Field::pick_many_preset(M::RelatedCases, open_cases(app), std::slice::from_ref(&case.no)),
                Field::long_text(M::Wording, true, ""),
            ],
        ),
        Action::AddNote => (M::FormNote, vec![Field::long_text(M::Text, true, "")]),
        Action::MarkAccountability => {
            (M::FormMark, vec![Field::pick(M::Dept, departments(app), Some(&case.lead)), text(M::Reason)])
        }
        Action::CloseCase => {
            // Only the outcomes the case's category allows (R10).
            let allowed = &app.settings.responses.of(case.category).outcomes;
            let mut outcomes = Choice::named::<Outcome>(lang);
            outcomes.retain(|o| allowed.iter().any(|a| a.name() == o.value));
            let first = outcomes.first().map(|o| o.value.clone());
            (M::FormClose, vec![Field::pick(M::Outcome, outcomes, first.as_deref()), note()])
        }
        Action::Reopen => (M::FormReopen, vec![text(M::Reason)]),
        _ => return None,
    };
    Some(Form::new(title, Purpose::Case { case: case.no.clone(), action }, fields))
}
