#!/bin/sh
# Usage: bump.sh VERSION [MIRROR_DIR]  (MIRROR_DIR defaults to the current folder)
# Writes the mirror's files pinned to milepost==VERSION.
set -eu
version="${1:?usage: bump.sh VERSION [MIRROR_DIR]}"
case "$version" in
*[!0-9A-Za-z.+-]* | "") echo "not a version: $version" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "$0")" && pwd)"
into="${2:-.}"
cp "$here/.pre-commit-hooks.yaml" "$into/.pre-commit-hooks.yaml"
sed -e "s/^version = \".*\"/version = \"$version\"/" \
  -e "s/\"milepost==[^\"]*\"/\"milepost==$version\"/" \
  "$here/pyproject.toml" >"$into/pyproject.toml"
