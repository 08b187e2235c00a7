//! The Chinese of scenario errors whose English comes from the file system, so that
//! every error of a scenario file carries both languages ([`Said`]).

use crate::domain::said::Said;

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
