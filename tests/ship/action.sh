#!/usr/bin/env bash
# Tests the GitHub Action's shell logic (.github/actions/milepost/run.sh and
# install.sh) without GitHub and without network: a fake GITHUB_OUTPUT and
# GITHUB_PATH, INPUT_* variables, the milepost under test behind a wrapper
# that records the arguments it receives, a stub curl that serves release
# files from a local folder (and says 404 for the rest), and a stub cargo.
#
#   bash tests/ship/action.sh [path/to/milepost]   (default target/debug/milepost)
#
# Ends with "N passed, N failed"; exits 1 when any test failed.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
real_milepost="${1:-$root/target/debug/milepost}"
[ -x "$real_milepost" ] || {
  echo "no milepost binary at $real_milepost (cargo build first)" >&2
  exit 2
}
real_milepost="$(cd "$(dirname "$real_milepost")" && pwd)/$(basename "$real_milepost")"
run_sh="$root/.github/actions/milepost/run.sh"
install_sh="$root/.github/actions/milepost/install.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/milepost-action-test.XXXXXX")"
trap 'rm -rf -- "$work"' EXIT

# shellcheck source=tests/ship/lib.sh
. "$root/tests/ship/lib.sh"

# ---- fixtures ---------------------------------------------------------------


# A tree (not a git repository: the history rules are skipped) whose folder
# names hold a space, a `*` and a leading `-`. The folder `a` matches the
# glob `docs/my reports/*/...` too, and its report is broken: a path that was
# glob-expanded or split would show up in the arguments and in the findings.
tree="$work/tree"
mkdir -p "$tree/docs/my reports/*" "$tree/docs/my reports/a" "$tree/-odd dir"
good_report 38 "23. sep 2016" >"$tree/docs/my reports/*/2016_uke_38.rst"
good_report 37 "23. sep 2016" >"$tree/docs/my reports/a/2016_uke_38.rst" # its title says week 37: 1 error
good_report 36 "9. sep 2016" >"$tree/-odd dir/2016_uke_36.rst"

# milepost behind a wrapper that records each call's arguments, one per line,
# each call closed by a line `--end--`.
mkdir -p "$work/bin"
cat >"$work/bin/milepost" <<WRAPPER
#!/usr/bin/env bash
{ for arg in "\$@"; do printf '%s\n' "\$arg"; done; echo --end--; } >>"\$MILEPOST_ARGV_LOG"
exec "$real_milepost" "\$@"
WRAPPER
chmod +x "$work/bin/milepost"

# ---- helpers ----------------------------------------------------------------


# Runs run.sh in the tree with the INPUT_* variables given as NAME=VALUE
# arguments. Sets STATUS, OUT (stdout+stderr), CALLS (the argument log) and
# the file $work/output (GITHUB_OUTPUT).
run_action() {
  : >"$work/output"
  : >"$work/argv"
  STATUS=0
  OUT="$(cd "$tree" && env -i PATH="$work/bin:/usr/bin:/bin" HOME="$work" \
    GITHUB_OUTPUT="$work/output" RUNNER_TEMP="$work" MILEPOST_ARGV_LOG="$work/argv" \
    "$@" bash "$run_sh" 2>&1)" || STATUS=$?
  CALLS="$(cat "$work/argv")"
}

output_of() { # NAME -> the value of a step output
  sed -n "s/^$1=//p" "$work/output" | tail -n 1
}

expect_status() { # NAME EXPECTED
  if [ "$STATUS" = "$2" ]; then ok "$1: exit $2"; else not_ok "$1: exit $2" "got $STATUS" "$OUT"; fi
}
expect_calls() { # NAME EXPECTED-ARGUMENT-LOG
  if [ "$CALLS" = "$2" ]; then
    ok "$1: milepost's arguments"
  else
    not_ok "$1: milepost's arguments" "expected:" "$2" "got:" "$CALLS"
  fi
}
expect_outputs() { # NAME errors warnings infos exit-code
  local got
  got="$(output_of errors) $(output_of warnings) $(output_of infos) $(output_of exit-code)"
  if [ "$got" = "$2 $3 $4 $5" ]; then
    ok "$1: outputs errors/warnings/infos/exit-code"
  else
    not_ok "$1: outputs errors/warnings/infos/exit-code" "expected $2 $3 $4 $5, got $got" "$(cat "$work/output")"
  fi
}

lines() { printf '%s\n' "$@"; }

# ---- run.sh -----------------------------------------------------------------

# Paths are one per line, literal: a space, a `*` and a leading `-` reach
# milepost untouched; blank lines, indentation and a \r are dropped.
run_action INPUT_PATHS="$(printf 'docs/my reports/*/2016_uke_38.rst\r\n\n   -odd dir/2016_uke_36.rst  \n')"
expect_status "literal paths" 0
expect_calls "literal paths" "$(lines check --format github --fail-on error -- \
  'docs/my reports/*/2016_uke_38.rst' '-odd dir/2016_uke_36.rst' --end--)"
expect_outputs "literal paths" 0 0 0 0
if [ "$(output_of sarif-file)" = "" ] && grep -q '^sarif-file=$' "$work/output"; then
  ok "literal paths: sarif-file output empty for github"
else
  not_ok "literal paths: sarif-file output empty for github" "$(cat "$work/output")"
fi

# The whole tree: one error fails the step, counted from the summary line.
run_action
expect_status "whole tree" 1
expect_calls "whole tree" "$(lines check --format github --fail-on error -- --end--)"
expect_outputs "whole tree" 1 0 0 1
case "$OUT" in
*"::error file=docs/my reports/a/2016_uke_38.rst"*) ok "whole tree: annotations in the log" ;;
*) not_ok "whole tree: annotations in the log" "$OUT" ;;
esac

# exit-zero: the same findings, exit 0.
run_action INPUT_EXIT_ZERO=true
expect_status "exit-zero" 0
expect_calls "exit-zero" "$(lines check --format github --fail-on error --exit-zero -- --end--)"
expect_outputs "exit-zero" 1 0 0 0

# severity lines, extra args (one per line), as-of, config, fail-on.
printf 'reports:\n  - glob: "docs/**/*_uke_*.rst"\n' >"$tree/milepost.yaml"
run_action INPUT_SEVERITY="$(printf 'week-mismatch=warning\n\n  empty-section=off\n')" \
  INPUT_ARGS="$(printf -- '--color\nnever\n')" INPUT_AS_OF=2016-10-01 \
  INPUT_CONFIG=milepost.yaml INPUT_FAIL_ON=warning INPUT_FORMAT=human
expect_status "severity, args, as-of, config" 1
expect_calls "severity, args, as-of, config" "$(lines check --format human --fail-on warning \
  --config milepost.yaml --as-of 2016-10-01 --severity week-mismatch=warning \
  --severity empty-section=off --color never -- --end--)"
expect_outputs "severity, args, as-of, config" 0 1 0 1
rm -f "$tree/milepost.yaml"

# sarif: written to a file named in the outputs; the counts come from a
# second run with --format json --exit-zero; the exit code is the first run's.
run_action INPUT_FORMAT=sarif
expect_status "sarif" 1
expect_calls "sarif" "$(lines check --format sarif --fail-on error -- --end-- \
  check --format json --fail-on error --exit-zero -- --end--)"
expect_outputs "sarif" 1 0 0 1
sarif="$(output_of sarif-file)"
if [ "$sarif" = "$work/milepost.sarif" ] && [ "$(output_of report-file)" = "$sarif" ] &&
  grep -q '"version": "2.1.0"' "$sarif" && grep -q '"ruleId": "week-mismatch"' "$sarif"; then
  ok "sarif: the SARIF log is in sarif-file"
else
  not_ok "sarif: the SARIF log is in sarif-file" "sarif-file=$sarif" "$(head -c 400 "$sarif" 2>/dev/null)"
fi

# sarif to a chosen file, with exit-zero.
run_action INPUT_FORMAT=sarif INPUT_REPORT_FILE="$work/out dir/milepost results.sarif" INPUT_EXIT_ZERO=true
expect_status "sarif, report-file, exit-zero" 0
if [ "$(output_of sarif-file)" = "$work/out dir/milepost results.sarif" ] && [ -s "$work/out dir/milepost results.sarif" ]; then
  ok "sarif, report-file, exit-zero: written where asked"
else
  not_ok "sarif, report-file, exit-zero: written where asked" "$(cat "$work/output")"
fi

# json: one run, counts from its own summary.
run_action INPUT_FORMAT=json INPUT_PATHS="docs/my reports/a/2016_uke_38.rst"
expect_status "json" 1
expect_calls "json" "$(lines check --format json --fail-on error -- 'docs/my reports/a/2016_uke_38.rst' --end--)"
expect_outputs "json" 1 0 0 1

# junit: file plus counting run.
run_action INPUT_FORMAT=junit
expect_status "junit" 1
expect_outputs "junit" 1 0 0 1
if grep -q '<testsuites' "$work/milepost.junit"; then ok "junit: report file"; else not_ok "junit: report file"; fi

# --quiet among the args: no summary line, so a counting run.
run_action INPUT_ARGS=--quiet
expect_status "quiet" 1
expect_outputs "quiet" 1 0 0 1

# milepost cannot run (a path that does not exist): exit 2, no counts.
run_action INPUT_PATHS="docs/none such.rst" INPUT_EXIT_ZERO=true
expect_status "cannot run" 2
expect_outputs "cannot run" "" "" "" 2

# Bad inputs are refused before milepost runs.
run_action INPUT_FORMAT=xml
expect_status "bad format" 2
expect_calls "bad format" ""
run_action INPUT_EXIT_ZERO=maybe
expect_status "bad exit-zero" 2

# Nothing in an input is evaluated.
# shellcheck disable=SC2016 # the quotes are the point
run_action INPUT_PATHS='$(touch pwned)' INPUT_ARGS='`touch pwned2`'
if [ ! -e "$tree/pwned" ] && [ ! -e "$tree/pwned2" ]; then ok "inputs are not evaluated"; else not_ok "inputs are not evaluated"; fi

# ---- install.sh -------------------------------------------------------------

# A stub curl: serves https://github.com/milepost-dev/milepost/releases/download/...
# from $work/releases, says 404 for files it lacks, logs every URL.
cat >"$work/bin/curl" <<'CURL'
#!/usr/bin/env bash
set -euo pipefail
out="" url=""
while [ $# -gt 0 ]; do
  case "$1" in
  --output) out="$2"; shift 2 ;;
  --write-out | --proto | --retry) shift 2 ;;
  --) url="$2"; shift 2 ;;
  -*) shift ;;
  *) url="$1"; shift ;;
  esac
done
printf '%s\n' "$url" >>"$CURL_LOG"
file="$RELEASES/${url#https://github.com/milepost-dev/milepost/releases/download/}"
if [ "$file" != "$RELEASES/$url" ] && [ -f "$file" ]; then
  cp -- "$file" "$out"
  printf 200
else
  printf 'Not Found' >"$out"
  printf 404
fi
CURL
chmod +x "$work/bin/curl"
# A stub cargo: `cargo install --locked --root R --path P` makes R/bin/milepost.
cat >"$work/bin/cargo" <<'CARGO'
#!/usr/bin/env bash
printf '%s\n' "$*" >>"$CARGO_LOG"
root=""
while [ $# -gt 0 ]; do
  if [ "$1" = --root ]; then root="$2"; fi
  shift
done
mkdir -p "$root/bin"
printf '#!/bin/sh\necho milepost built from source\n' >"$root/bin/milepost"
chmod +x "$root/bin/milepost"
CARGO
chmod +x "$work/bin/cargo"

# Runs install.sh MODE with the given variables. Sets STATUS, OUT.
run_install() {
  local mode="$1"
  shift
  : >"$work/output"
  STATUS=0
  OUT="$(env -i PATH="$work/bin:/usr/bin:/bin" HOME="$work" GITHUB_OUTPUT="$work/output" \
    GITHUB_PATH="$work/path" RUNNER_TEMP="$work/runner" ACTION_PATH="$root" \
    CURL_LOG="$work/curl.log" CARGO_LOG="$work/cargo.log" RELEASES="$work/releases" \
    "$@" bash "$install_sh" "$mode" 2>&1)" || STATUS=$?
}
mkdir -p "$work/runner"

plan_is() { # NAME EXPECTED("source version target archive")
  local got
  got="$(output_of source) $(output_of version) $(output_of target) $(output_of archive)"
  if [ "$STATUS" = 0 ] && [ "$got" = "$2" ]; then ok "plan: $1"; else not_ok "plan: $1" "expected $2" "got $got (exit $STATUS)" "$OUT"; fi
}

run_install plan ACTION_REF=v0.2.0 RUNNER_OS=Linux RUNNER_ARCH=X64
plan_is "Linux x86_64 at @v0.2.0" "release 0.2.0 x86_64-unknown-linux-musl milepost-x86_64-unknown-linux-musl.tar.xz"
linux_bin_dir="$(output_of bin-dir)"
if [ "$(output_of cache-key)" = milepost-bin-0.2.0-x86_64-unknown-linux-musl ] &&
  [ "$linux_bin_dir" = "$work/runner/milepost-bin/milepost-bin-0.2.0-x86_64-unknown-linux-musl" ]; then
  ok "plan: cache key and bin-dir"
else
  not_ok "plan: cache key and bin-dir" "$(cat "$work/output")"
fi
run_install plan ACTION_REF=v0.2.0 RUNNER_OS=Linux RUNNER_ARCH=ARM64
plan_is "Linux arm64" "release 0.2.0 aarch64-unknown-linux-musl milepost-aarch64-unknown-linux-musl.tar.xz"
run_install plan ACTION_REF=v0.2.0 RUNNER_OS=macOS RUNNER_ARCH=ARM64
plan_is "macOS arm64" "release 0.2.0 aarch64-apple-darwin milepost-aarch64-apple-darwin.tar.xz"
run_install plan ACTION_REF=v0.2.0 RUNNER_OS=macOS RUNNER_ARCH=X64
plan_is "macOS x86_64" "release 0.2.0 x86_64-apple-darwin milepost-x86_64-apple-darwin.tar.xz"
run_install plan ACTION_REF=v0.2.0 RUNNER_OS=Windows RUNNER_ARCH=X64
plan_is "Windows x86_64" "release 0.2.0 x86_64-pc-windows-msvc milepost-x86_64-pc-windows-msvc.zip"
run_install plan ACTION_REF=v0.2.0 RUNNER_OS=Windows RUNNER_ARCH=ARM64
plan_is "Windows arm64 (no archive: source)" "source   "
run_install plan ACTION_REF=main RUNNER_OS=Linux RUNNER_ARCH=X64
plan_is "@main builds from source" "source  x86_64-unknown-linux-musl "
case "$(output_of cache-key)" in
milepost-bin-source-*-Linux-X64) ok "plan: source cache key" ;;
*) not_ok "plan: source cache key" "$(cat "$work/output")" ;;
esac
run_install plan ACTION_REF=0123456789abcdef0123456789abcdef01234567 RUNNER_OS=Linux RUNNER_ARCH=X64
plan_is "@commit builds from source" "source  x86_64-unknown-linux-musl "
run_install plan ACTION_REF= RUNNER_OS=Linux RUNNER_ARCH=X64
plan_is "uses: ./ builds from source" "source  x86_64-unknown-linux-musl "
run_install plan ACTION_REF=main INPUT_VERSION=" v0.3.1 " RUNNER_OS=Linux RUNNER_ARCH=X64
plan_is "version input over the ref" "release 0.3.1 x86_64-unknown-linux-musl milepost-x86_64-unknown-linux-musl.tar.xz"
run_install plan ACTION_REF=v0.2.0 INPUT_VERSION=source RUNNER_OS=Linux RUNNER_ARCH=X64
plan_is "version: source" "source  x86_64-unknown-linux-musl "
run_install plan ACTION_REF=v0.2.0 INPUT_VERSION='latest; rm -rf /' RUNNER_OS=Linux RUNNER_ARCH=X64
if [ "$STATUS" = 1 ]; then ok "plan: a bad version is refused"; else not_ok "plan: a bad version is refused" "exit $STATUS" "$OUT"; fi

# A release of 0.2.0 for Linux x86_64 as dist lays it out, with its .sha256.
rel="$work/releases/v0.2.0"
mkdir -p "$work/pack/milepost-x86_64-unknown-linux-musl" "$rel"
printf '#!/bin/sh\necho milepost 0.2.0\n' >"$work/pack/milepost-x86_64-unknown-linux-musl/milepost"
chmod +x "$work/pack/milepost-x86_64-unknown-linux-musl/milepost"
tar -cJf "$rel/milepost-x86_64-unknown-linux-musl.tar.xz" -C "$work/pack" milepost-x86_64-unknown-linux-musl
# dist writes "HASH *NAME" (binary-mode sha256sum format).
sha_file() { (cd "$rel" && printf '%s *%s\n' "$(sha256sum "$1" | cut -d ' ' -f 1)" "$1" >"$1.sha256"); }
sha_file milepost-x86_64-unknown-linux-musl.tar.xz
# and for Windows, a zip with milepost.exe at its root.
printf 'MZ fake exe\n' >"$work/pack/milepost.exe"
python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); z.write(sys.argv[2], "milepost.exe"); z.close()' \
  "$rel/milepost-x86_64-pc-windows-msvc.zip" "$work/pack/milepost.exe"
sha_file milepost-x86_64-pc-windows-msvc.zip

release_env=(MILEPOST_SOURCE=release MILEPOST_VERSION=0.2.0 MILEPOST_TARGET=x86_64-unknown-linux-musl
  MILEPOST_ARCHIVE=milepost-x86_64-unknown-linux-musl.tar.xz)

: >"$work/curl.log"
: >"$work/path"
run_install install "${release_env[@]}" MILEPOST_BIN_DIR="$work/runner/bin-a"
base=https://github.com/milepost-dev/milepost/releases/download/v0.2.0
if [ "$STATUS" = 0 ] && [ "$("$work/runner/bin-a/milepost")" = "milepost 0.2.0" ] &&
  [ "$(cat "$work/path")" = "$work/runner/bin-a" ] && [ "$(output_of path)" = "$work/runner/bin-a" ] &&
  [ "$(cat "$work/curl.log")" = "$(lines "$base/milepost-x86_64-unknown-linux-musl.tar.xz.sha256" "$base/milepost-x86_64-unknown-linux-musl.tar.xz")" ] &&
  [[ "$OUT" == *verified* ]]; then
  ok "install: downloads the archive, verifies its sha256, puts milepost on PATH"
else
  not_ok "install: downloads the archive, verifies its sha256, puts milepost on PATH" "exit $STATUS" "$OUT" "$(cat "$work/curl.log")"
fi

: >"$work/curl.log"
run_install install "${release_env[@]}" MILEPOST_BIN_DIR="$work/runner/bin-a"
if [ "$STATUS" = 0 ] && [ ! -s "$work/curl.log" ] && [[ "$OUT" == *"from the cache"* ]]; then
  ok "install: a cached binary is not downloaded again"
else
  not_ok "install: a cached binary is not downloaded again" "$OUT"
fi

run_install install MILEPOST_SOURCE=release MILEPOST_VERSION=0.2.0 MILEPOST_TARGET=x86_64-pc-windows-msvc \
  MILEPOST_ARCHIVE=milepost-x86_64-pc-windows-msvc.zip MILEPOST_BIN_DIR="$work/runner/bin-w"
if [ "$STATUS" = 0 ] && [ "$(cat "$work/runner/bin-w/milepost.exe")" = "MZ fake exe" ]; then
  ok "install: Windows zip"
else
  not_ok "install: Windows zip" "$OUT"
fi

# A tampered archive: refused, nothing installed, no fallback.
cp "$rel/milepost-x86_64-unknown-linux-musl.tar.xz.sha256" "$work/good.sha256"
printf '%064d  milepost-x86_64-unknown-linux-musl.tar.xz\n' 0 >"$rel/milepost-x86_64-unknown-linux-musl.tar.xz.sha256"
: >"$work/cargo.log"
run_install install "${release_env[@]}" MILEPOST_BIN_DIR="$work/runner/bin-b"
if [ "$STATUS" = 1 ] && [[ "$OUT" == *"checksum mismatch"* ]] && [ ! -e "$work/runner/bin-b" ] && [ ! -s "$work/cargo.log" ]; then
  ok "install: a checksum mismatch is an error, not a fallback"
else
  not_ok "install: a checksum mismatch is an error, not a fallback" "exit $STATUS" "$OUT"
fi
cp "$work/good.sha256" "$rel/milepost-x86_64-unknown-linux-musl.tar.xz.sha256"

# No archive for this version: built from the Action's source, --locked.
: >"$work/cargo.log"
run_install install MILEPOST_SOURCE=release MILEPOST_VERSION=0.9.0 MILEPOST_TARGET=x86_64-unknown-linux-musl \
  MILEPOST_ARCHIVE=milepost-x86_64-unknown-linux-musl.tar.xz MILEPOST_BIN_DIR="$work/runner/bin-c"
if [ "$STATUS" = 0 ] && [ "$("$work/runner/bin-c/milepost")" = "milepost built from source" ] &&
  [ "$(cat "$work/cargo.log")" = "install --locked --root $work/runner/cargo-root --path $root" ] &&
  [[ "$OUT" == *"no release archive"* ]]; then
  ok "install: no archive falls back to cargo install --locked from the Action's source"
else
  not_ok "install: no archive falls back to cargo install --locked from the Action's source" "exit $STATUS" "$OUT" "$(cat "$work/cargo.log")"
fi

# @main: straight to source.
: >"$work/curl.log"
run_install install MILEPOST_SOURCE=source MILEPOST_BIN_DIR="$work/runner/bin-d"
if [ "$STATUS" = 0 ] && [ -x "$work/runner/bin-d/milepost" ] && [ ! -s "$work/curl.log" ]; then
  ok "install: source build without download"
else
  not_ok "install: source build without download" "$OUT"
fi

# ---- summary ----------------------------------------------------------------

summary action
