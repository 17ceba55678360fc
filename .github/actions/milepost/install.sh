#!/usr/bin/env bash
# Installs milepost for the GitHub Action (action.yml at the repository root).
#
#   install.sh plan     decide what to install; writes the step outputs
#                       version, source (release|source), target, archive,
#                       bin-dir and cache-key to $GITHUB_OUTPUT
#   install.sh install  install into bin-dir unless a cached binary is there,
#                       then put bin-dir on $GITHUB_PATH
#
# A released version is downloaded from the release page of the Action's
# repository and verified against its .sha256 file before it is unpacked.
# Only when there is no archive for this version and platform (the Action
# used @main or at a commit, a version without a release, or a platform with
# no prebuilt binary) is milepost built from the Action's own source with
# `cargo install --locked`. A failed or tampered download is an error, never
# a reason to fall back.
#
# Environment (set by action.yml; tests set them by hand):
#   INPUT_VERSION      the `version` input: "", "0.2.0", "v0.2.0" or "source"
#   ACTION_REF         github.action_ref (the tag or branch the Action was used at)
#   ACTION_REPOSITORY  github.action_repository (owner/name)
#   ACTION_PATH        github.action_path (the Action's source)
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_PATH
#   MILEPOST_RELEASES_URL  overrides https://github.com/OWNER/NAME/releases/download
#   MILEPOST_BIN_DIR   (install) the bin-dir output of `plan`
set -euo pipefail

die() {
  printf '::error title=milepost install::%s\n' "$*" >&2
  exit 1
}

# Writes one step output; refuses values that would break the file format.
set_output() {
  case "$2" in
  *$'\n'* | *$'\r'*) die "output $1 would contain a line break" ;;
  esac
  printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
}

# The Rust target of the release archive for this runner, or "" for none.
target_for() {
  case "$1/$2" in
  Linux/X64) echo x86_64-unknown-linux-musl ;;
  Linux/ARM64) echo aarch64-unknown-linux-musl ;;
  macOS/X64) echo x86_64-apple-darwin ;;
  macOS/ARM64) echo aarch64-apple-darwin ;;
  Windows/X64) echo x86_64-pc-windows-msvc ;;
  *) echo "" ;;
  esac
}

# The archive file name dist gives a target (see dist-workspace.toml).
archive_for() {
  case "$1" in
  *-windows-*) echo "milepost-$1.zip" ;;
  *) echo "milepost-$1.tar.xz" ;;
  esac
}

is_version() {
  [[ "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]]
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum -- "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 -- "$1" | cut -d ' ' -f 1
  else
    die "neither sha256sum nor shasum is available to verify the download"
  fi
}

# A key that changes whenever the Action's source does (for source builds).
source_key() {
  (
    cd "${ACTION_PATH:?ACTION_PATH is not set}"
    {
      printf '%s\n' Cargo.toml Cargo.lock
      find src schema -type f
    } | LC_ALL=C sort | while IFS= read -r file; do
      printf '%s\n' "$file"
      cat -- "$file"
    done
  ) >"$RUNNER_TEMP/milepost-source-key"
  sha256_of "$RUNNER_TEMP/milepost-source-key" | cut -c 1-20
}

plan() {
  local requested="${INPUT_VERSION:-}" version="" source=release target archive key
  requested="${requested#"${requested%%[![:space:]]*}"}"
  requested="${requested%"${requested##*[![:space:]]}"}"
  if [ -z "$requested" ]; then
    # The Action's own tag: uses: milepost-dev/milepost@v0.2.0 installs 0.2.0.
    local ref="${ACTION_REF:-}"
    if is_version "${ref#v}" && [ "${ref#v}" != "$ref" ]; then
      version="${ref#v}"
    else
      source=source
    fi
  elif [ "$requested" = source ]; then
    source=source
  elif is_version "${requested#v}"; then
    version="${requested#v}"
  else
    die "version must be a release such as 0.2.0 (or v0.2.0), or \"source\"; got \"$requested\""
  fi

  target="$(target_for "${RUNNER_OS:-}" "${RUNNER_ARCH:-}")"
  if [ "$source" = release ] && [ -z "$target" ]; then
    echo "::notice title=milepost install::no prebuilt milepost for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}; building from source"
    source=source version=""
  fi
  archive=""
  if [ "$source" = release ]; then
    archive="$(archive_for "$target")"
    key="milepost-bin-$version-$target"
  else
    key="milepost-bin-source-$(source_key)-${RUNNER_OS:-os}-${RUNNER_ARCH:-arch}"
  fi
  set_output version "$version"
  set_output source "$source"
  set_output target "$target"
  set_output archive "$archive"
  set_output bin-dir "${RUNNER_TEMP:?RUNNER_TEMP is not set}/milepost-bin/$key"
  set_output cache-key "$key"
}

# Downloads URL to FILE. Prints the HTTP status; fails on network errors.
fetch() {
  curl --silent --show-error --location --retry 3 --proto '=https,file' \
    --output "$2" --write-out '%{http_code}' -- "$1"
}

install_release() {
  local version="$1" target="$2" archive="$3" bin_dir="$4"
  local base="${MILEPOST_RELEASES_URL:-https://github.com/${ACTION_REPOSITORY:-milepost-dev/milepost}/releases/download}"
  local url="$base/v$version/$archive"
  local work
  work="$(mktemp -d "$RUNNER_TEMP/milepost-download.XXXXXX")"
  local status
  status="$(fetch "$url.sha256" "$work/$archive.sha256")" ||
    die "could not download $url.sha256"
  if [ "$status" = 404 ]; then
    echo "::warning title=milepost install::no release archive $archive for milepost $version; building from the Action's source instead"
    NO_ARCHIVE=1
    rm -rf -- "$work"
    return 0
  fi
  [ "$status" = 200 ] || die "downloading $url.sha256: HTTP $status"
  status="$(fetch "$url" "$work/$archive")" || die "could not download $url"
  [ "$status" = 200 ] || die "downloading $url: HTTP $status"

  local expected actual
  expected="$(tr -d '\r' <"$work/$archive.sha256" | cut -d ' ' -f 1 | head -n 1 | tr 'A-F' 'a-f')"
  actual="$(sha256_of "$work/$archive")"
  [[ "$expected" =~ ^[0-9a-f]{64}$ ]] || die "$archive.sha256 holds no sha256 checksum"
  [ "$expected" = "$actual" ] ||
    die "checksum mismatch for $archive: expected $expected, got $actual"
  echo "milepost $version: $archive (sha256 $actual, verified)"

  mkdir -p "$work/unpacked"
  case "$archive" in
  *.zip)
    if command -v unzip >/dev/null 2>&1; then
      unzip -q -o "$work/$archive" -d "$work/unpacked"
    else
      7z x -y -bd "-o$work/unpacked" "$work/$archive" >/dev/null
    fi
    ;;
  *.tar.xz) tar -xJf "$work/$archive" -C "$work/unpacked" ;;
  *) die "unknown archive format: $archive" ;;
  esac
  local exe=milepost
  case "$target" in *-windows-*) exe=milepost.exe ;; esac
  local found=""
  for candidate in "$work/unpacked/milepost-$target/$exe" "$work/unpacked/$exe"; do
    if [ -f "$candidate" ]; then
      found="$candidate"
      break
    fi
  done
  [ -n "$found" ] || die "$archive holds no $exe"
  mkdir -p "$bin_dir"
  cp -- "$found" "$bin_dir/$exe"
  chmod +x "$bin_dir/$exe"
  rm -rf -- "$work"
}

install_source() {
  local bin_dir="$1"
  command -v cargo >/dev/null 2>&1 ||
    die "building milepost from source needs a Rust toolchain (e.g. dtolnay/rust-toolchain); or use a released version of the Action (@v0.2.0) or the version input"
  echo "building milepost from ${ACTION_PATH:?} with cargo install --locked"
  local root
  root="$(dirname -- "$bin_dir")/cargo-root"
  cargo install --locked --root "$root" --path "$ACTION_PATH"
  mkdir -p "$bin_dir"
  local exe=milepost
  [ -f "$root/bin/milepost.exe" ] && exe=milepost.exe
  cp -- "$root/bin/$exe" "$bin_dir/$exe"
  rm -rf -- "$root"
}

install() {
  local source="${MILEPOST_SOURCE:?}" bin_dir="${MILEPOST_BIN_DIR:?}"
  if [ -x "$bin_dir/milepost" ] || [ -f "$bin_dir/milepost.exe" ]; then
    echo "milepost from the cache: $bin_dir"
  elif [ "$source" = release ]; then
    NO_ARCHIVE=0
    install_release "${MILEPOST_VERSION:?}" "${MILEPOST_TARGET:?}" "${MILEPOST_ARCHIVE:?}" "$bin_dir"
    if [ "$NO_ARCHIVE" = 1 ]; then
      install_source "$bin_dir"
    fi
  else
    install_source "$bin_dir"
  fi
  printf '%s\n' "$bin_dir" >>"${GITHUB_PATH:?GITHUB_PATH is not set}"
  set_output path "$bin_dir"
}

case "${1:-}" in
plan) plan ;;
install) install ;;
*)
  echo "usage: install.sh plan|install" >&2
  exit 2
  ;;
esac
