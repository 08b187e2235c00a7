//! The Chinese of scenario errors whose English comes from elsewhere (a time, the file
//! system), so that every error of a scenario file carries both languages ([`Said`]).

use crate::domain::said::Said;

/// A time that does not read (`crate::timefmt::parse`'s error is the English).
pub fn not_a_time(s: &str, en: String) -> Said {
    let zh = format!("`{s}` 不是时间；请用 RFC 3339（2026-05-01T08:30:00+08:00）或本地时间 `YYYY-MM-DD HH:MM`");
    Said::new(en, zh)
}

/// A file that cannot be read, as `path: why`.
pub fn unreadable(path: &std::path::Path, e: &std::io::Error) -> Said {
    let shown = path.display();
    let zh = match e.kind() {
        std::io::ErrorKind::NotFound => format!("{shown}：文件不存在"),
        std::io::ErrorKind::PermissionDenied => format!("{shown}：无权读取此文件"),
        std::io::ErrorKind::InvalidData => format!("{shown}：不是 UTF-8 文本；剧本是 UTF-8 编码的 JSONL 文件"),
        _ => format!("{shown}：无法读取（{e}）"),
    };
    Said::new(format!("{shown}: {e}"), zh)
}
