//! Where a command's output goes. Normally this process's standard output and error;
//! for a command run on behalf of another process through the data folder's control
//! socket, that process's, through a [`Sink`] set for the thread running the command.
//! Every print of the command line goes through here (`outln!`, `errln!`), so a
//! command gives the same bytes whichever process runs it.

use std::cell::RefCell;
use std::io::Write;

/// Receives a captured command's output, in the order it was written.
pub trait Sink {
    /// Bytes for standard output; false when nobody reads them any more.
    fn out(&mut self, bytes: &[u8]) -> bool;
    /// Bytes for standard error; false when nobody reads them any more.
    fn err(&mut self, bytes: &[u8]) -> bool;
}

thread_local! {
    static SINK: RefCell<Option<Box<dyn Sink>>> = const { RefCell::new(None) };
}

/// Runs `f` with everything it prints sent to `sink`, on this thread only.
pub fn captured<R>(sink: Box<dyn Sink>, f: impl FnOnce() -> R) -> R {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            SINK.with(|s| s.borrow_mut().take());
        }
    }
    SINK.with(|s| *s.borrow_mut() = Some(sink));
    let _reset = Reset;
    f()
}

/// True while this thread's output is captured for another process.
pub fn is_captured() -> bool {
    SINK.with(|s| s.borrow().is_some())
}

/// The command's standard output.
pub fn stdout() -> Stream {
    Stream { err: false }
}

/// The command's standard error.
pub fn stderr() -> Stream {
    Stream { err: true }
}

/// One of the command's two output streams.
pub struct Stream {
    err: bool,
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let sent =
            SINK.with(|s| s.borrow_mut().as_mut().map(|sink| if self.err { sink.err(buf) } else { sink.out(buf) }));
        match sent {
            Some(true) => Ok(buf.len()),
            Some(false) => Err(std::io::ErrorKind::BrokenPipe.into()),
            None if self.err => std::io::stderr().write(buf),
            None => std::io::stdout().write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match (is_captured(), self.err) {
            (true, _) => Ok(()),
            (false, true) => std::io::stderr().flush(),
            (false, false) => std::io::stdout().flush(),
        }
    }
}

/// `println!` for the command's standard output.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!($crate::cli::out::stdout(), $($arg)*);
    }};
}

/// `print!` for the command's standard output.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!($crate::cli::out::stdout(), $($arg)*);
    }};
}

/// A sentence in the terminal's language: `said!("中文 {x}", "English {x}")` formats the
/// Chinese or the English (`format!` rules, names captured from the caller).
macro_rules! said {
    ($zh:literal, $en:literal $(,)?) => {
        match $crate::i18n::Lang::of_terminal() {
            $crate::i18n::Lang::Zh => format!($zh),
            $crate::i18n::Lang::En => format!($en),
        }
    };
}

/// `eprintln!` for the command's standard error.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!($crate::cli::out::stderr(), $($arg)*);
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Kept(Arc<Mutex<(Vec<u8>, Vec<u8>)>>);

    impl Sink for Kept {
        fn out(&mut self, b: &[u8]) -> bool {
            self.0.lock().unwrap().0.extend_from_slice(b);
            true
        }
        fn err(&mut self, b: &[u8]) -> bool {
            self.0.lock().unwrap().1.extend_from_slice(b);
            true
        }
    }

    #[test]
    fn output_is_captured_on_the_thread_only_while_the_command_runs() {
        let kept = Kept::default();
        captured(Box::new(kept.clone()), || {
            outln!("舆情 {}", 1);
            errln!("warning");
            assert!(is_captured());
        });
        assert!(!is_captured(), "the sink is gone after the command");
        let (out, err) = kept.0.lock().unwrap().clone();
        assert_eq!(String::from_utf8(out).unwrap(), "舆情 1\n");
        assert_eq!(String::from_utf8(err).unwrap(), "warning\n");
    }
}
