//! One of each: one RustCrypto stack in the dependency tree (argon2 0.6 shares sha2's
//! and hmac's digest 0.11), and one hex implementation (the `hex` crate) in the sources.

use std::path::Path;
use std::process::Command;

/// Crates of the RustCrypto stack that argon2 0.5 pulled in a second time.
const RUSTCRYPTO: [&str; 8] =
    ["digest", "block-buffer", "crypto-common", "cpufeatures", "rand_core", "blake2", "password-hash", "sha2"];

#[test]
fn cargo_tree_shows_one_rustcrypto_stack() {
    let out = Command::new(option_env!("CARGO").unwrap_or("cargo"))
        .args(["tree", "--duplicates", "--edges", "normal", "--prefix", "none", "--format", "{p}"])
        .args(["--locked", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A block per crate held twice: its name and version, then what depends on it.
    let twice: Vec<&str> = text
        .split("\n\n")
        .filter_map(|block| block.lines().next())
        .filter(|l| RUSTCRYPTO.contains(&l.split(' ').next().unwrap_or("")))
        .collect();
    assert!(twice.is_empty(), "RustCrypto crates in two versions: {twice:?}\n{text}");
}

fn sources(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn bytes_become_hex_only_through_the_hex_crate() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 50, "the sources were found");
    let by_hand = [":02x}", ":02X}", ":x}", "from_str_radix(", "to_digit(16)", "0123456789abcdef"];
    for (path, text) in &files {
        for (n, line) in text.lines().enumerate() {
            if let Some(p) = by_hand.iter().find(|p| line.contains(*p)) {
                panic!("{path}:{}: `{p}`: encode and decode hex with the hex crate\n{line}", n + 1);
            }
        }
    }
}
