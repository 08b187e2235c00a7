//! Which form each action opens, with its fields and presets.

use super::action::Action;
use super::app::App;
use super::form::{Choice, Field, Form, Offer, Purpose};
use super::keymap::Scope;
use super::strings::M;
use crate::domain::case::{Case, Category, Outcome, PublishChannel, Referral, ResponseKind, Severity};
use crate::domain::milestone::MilestoneKind;
use crate::domain::names::Named;
use chrono::{DateTime, FixedOffset, Utc};

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
                // Attaching is done from the list: leave the form, then the attach key,
                // whose form starts on this case.
                let title = app.model.cases.get(&case).map(|c| c.title.clone()).unwrap_or_default();
                let keymap = &app.settings.keymap;
                let key = |scope, a| keymap.keys_for(scope, a).first().map(ToString::to_string);
                let keys = key(Scope::Form, Action::Cancel).zip(key(app.screen.scope(), Action::AttachItem));
                form.note = Some(super::strings::similar_case(&case, &title, score, keys, lang));
            }
            form
        }
        Action::AttachItem => {
            let hinted = hinted_case(app, &items);
            let cases = Field::pick(M::Case, open_cases(app), hinted.as_deref());
            Form::new(M::FormAttach, Purpose::Attach { items }, vec![cases])
        }
        Action::DismissItem => {
            Form::new(M::FormDismiss, Purpose::Dismiss { items }, vec![Field::text(M::Reason, true)])
        }
        _ => return None,
    })
}

/// The open case the items' near-duplicate hint names (`≈A-0003`): the highlighted
/// item's when it is among them, else the first's that names one.
fn hinted_case(app: &App, items: &[String]) -> Option<String> {
    let highlighted = app.selected_item().map(|i| i.id.clone()).filter(|h| items.contains(h));
    highlighted.iter().chain(items).find_map(|id| app.triage.similar_case(id)).map(|(no, _)| no)
}

/// The response a case needs next: the kind that meets its first outstanding
/// milestone a response can meet (authoritative information, an update); where that is
/// the first response, which any kind meets, or nothing is owed, the kind its category
/// requires (R10) while none of those was published; else an update once something was
/// published, or a first response.
fn needed(app: &App, case: &Case) -> ResponseKind {
    let meets = |kind: MilestoneKind| match kind {
        MilestoneKind::FirstResponse => Some(ResponseKind::FirstResponse),
        MilestoneKind::AuthoritativeInfo => Some(ResponseKind::AuthoritativeInfo),
        MilestoneKind::Update => Some(ResponseKind::Update),
        MilestoneKind::ReportCounty | MilestoneKind::PressConference | MilestoneKind::CountyUpdate => None,
    };
    let owed = case
        .milestones
        .iter()
        .filter(|m| m.pending() && meets(m.kind).is_some())
        .min_by_key(|m| m.due)
        .and_then(|m| meets(m.kind));
    let requires = &app.settings.responses.of(case.category).requires;
    let required = requires.iter().any(|k| case.responses.iter().any(|r| r.kind == *k));
    match owed {
        Some(kind @ (ResponseKind::AuthoritativeInfo | ResponseKind::Update)) => kind,
        _ if !required && !requires.is_empty() => requires[0],
        Some(kind) => kind,
        None if case.responses.is_empty() => ResponseKind::FirstResponse,
        None => ResponseKind::Update,
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
        // The case's departments as they are, so submitting unchanged changes nothing.
        Action::Assign => (
            M::FormAssign,
            vec![
                Field::pick(M::Lead, departments(app), Some(&case.lead)),
                Field::pick_many_preset(M::CoDepartments, departments(app), &case.co),
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
            // Else the wording agreed for the case's incident, which it quotes word for word.
            let wording = case.wording.as_ref().map_or("", |w| w.text.as_str());
            let text = approved.map_or(wording, |i| case.drafts[i].text.as_str());
            let fields = vec![
                Field::pick(M::Kind, Choice::named::<ResponseKind>(lang), Some(kind.name())),
                Field::pick(M::PublishChannel, Choice::named::<PublishChannel>(lang), Some("portal")),
                Field::long_text(M::Text, true, text),
                Field::text(M::Url, false),
            ];
            let mut form = Form::new(M::FormPublish, Purpose::Case { case: case.no.clone(), action }, fields);
            let mut note = match approved {
                Some(i) => super::approval::publishes(app, &case.drafts[i], i),
                None if wording.is_empty() => M::PublishNoDraft.t(lang).to_string(),
                None => M::PublishWording.t(lang).to_string(),
            };
            // Without one to publish, say which approved drafts went out already.
            let out: Vec<String> = case
                .drafts
                .iter()
                .enumerate()
                .filter(|(_, d)| d.approved_by.is_some() && d.published)
                .map(|(i, _)| format!("#{}", crate::domain::case::Draft::number(i)))
                .collect();
            if approved.is_none() && !out.is_empty() {
                note = format!("{note}{}", super::strings::drafts_published(&out.join(lang.t("、", ", ")), lang));
            }
            form.note = Some(note);
            return Some(form);
        }
        Action::PressConference => (
            M::FormPress,
            vec![
                Field::text(M::PressAt, true),
                Field::text(M::PressVenue, true),
                Field::text(M::PressSpeakers, true),
                note(),
            ],
        ),
        Action::Extend | Action::RequestExtension => {
            let title = if action == Action::Extend { M::FormExtend } else { M::FormRequestExtension };
            // A supervisor granting is offered what the officer asked for, to confirm or
            // change: the request highlighted on the supervision screen, else the latest.
            let row = super::supervise::highlighted(app, &case.no, super::supervise::Section::Asked);
            let asked = row
                .and_then(|i| case.extension_requests.get(i))
                .or_else(|| case.extension_requests.iter().rev().find(|r| !r.granted))
                .filter(|_| action == Action::Extend);
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

/// What a form holds that only the clock can check, before anything is sent: the
/// press conference's time must be one the console can read (`YYYY-MM-DD HH:MM`,
/// `MM-DD HH:MM` this year, or `HH:MM` today, in the county's time), and not later than
/// now: recording it meets the milestone, so it records one that was held. A refusal
/// names the field it is about, for the cursor to go to.
pub fn check(form: &Form, now: DateTime<Utc>, tz: FixedOffset, lang: crate::i18n::Lang) -> Result<(), (M, String)> {
    if !matches!(form.purpose, Purpose::Case { action: Action::PressConference, .. }) {
        return Ok(());
    }
    let stated = form.fields.iter().find(|f| f.label == M::PressAt).map(|f| f.value()).unwrap_or_default();
    let refused = |why: &str| Err((M::PressAt, format!("{}: {why}", M::PressWhen.t(lang))));
    match stated_time(&stated, now, tz) {
        Some(at) if at > now => refused(
            lang.t("不得晚于当前时间（发布会举行后再登记）", "must not be in the future (record it once it was held)"),
        ),
        Some(_) => Ok(()),
        None => refused(M::NotAPressTime.t(lang)),
    }
}

/// A time as an officer states it: a whole time (`timefmt::parse`), `MM-DD HH:MM`
/// this year, or `HH:MM` today, in `tz`.
fn stated_time(text: &str, now: DateTime<Utc>, tz: FixedOffset) -> Option<DateTime<Utc>> {
    use chrono::{Datelike, NaiveDateTime, NaiveTime, TimeZone};
    let t = text.trim();
    if let Ok(at) = crate::timefmt::parse(t) {
        return Some(at);
    }
    let today = now.with_timezone(&tz).date_naive();
    let local = NaiveTime::parse_from_str(t, "%H:%M")
        .map(|time| today.and_time(time))
        .or_else(|_| NaiveDateTime::parse_from_str(&format!("{}-{t}", today.year()), "%Y-%m-%d %H:%M"))
        .ok()?;
    tz.from_local_datetime(&local).earliest().map(|d| d.with_timezone(&Utc))
}
