#!/usr/bin/env bash
# Tests the Python wheel of milepost (pyproject.toml, maturin `bindings = "bin"`)
# and the pre-commit hooks that install it, offline:
#  1. the wheel installs into a fresh virtual environment and the `milepost`
#     it puts on PATH runs: --version, and check on a tiny tree (exit 0 for a
#     good report, 1 for a broken one);
#  2. the real pre-commit framework, with a `language: python` hook whose
#     additional_dependencies is the wheel's path, refuses a commit of a
#     broken report and accepts a good one;
#  3. the same through the mirror-repository pattern (.github/pre-commit-mirror:
#     a hook package pinning milepost==VERSION), with `rev:` a tag.
# pip never reaches an index: PIP_NO_INDEX=1, and PIP_FIND_LINKS holds the
# wheel and the setuptools wheel virtualenv ships (for pip's build of the
# hook package).
#
#   bash tests/ship/wheel.sh WHEEL PYTHON
# WHEEL: the built wheel; PYTHON: a Python with pre-commit installed (.ci/venv).
# Ends with "N passed, N failed"; exits 1 when any test failed.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
wheel="$(cd "$(dirname "${1:?usage: wheel.sh WHEEL PYTHON}")" && pwd)/$(basename "$1")"
python="${2:?usage: wheel.sh WHEEL PYTHON}"
python="$(cd "$(dirname "$python")" && pwd)/$(basename "$python")"
pre_commit="$(dirname "$python")/pre-commit"
[ -f "$wheel" ] || { echo "no wheel at $wheel" >&2; exit 2; }
[ -x "$pre_commit" ] || { echo "no pre-commit beside $python" >&2; exit 2; }
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"

work="$(mktemp -d "${TMPDIR:-/tmp}/milepost-wheel-test.XXXXXX")"
trap 'rm -rf -- "$work"' EXIT

# shellcheck source=tests/ship/lib.sh
. "$root/tests/ship/lib.sh"

export GIT_AUTHOR_NAME=milepost GIT_AUTHOR_EMAIL=milepost@example.invalid
export GIT_COMMITTER_NAME=milepost GIT_COMMITTER_EMAIL=milepost@example.invalid
export GIT_CONFIG_NOSYSTEM=1 HOME="$work/home"
mkdir -p "$HOME"
# Offline pip: the wheel and setuptools (for building the hook package).
links="$work/links"
mkdir -p "$links"
cp -- "$wheel" "$links/"
setuptools_wheel="$("$python" -c 'import glob, os, virtualenv.seed.wheels.embed as e; print(sorted(glob.glob(os.path.join(os.path.dirname(e.__file__), "setuptools-*.whl")))[-1])')"
cp -- "$setuptools_wheel" "$links/"
export PIP_NO_INDEX=1 PIP_FIND_LINKS="$links" PIP_DISABLE_PIP_VERSION_CHECK=1

# A section title milepost does not know: an unknown-section error.
broken_report() { good_report | sed 's/^Fullført$/Fullfort/'; }

# ---- 1. the wheel in a fresh venv -------------------------------------------
"$python" -m venv "$work/venv"
if "$work/venv/bin/pip" install --quiet --no-deps "$wheel" >"$work/pip.log" 2>&1; then
  ok "the wheel installs into a fresh venv"
else
  not_ok "the wheel installs into a fresh venv" "$(cat "$work/pip.log")"
fi
got="$("$work/venv/bin/milepost" --version 2>&1 || true)"
if [ "$got" = "milepost $version" ]; then ok "milepost --version from the wheel"; else not_ok "milepost --version from the wheel" "got: $got"; fi
mkdir -p "$work/tree/status"
good_report >"$work/tree/status/2016_uke_38.rst"
status=0
(cd "$work/tree" && "$work/venv/bin/milepost" check >"$work/check.log" 2>&1) || status=$?
if [ "$status" = 0 ]; then ok "milepost check: a good report passes"; else not_ok "milepost check: a good report passes" "exit $status" "$(cat "$work/check.log")"; fi
broken_report >"$work/tree/status/2016_uke_38.rst"
status=0
(cd "$work/tree" && "$work/venv/bin/milepost" check >"$work/check.log" 2>&1) || status=$?
if [ "$status" = 1 ] && grep -q unknown-section "$work/check.log"; then
  ok "milepost check: a broken report exits 1"
else
  not_ok "milepost check: a broken report exits 1" "exit $status" "$(cat "$work/check.log")"
fi

# ---- 2 and 3. commits through pre-commit ------------------------------------
# Commits a broken report (must be refused, naming unknown-section), then a
# good one (must pass), in a new repository with the given config.
commit_through() { # NAME CONFIG-TEXT
  local name="$1" repo="$work/repo-$passed-$failed"
  rm -rf -- "$repo"
  mkdir -p "$repo/status"
  git -C "$repo" init -q
  printf '%s' "$2" >"$repo/.pre-commit-config.yaml"
  if ! (cd "$repo" && PRE_COMMIT_HOME="$work/pre-commit-home" "$pre_commit" install >"$work/install.log" 2>&1); then
    not_ok "$name: pre-commit install" "$(cat "$work/install.log")"
    return
  fi
  git -C "$repo" add .pre-commit-config.yaml
  broken_report >"$repo/status/2016_uke_38.rst"
  git -C "$repo" add status/2016_uke_38.rst
  local said status=0
  said="$(cd "$repo" && PRE_COMMIT_HOME="$work/pre-commit-home" git commit -q -m broken 2>&1)" || status=$?
  if [ "$status" != 0 ] && [[ "$said" == *unknown-section* ]] && ! git -C "$repo" rev-parse -q --verify HEAD >/dev/null; then
    ok "$name: a broken report is refused"
  else
    not_ok "$name: a broken report is refused" "exit $status" "$said"
  fi
  good_report >"$repo/status/2016_uke_38.rst"
  git -C "$repo" add status/2016_uke_38.rst
  status=0
  said="$(cd "$repo" && PRE_COMMIT_HOME="$work/pre-commit-home" git commit -q -m good 2>&1)" || status=$?
  if [ "$status" = 0 ] && git -C "$repo" rev-parse -q --verify HEAD >/dev/null; then
    ok "$name: a good report is committed"
  else
    not_ok "$name: a good report is committed" "exit $status" "$said"
  fi
}

# The published hook's entry and files, as a local python hook on the wheel.
entry="$(sed -n 's/^  entry: //p' "$root/.pre-commit-hooks.yaml")"
files="$(sed -n 's/^  files: //p' "$root/.pre-commit-hooks.yaml")"
if [ "$entry" = "milepost check --staged" ] && [ "$files" = '\.(rst|md|ya?ml)$' ]; then
  ok "the published hook's entry and files"
else
  not_ok "the published hook's entry and files" "entry: $entry" "files: $files"
fi
commit_through "language: python hook on the wheel" "repos:
  - repo: local
    hooks:
      - id: milepost
        name: milepost
        entry: $entry
        language: python
        additional_dependencies: ['$wheel']
        files: '$files'
        types: [text]
        pass_filenames: true
        require_serial: true
"

# The mirror pattern: a repository made from the template, pinned to this
# version, tagged; pre-commit clones it at the tag and pip installs it,
# which pulls milepost==VERSION from PIP_FIND_LINKS.
mirror="$work/milepost-pre-commit"
mkdir -p "$mirror"
sh "$root/.github/pre-commit-mirror/bump.sh" "$version" "$mirror"
if grep -q "\"milepost==$version\"" "$mirror/pyproject.toml" &&
  [ "$(sed -n 's/^  entry: //p' "$mirror/.pre-commit-hooks.yaml")" = "$entry" ] &&
  [ "$(sed -n 's/^  files: //p' "$mirror/.pre-commit-hooks.yaml")" = "$files" ]; then
  ok "mirror: pinned to milepost==$version, same entry and files as the published hook"
else
  not_ok "mirror: pinned to milepost==$version, same entry and files as the published hook" "$(cat "$mirror/pyproject.toml" "$mirror/.pre-commit-hooks.yaml")"
fi
git -C "$mirror" init -q
git -C "$mirror" add -A
git -C "$mirror" commit -q -m "milepost $version"
git -C "$mirror" tag "v$version"
commit_through "mirror repository at v$version" "repos:
  - repo: $mirror
    rev: v$version
    hooks:
      - id: milepost
"

summary wheel
