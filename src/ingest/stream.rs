//! Reading an item file one record at a time, so memory holds one line (or CSV row),
//! never the file: `yuqing ingest` reads each file twice, once to check every line
//! and once to write batch by batch.

use super::record::{csv_header, csv_row, jsonl_line};
use super::{FileError, Format, LineError, sniff};
use crate::domain::item::NewItem;
use crate::domain::said::Said;
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::Path;

/// What one record of a file is: an item, or what is wrong with its line.
pub type Record = Result<NewItem, LineError>;

/// Calls `f` with each record of the file at `path` and its line, in order, until `f`
/// breaks. A file that is not item text at all (empty, binary, not UTF-8) is an error,
/// met where the reading finds it.
pub fn each(path: &Path, f: impl FnMut(usize, Record) -> ControlFlow<()>) -> Result<(), FileError> {
    let file = std::fs::File::open(path).map_err(|e| FileError { file: path.to_path_buf(), message: io(&e) })?;
    each_in(path, BufReader::with_capacity(64 * 1024, file), f)
}

/// [`each`] over any reader; `path` only names the file and picks the format.
pub fn each_in(
    path: &Path,
    mut r: impl BufRead,
    f: impl FnMut(usize, Record) -> ControlFlow<()>,
) -> Result<(), FileError> {
    let fail = |message: Said| FileError { file: path.to_path_buf(), message };
    let head = r.fill_buf().map_err(|e| fail(io(&e)))?;
    let format = sniff(path, String::from_utf8_lossy(head).trim_start_matches('\u{feff}'));
    let mut seen = Seen::default();
    match format {
        Format::Jsonl => jsonl(path, r, &mut seen, f)?,
        Format::Csv => csv(path, Checked { inner: r, seen: &mut seen }, f)?,
    }
    if !seen.text {
        return Err(fail(Said::new(
            "the file is empty; it should hold JSONL or CSV items (see docs/items.md)",
            "文件为空；应为 JSONL 或 CSV 格式的舆情信息（见 docs/items.md）",
        )));
    }
    Ok(())
}

/// What the reading has met so far.
#[derive(Default)]
struct Seen {
    /// Bytes read.
    offset: usize,
    /// Anything but white space.
    text: bool,
}

impl Seen {
    /// Checks a run of bytes read: no NUL (a binary file), and notes text.
    fn read(&mut self, bytes: &[u8]) -> Result<(), &'static str> {
        if bytes.contains(&0) {
            return Err(BINARY);
        }
        self.text |= !bytes.iter().all(|b| b.is_ascii_whitespace() || matches!(b, 0xEF | 0xBB | 0xBF));
        self.offset += bytes.len();
        Ok(())
    }
}

/// Why a binary file is refused (also carried inside an IO error from a CSV reader).
const BINARY: &str = "this is a binary file, not JSONL or CSV text";

fn not_utf8(at: usize) -> Said {
    Said::new(
        format!("not UTF-8 text (bad byte at offset {at}); save the file as UTF-8"),
        format!("不是 UTF-8 文本（第 {at} 字节起有误）；请另存为 UTF-8 编码"),
    )
}

/// A file that cannot be read, said in both languages.
fn io(e: &std::io::Error) -> Said {
    use std::io::ErrorKind::*;
    let zh = match e.kind() {
        NotFound => "文件不存在".to_string(),
        PermissionDenied => "没有读取这个文件的权限".into(),
        IsADirectory => "这是文件夹，不是文件".into(),
        InvalidData if e.to_string() == BINARY => "这是二进制文件，不是 JSONL 或 CSV 文本".into(),
        _ => format!("无法读取：{e}"),
    };
    Said::new(e.to_string(), zh)
}

fn line_error(path: &Path, line: usize, r: Result<NewItem, Said>) -> Record {
    r.map_err(|message| LineError { file: path.to_path_buf(), line, message })
}

fn jsonl(
    path: &Path,
    mut r: impl BufRead,
    seen: &mut Seen,
    mut f: impl FnMut(usize, Record) -> ControlFlow<()>,
) -> Result<(), FileError> {
    let fail = |message: Said| FileError { file: path.to_path_buf(), message };
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        buf.clear();
        let start = seen.offset;
        if r.read_until(b'\n', &mut buf).map_err(|e| fail(io(&e)))? == 0 {
            return Ok(());
        }
        n += 1;
        seen.read(&buf).map_err(|m| fail(io(&std::io::Error::new(std::io::ErrorKind::InvalidData, m))))?;
        let line = std::str::from_utf8(&buf).map_err(|e| fail(not_utf8(start + e.valid_up_to())))?;
        let line = if n == 1 { line.strip_prefix('\u{feff}').unwrap_or(line) } else { line };
        let line = line.strip_suffix('\n').map_or(line, |l| l.strip_suffix('\r').unwrap_or(l));
        if line.trim().is_empty() {
            continue;
        }
        if f(n, line_error(path, n, jsonl_line(line))).is_break() {
            return Ok(());
        }
    }
}

/// A reader that refuses a binary file as it goes and notes whether it held text.
struct Checked<'a, R> {
    inner: R,
    seen: &'a mut Seen,
}

impl<R: Read> Read for Checked<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.seen.read(&buf[..n]).map_err(|m| std::io::Error::new(std::io::ErrorKind::InvalidData, m))?;
        Ok(n)
    }
}

fn csv<R: Read>(
    path: &Path,
    r: Checked<'_, R>,
    mut f: impl FnMut(usize, Record) -> ControlFlow<()>,
) -> Result<(), FileError> {
    let fail = |message: Said| FileError { file: path.to_path_buf(), message };
    // An IO error here is the binary check; a UTF-8 one a file in another encoding.
    let file_error = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => fail(io(&e)),
        other => fail(Said::new(format!("not readable as CSV: {other:?}"), format!("无法按 CSV 读取：{other:?}"))),
    };
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(r);
    let headers = match rdr.byte_headers() {
        Ok(h) => {
            csv::StringRecord::from_byte_record(h.clone()).map_err(|e| fail(not_utf8(e.utf8_error().valid_up_to())))?
        }
        Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => return Err(file_error(e)),
        Err(e) => {
            let m = Said::new(format!("cannot read the CSV header: {e}"), format!("无法读取 CSV 表头：{e}"));
            let _ = f(1, line_error(path, 1, Err(m)));
            return Ok(());
        }
    };
    if let Err(m) = csv_header(&headers) {
        let _ = f(1, line_error(path, 1, Err(m)));
        return Ok(());
    }
    for rec in rdr.byte_records() {
        let (line, r) = match rec {
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => return Err(file_error(e)),
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                (line, Err(Said::new(format!("bad CSV row: {e}"), format!("CSV 行有误：{e}"))))
            }
            Ok(b) => {
                let (line, at) = b.position().map(|p| (p.line() as usize, p.byte() as usize)).unwrap_or((0, 0));
                let row = csv::StringRecord::from_byte_record(b)
                    .map_err(|e| fail(not_utf8(at + e.utf8_error().valid_up_to())))?;
                (line, csv_row(&headers, &row))
            }
        };
        if f(line, line_error(path, line, r)).is_break() {
            return Ok(());
        }
    }
    Ok(())
}
