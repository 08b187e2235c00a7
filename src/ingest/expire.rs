//! Queue hygiene: items nobody triaged within the policy's `queue_expire_days` leave
//! the live queue as expired (`item_expired`), so the working set a console loads stays
//! bounded however long the feed runs. A running hub, or a console that syncs with no
//! one, calls [`expire_due`] every minute ([`every_minute`]); consoles that sync leave it
//! to their hub, so two never expire the same item. `yuqing requeue ID` puts an expired
//! item back (`item_restored`). Only the live realm expires items: a drill's clock jumps.

use crate::desk::Desk;
use crate::domain::command::Command;
use crate::domain::role::Operator;

/// Most items expired in one pass (one group commit of the desk); the next pass takes
/// the rest.
pub const PASS: usize = 4096;

/// Sends `item_expired` for the queued items older than the policy allows, as
/// `operator`; returns how many expired. Nothing when the policy's
/// `queue_expire_days` is 0 or the store is not the live realm.
pub fn expire_due(desk: &Desk, operator: &Operator) -> Result<usize, String> {
    let days = desk.settings().policy.queue_expire_days;
    if days == 0 || desk.store().realm() != "live" {
        return Ok(0);
    }
    let cutoff = desk.clock().now() - chrono::Duration::days(i64::from(days));
    let due = desk.store().queue_received_before(cutoff, PASS).map_err(|e| e.to_string())?;
    let commands: Vec<Command> = due.into_iter().map(|it| Command::ExpireItem { item: it.id, days }).collect();
    if commands.is_empty() {
        return Ok(0);
    }
    let answers = desk.run_blocking(operator, commands);
    // An item triaged meanwhile is refused as no longer new: that is not a failure.
    let expired = answers.iter().filter(|a| a.is_ok()).count();
    match answers.into_iter().find_map(|a| a.err()).filter(|_| expired == 0) {
        Some(e) => Err(e.to_string()),
        None => Ok(expired),
    }
}

/// Takes items untriaged past the policy's `queue_expire_days` out of the queue, as
/// `operator`: at start, then every minute, until the task is dropped.
pub async fn every_minute(desk: Desk, operator: Operator) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        let (d, o) = (desk.clone(), operator.clone());
        match tokio::task::spawn_blocking(move || expire_due(&d, &o)).await {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!("{n} items untriaged past the policy's age expired from the queue"),
            Ok(Err(e)) => tracing::warn!("queue expiry: {e}"),
            Err(e) => tracing::warn!("queue expiry: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::domain::clock::ManualClock;
    use crate::domain::item::{Channel, NewItem};
    use chrono::{Duration, TimeZone, Utc};
    use std::sync::Arc;

    fn item(n: usize) -> Command {
        Command::ReceiveItem {
            item: NewItem {
                channel: Channel::Weibo,
                title: format!("第{n}条"),
                body: String::new(),
                url: None,
                author: None,
                published_at: None,
                reach: None,
                external_id: Some(format!("x{n}")),
            },
        }
    }

    #[test]
    fn items_older_than_the_policy_leave_the_queue_and_a_restored_one_stays_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path(), "live").unwrap();
        let settings = Arc::new(Settings::default());
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()));
        let desk = Desk::start(store.clone(), settings.clone(), clock.clone()).unwrap();
        let duty = settings.operator("duty").unwrap().clone();
        assert!(desk.run_blocking(&duty, (1..=3).map(item).collect()).iter().all(|a| a.is_ok()));
        clock.advance(Duration::days(2));
        assert!(desk.run_blocking(&duty, vec![item(4)]).iter().all(|a| a.is_ok()));
        let dismiss = Command::DismissItem { item: "A.3".into(), reason: "无关".into() };
        assert!(desk.run_blocking(&duty, vec![dismiss]).iter().all(|a| a.is_ok()));
        clock.advance(Duration::days(5) + Duration::minutes(1));
        assert_eq!(expire_due(&desk, &duty), Ok(2), "A.1 and A.2: seven days old and untriaged");
        let ids = |v: Vec<crate::domain::item::Item>| v.into_iter().map(|i| i.id).collect::<Vec<_>>();
        assert_eq!(ids(store.queue().unwrap()), ["A.4"]);
        assert_eq!(store.item("A.1").unwrap().unwrap().status.name(), "expired");
        assert_eq!(store.item("A.3").unwrap().unwrap().status.name(), "dismissed", "a triage stays");
        assert_eq!(expire_due(&desk, &duty), Ok(0), "nothing twice");
        let requeue = Command::RestoreItem { item: "A.1".into(), reason: "仍需研判".into() };
        assert!(desk.run_blocking(&duty, vec![requeue]).iter().all(|a| a.is_ok()));
        assert_eq!(ids(store.queue().unwrap()), ["A.1", "A.4"]);
    }

    #[test]
    fn zero_days_expires_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path(), "live").unwrap();
        let mut s = Settings::default();
        s.policy.queue_expire_days = 0;
        let settings = Arc::new(s);
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()));
        let desk = Desk::start(store.clone(), settings.clone(), clock.clone()).unwrap();
        let duty = settings.operator("duty").unwrap().clone();
        assert!(desk.run_blocking(&duty, vec![item(1)]).iter().all(|a| a.is_ok()));
        clock.advance(Duration::days(400));
        assert_eq!(expire_due(&desk, &duty), Ok(0));
        assert_eq!(store.queue().unwrap().len(), 1);
    }
}
