//! `yuqing completions SHELL` and `yuqing man`: made from the grammar alone, so they
//! work with no home folder and a broken configuration (as in a package build).

mod common;

use common::{Sandbox, stderr, stdout};

/// Runs `yuqing ARGS…` with no home folder and a console.toml that does not parse.
fn generated(args: &[&str]) -> String {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.path("config")).unwrap();
    sb.write("config/console.toml", "this is not toml\n");
    let o = sb.cmd().env_remove("HOME").env_remove("XDG_CONFIG_HOME").args(args).output().unwrap();
    assert!(o.status.success(), "yuqing {args:?}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn completion_scripts_name_the_subcommands_for_each_shell() {
    let bash = generated(&["completions", "bash"]);
    assert!(bash.contains("_yuqing()") && bash.contains("complete -F _yuqing"), "{bash}");
    for sub in ["ingest", "serve", "backup", "restore", "verify", "completions", "man"] {
        assert!(bash.contains(&format!("yuqing,{sub})")), "bash completes `{sub}`");
    }
    assert!(bash.contains("--data") && bash.contains("--skip-invalid"), "options too");
    let zsh = generated(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef yuqing") && zsh.contains("'serve:"), "{zsh}");
    let fish = generated(&["completions", "fish"]);
    assert!(fish.contains("complete -c yuqing") && fish.contains("-a \"serve\""), "{fish}");
}

#[test]
fn the_manual_page_is_roff_and_every_subcommand_has_one() {
    let page = generated(&["man"]);
    assert!(page.contains(".TH yuqing 1"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "{section}: {page}");
    }
    assert!(page.contains("yuqing\\-serve(1)"), "it points to the subcommands' pages: {page}");

    let sb = Sandbox::new();
    let out = sb.ok(&["man", "--dir", sb.path("man").to_str().unwrap()]);
    assert!(out.contains("wrote the manual pages"), "{out}");
    for name in ["yuqing.1", "yuqing-serve.1", "yuqing-backup.1", "yuqing-case-open.1"] {
        let text = std::fs::read_to_string(sb.path("man").join(name)).unwrap();
        assert!(text.contains(".TH "), "{name}");
    }
}
