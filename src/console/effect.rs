//! Carrying out effects: everything `update` asks for that reads the store, writes
//! files, checks a PIN, steers the drill clock or scans the inbox. Each runs on a
//! blocking thread (tests call [`perform`] directly) and answers with messages.

use super::loads;
use crate::desk::Desk;
use crate::domain::role::Operator;
use crate::i18n::Lang;
use crate::ui::message::{Effect, Msg};
use crate::ui::model::Model;
use crate::ui::strings::M;
use chrono::FixedOffset;
use std::path::PathBuf;
use std::sync::Arc;

/// What effects are carried out with.
#[derive(Clone)]
pub struct Context {
    pub desk: Desk,
    pub lang: Lang,
    /// The console's offset, taken once at start-up: times in files are shown in it.
    pub tz: FixedOffset,
    /// The drill clock, when this console runs or joins a drill.
    pub drill: Option<Arc<crate::drill::Control>>,
    /// The inbox folder and who its files are ingested as (the console's configured
    /// operator, whoever is signed in).
    pub inbox: PathBuf,
    pub inbox_operator: Operator,
}

/// Carries out an effect that blocks and returns the messages it answers with. `Run`,
/// `Bell`, `Quit` and `Log` belong to the event loop and answer nothing here.
pub fn perform(ctx: &Context, e: Effect) -> Vec<Msg> {
    let (desk, tz) = (&ctx.desk, ctx.tz);
    let failed = |e: &dyn std::fmt::Display| Msg::Notice(e.to_string(), true);
    let msg = match e {
        Effect::LoadCase(no) => match loads::case_view(desk.store(), &no) {
            Ok(Some(v)) => Msg::CaseLoaded(Box::new(v)),
            Ok(None) => Msg::Notice(format!("no case {no}"), true),
            Err(e) => failed(&e),
        },
        Effect::RefreshCase(no) => match desk.store().case(&no) {
            Ok(Some(c)) => Msg::CaseRefreshed(Box::new(c)),
            _ => return vec![],
        },
        Effect::LoadClosed => match loads::closed_cases(desk.store()) {
            Ok(cases) => Msg::ClosedLoaded(cases),
            Err(e) => failed(&e),
        },
        Effect::Reload => {
            let s = desk.store();
            match (s.queue(), s.open_cases()) {
                (Ok(q), Ok(c)) => Msg::Reloaded(Box::new(Model::new(q, c))),
                _ => return vec![],
            }
        }
        Effect::LoadQueue => {
            // The cases' texts first: the queue's arrival starts the hints afresh with them.
            let s = desk.store();
            return match (s.open_cases().and_then(|c| loads::case_texts(s, &c)), s.queue()) {
                (Ok(texts), Ok(items)) => vec![Msg::CaseTexts(texts), Msg::QueueLoaded(items)],
                (Err(e), _) | (_, Err(e)) => vec![failed(&e)],
            };
        }
        Effect::LoadDepartments(kind) => match loads::departments(desk, kind, tz) {
            Ok(rows) => Msg::DepartmentsLoaded(rows),
            Err(e) => failed(&e),
        },
        Effect::ExportReport(kind) => match loads::export_report(desk, kind, tz, ctx.lang) {
            Ok(files) => Msg::Notice(loads::written(M::ReportExported.t(ctx.lang), &files), false),
            Err(e) => Msg::Notice(e, true),
        },
        Effect::DrillScore => match ctx.drill.as_ref().and_then(|c| c.scenario.as_ref()) {
            Some(s) => match loads::drill_score(desk, s) {
                Ok(md) => Msg::Show(md),
                Err(e) => failed(&e),
            },
            None => Msg::Notice(M::NoScenario.t(ctx.lang).to_string(), true),
        },
        Effect::ExportHandover(summary) => match loads::export_handover(desk, &summary, tz) {
            Ok(path) => Msg::Notice(loads::written(M::HandoverSaved.t(ctx.lang), &[path]), false),
            Err(e) => Msg::Notice(e, true),
        },
        Effect::CheckPin { id, stored, pin } => Msg::PinChecked { id, ok: crate::config::pin::check(&stored, &pin.0) },
        Effect::Steer(s) => match &ctx.drill {
            Some(ctl) => Msg::DrillSteered(super::drill::steer(ctl, s)),
            None => return vec![],
        },
        Effect::ScanInbox => Msg::InboxScanned(crate::ingest::inbox::scan(desk, &ctx.inbox_operator, &ctx.inbox)),
        Effect::Run(..) | Effect::Bell | Effect::Quit | Effect::Log(_) => return vec![],
    };
    vec![msg]
}
