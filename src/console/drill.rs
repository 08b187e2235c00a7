//! Steering the drill clock (`Effect::Steer`): the trainer's pause, speed and jump, and
//! a trainee's clock following the trainer's recorded paces and heartbeats.

use crate::domain::clock::Clock;
use crate::drill::Control;
use crate::ui::message::{Steer, Steered};

/// Makes the change on the drill clock; the clock after it.
pub fn steer(ctl: &Control, asked: Steer) -> Steered {
    let mut jumped = None;
    match &asked {
        Steer::TogglePause => ctl.clock.pause(!ctl.clock.paused()),
        Steer::NextSpeed => ctl.clock.set_speed(match ctl.clock.speed() {
            0 | 1 => 5,
            2..=5 => 30,
            6..=30 => 60,
            _ => 1,
        }),
        Steer::Next => jumped = ctl.jump_to_next(),
        Steer::FollowPace(pace) => ctl.follow_pace(pace),
        Steer::FollowPeers(peers) => ctl.follow(peers),
    }
    Steered { asked, now: ctl.clock.now(), pace: ctl.pace(), jumped }
}
