//! One cluster authority per test binary, and each name enrolled once, so that a
//! name's TLS certificate and the endorsement it shows always match; and the item the
//! sync tests send.

use yuqing::domain::item::{Channel, NewItem};
use yuqing::sync::trust::{Authority, Credentials, Role};

/// The cluster authority of this test binary.
pub static AUTHORITY: std::sync::LazyLock<Authority> = std::sync::LazyLock::new(|| Authority::generate().unwrap());

/// `name`'s credentials as a console, enrolled on first use.
pub fn creds(name: &str) -> Credentials {
    static ISSUED: std::sync::Mutex<Vec<Credentials>> = std::sync::Mutex::new(Vec::new());
    let mut issued = ISSUED.lock().unwrap();
    if let Some(c) = issued.iter().find(|c| c.name == name) {
        return c.clone();
    }
    let c = AUTHORITY.enroll(name, Role::Console).unwrap();
    issued.push(c.clone());
    c
}

/// Item `i` of a batch tagged `tag`, with a body of about `body` bytes.
pub fn item(tag: &str, i: usize, body: usize) -> NewItem {
    NewItem {
        channel: Channel::Weibo,
        title: format!("{tag} 第{i}条"),
        body: "网".repeat(body / 3),
        url: None,
        author: None,
        published_at: None,
        reach: None,
        external_id: Some(format!("{tag}-{i}")),
    }
}
