//! Where a drill may write. A drill's folder is resolved the way the file system will
//! resolve it — symlinks followed, `.` and `..` folded — before anything is written, and
//! refused when it is the live data folder, lies inside it or contains it. Only paths
//! are compared here; what the folders hold is the caller's business.

use std::path::{Component, Path, PathBuf};

/// Why a folder may not hold a drill.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FolderError {
    #[error(
        "a drill never runs in the live data folder {live}: {given} is that folder; choose another with --drill-data"
    )]
    IsLive { given: String, live: String },
    #[error("a drill never runs in the live data folder {live}: {given} lies inside it; choose a folder outside it")]
    InsideLive { given: String, live: String },
    #[error("a drill never runs in the live data folder {live}: {given} contains it; choose a folder that does not")]
    ContainsLive { given: String, live: String },
    #[error("{given}: {reason}")]
    Unresolvable { given: String, reason: String },
}

impl FolderError {
    /// The refusal in Chinese, for a Chinese terminal.
    pub fn zh(&self) -> String {
        match self {
            FolderError::IsLive { given, live } => {
                format!("演练不能在正式数据文件夹 {live} 中进行：{given} 就是该文件夹；请用 --drill-data 另选文件夹")
            }
            FolderError::InsideLive { given, live } => {
                format!("演练不能在正式数据文件夹 {live} 中进行：{given} 在其中；请另选其外的文件夹")
            }
            FolderError::ContainsLive { given, live } => {
                format!("演练不能在正式数据文件夹 {live} 中进行：{given} 包含它；请另选不包含它的文件夹")
            }
            FolderError::Unresolvable { given, reason } => format!("{given}：无法确定其位置（{reason}）"),
        }
    }
}

/// The absolute path `p` names once its existing part is resolved (symlinks followed)
/// and the rest, which does not exist yet, is folded lexically. A dangling symlink in
/// the part that does not exist is refused: where it leads cannot be checked.
pub fn resolve(p: &Path) -> Result<PathBuf, FolderError> {
    let unresolvable = |reason: String| FolderError::Unresolvable { given: p.display().to_string(), reason };
    let absolute = match p.is_absolute() {
        true => p.to_path_buf(),
        false => {
            std::env::current_dir().map_err(|e| unresolvable(format!("cannot tell the current folder: {e}")))?.join(p)
        }
    };
    // The longest ancestor that exists, resolved; the rest appended.
    let mut existing = absolute.as_path();
    let mut rest: Vec<Component> = Vec::new();
    let base = loop {
        if let Ok(c) = existing.canonicalize() {
            break c;
        }
        if std::fs::symlink_metadata(existing).is_ok() {
            return Err(unresolvable(format!("{} is a symlink that leads nowhere", existing.display())));
        }
        let Some(name) = existing.components().next_back() else {
            return Err(unresolvable("no part of it exists".into()));
        };
        rest.push(name);
        existing = existing.parent().ok_or_else(|| unresolvable("no part of it exists".into()))?;
    };
    rest.reverse();
    if !rest.iter().any(|c| matches!(c, Component::ParentDir | Component::CurDir)) {
        return Ok(rest.iter().fold(base, |acc, c| acc.join(c)));
    }
    // `new/../x` becomes `x`, which may exist (and be a symlink): resolve that again.
    let mut folded = base;
    for c in rest {
        match c {
            Component::ParentDir => {
                folded.pop();
            }
            Component::CurDir => {}
            other => folded.push(other),
        }
    }
    resolve(&folded)
}

/// Resolves the drill folder `drill` and refuses it when it is, lies inside or contains
/// the live folder `live`; returns the resolved drill folder, to be used from then on.
pub fn outside_live(live: &Path, drill: &Path) -> Result<PathBuf, FolderError> {
    let l = resolve(live)?;
    let d = resolve(drill)?;
    let (given, live) = (drill.display().to_string(), l.display().to_string());
    if d == l {
        Err(FolderError::IsLive { given, live })
    } else if d.starts_with(&l) {
        Err(FolderError::InsideLive { given, live })
    } else if l.starts_with(&d) {
        Err(FolderError::ContainsLive { given, live })
    } else {
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_live_folder_is_refused_however_it_is_spelled() {
        let t = tempfile::tempdir().unwrap();
        let live = t.path().join("live");
        std::fs::create_dir(&live).unwrap();
        std::os::unix::fs::symlink(&live, t.path().join("link")).unwrap();
        let is_live = |p: PathBuf| matches!(outside_live(&live, &p), Err(FolderError::IsLive { .. }));
        assert!(is_live(live.clone()));
        assert!(is_live(live.join("..").join("live")));
        assert!(is_live(t.path().join("link")));
        assert!(is_live(t.path().join("new").join("..").join("link")), "a new folder's `..` is folded");
        assert!(matches!(outside_live(&live, &live.join("sub")), Err(FolderError::InsideLive { .. })));
        assert!(matches!(outside_live(&live, &t.path().join("link/a/b")), Err(FolderError::InsideLive { .. })));
        assert!(matches!(outside_live(&live, t.path()), Err(FolderError::ContainsLive { .. })));
        assert_eq!(
            outside_live(&live, &t.path().join("drill")).unwrap(),
            t.path().canonicalize().unwrap().join("drill")
        );
    }

    #[test]
    fn a_dangling_symlink_is_refused() {
        let t = tempfile::tempdir().unwrap();
        let live = t.path().join("live");
        std::os::unix::fs::symlink(live.join("sub"), t.path().join("dangling")).unwrap();
        std::fs::create_dir(&live).unwrap();
        let r = outside_live(&live, &t.path().join("dangling"));
        assert!(matches!(r, Err(FolderError::Unresolvable { .. })), "{r:?}");
    }
}
