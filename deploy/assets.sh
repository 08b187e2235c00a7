#!/bin/sh
# Makes the files the Debian package installs beside the binary — the manual pages
# (gzipped, as Debian keeps them) and the bash, zsh and fish completions — from the
# release binary, into target/release/assets/, where [package.metadata.deb] in
# Cargo.toml picks them up. Run from anywhere after `cargo build --release --locked`;
# then `cargo deb --no-build` (docs/deploy.md).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
bin=$target/release/yuqing
out=$target/release/assets
[ -x "$bin" ] || { echo "no $bin: run cargo build --release --locked first" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/man" "$out/completions"
"$bin" man --dir "$out/man" >/dev/null
gzip -9n "$out"/man/*.1
"$bin" completions bash > "$out/completions/yuqing"
"$bin" completions zsh > "$out/completions/_yuqing"
"$bin" completions fish > "$out/completions/yuqing.fish"
echo "wrote $(ls "$out/man" | wc -l) manual pages and 3 completion scripts into $out"
