//! The drill in `update`: the trainer's keys ask for clock changes (`Effect::Steer`),
//! the console makes them and answers with the clock after them
//! (`Msg::DrillSteered`), which is then recorded as a `drill_paced` event; a trainee's
//! console steers its clock after the paces the trainer recorded and the heartbeats'
//! measures. The drill clock itself is only read here, never changed.

use super::action::Action;
use super::app::{App, Mode};
use super::message::{Effect, Steer, Steered};
use super::strings::M;
use crate::domain::clock::Clock;
use crate::domain::command::Command;
use crate::domain::event::{Event, EventBody};
use std::sync::Arc;

/// The drill this console runs or joins, if any.
#[derive(Default)]
pub struct DrillState {
    /// The drill's clock and scenario (read to show them; changed by the console
    /// process through `Effect::Steer`).
    pub control: Option<Arc<crate::drill::Control>>,
    /// A trainee's console: the clock follows the trainer's, and its controls are off.
    pub follow: bool,
}

/// The trainer's drill keys: pause, speed, next, inject, score.
pub fn key(app: &mut App, a: Action) -> Vec<Effect> {
    let Some(ctl) = app.drill.control.clone() else {
        app.set_status(app.lang.t("这不是演练", "this is not a drill"), true);
        return vec![];
    };
    // On a trainee's console the keys are the trainer's, whoever signed in.
    if app.drill.follow && a != Action::DrillScore {
        let why = match a {
            Action::DrillInject => M::DrillTraineeInject,
            _ => M::DrillTraineeClock,
        };
        app.set_status(why.t(app.lang), true);
        return vec![];
    }
    if !a.allowed(app.operator.role) {
        app.set_status(a.refusal_to(app.operator.role, app.lang), true);
        return vec![];
    }
    if ctl.clock.ended() && a != Action::DrillScore {
        app.set_status(M::DrillOver.t(app.lang), true);
        return vec![];
    }
    match a {
        Action::DrillPause => vec![Effect::Steer(Steer::TogglePause)],
        Action::DrillSpeed => vec![Effect::Steer(Steer::NextSpeed)],
        Action::DrillNext => vec![Effect::Steer(Steer::Next)],
        Action::DrillScore => vec![Effect::DrillScore],
        _ => {
            use super::form::{Choice, Field, Form, Purpose};
            use crate::domain::item::Channel;
            let fields = vec![
                Field::pick(M::Channel, Choice::named::<Channel>(app.lang), Some("weibo")),
                Field::text(M::Title, true),
                Field::text(M::Text, false),
            ];
            app.mode = Mode::Form(Box::new(Form::new(M::FormInject, Purpose::Inject, fields)));
            vec![]
        }
    }
}

/// The clock after a change: the time shown, what the trainer is told, and the
/// trainer's change recorded as a `drill_paced` event.
pub fn steered(app: &mut App, s: Steered) -> Vec<Effect> {
    app.now = s.now;
    let at = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&app.settings.tz).format("%H:%M:%S").to_string();
    let l = app.lang;
    let text = match s.asked {
        Steer::TogglePause if s.pace.paused => format!("{} {}", M::DrillPaused.t(l), at(s.now)),
        Steer::TogglePause => format!("{} {}×", M::DrillResumed.t(l), s.pace.speed),
        Steer::NextSpeed => format!("{} {}×", M::DrillSpeedNow.t(l), s.pace.speed),
        Steer::Next => match s.jumped {
            Some(due) => format!("{} {}", M::DrillJumped.t(l), at(due)),
            None => {
                app.set_status(M::DrillNoneLeft.t(l), true);
                return vec![];
            }
        },
        Steer::FollowPace(_) | Steer::FollowPeers(_) => return vec![],
    };
    app.set_status(text, false);
    vec![Effect::Run(app.operator.clone(), vec![Command::PaceDrill { pace: s.pace }])]
}

/// A drill's own events: the end (the final score, on every console of the drill), a
/// pace the trainer recorded (a trainee's clock follows it) and a trainer's note.
/// `None` for every other event.
pub fn applied(app: &mut App, ev: &Event) -> Option<Vec<Effect>> {
    let ctl = app.drill.control.clone()?;
    match &ev.body {
        EventBody::DrillPaced { pace } if pace.ended => {
            app.set_status(M::DrillEnded.t(app.lang), false);
            if !app.drill.follow {
                app.now = ctl.clock.now();
                return Some(vec![Effect::Bell, Effect::DrillScore]);
            }
            Some(vec![Effect::Steer(Steer::FollowPace(*pace)), Effect::Bell, Effect::DrillScore])
        }
        EventBody::DrillPaced { pace } if app.drill.follow => {
            let text = if pace.paused {
                app.lang.t("培训员暂停了演练", "the trainer paused the drill").to_string()
            } else {
                format!("{} {}×", app.lang.t("演练进行中", "the drill runs at"), pace.speed)
            };
            app.set_status(text, false);
            Some(vec![Effect::Steer(Steer::FollowPace(*pace))])
        }
        EventBody::DrillNoted { text } => {
            let note = format!("{}: {}", app.lang.t("演练通知", "drill note"), crate::text::one_line(text));
            app.set_status(note, false);
            Some(vec![Effect::Bell])
        }
        _ => None,
    }
}

/// A trainee's clock corrects towards the trainer's as the heartbeats measure it.
pub fn network(app: &App, peers: &[crate::sync::PeerStatus]) -> Vec<Effect> {
    match (&app.drill.control, app.drill.follow) {
        (Some(_), true) if !peers.is_empty() => vec![Effect::Steer(Steer::FollowPeers(peers.to_vec()))],
        _ => vec![],
    }
}
