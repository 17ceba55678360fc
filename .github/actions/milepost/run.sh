#!/usr/bin/env bash
# Runs `milepost check` for the GitHub Action (action.yml at the repository
# root) in the current folder (the Action's working-directory).
#
# Every multi-value input is one value per line, taken literally: no word
# splitting, no glob expansion, no quotes to interpret, nothing evaluated.
# Lines are trimmed of surrounding white space (and a Windows \r), and empty
# lines are skipped.
#
# Environment (set by action.yml from the inputs; tests set them by hand):
#   INPUT_PATHS         files or folders, one per line (default: every report)
#   INPUT_FORMAT        human | json | github | sarif | junit (default github)
#   INPUT_FAIL_ON       error | warning | info (default error)
#   INPUT_SEVERITY      RULE=LEVEL, one per line (--severity each)
#   INPUT_ARGS          extra arguments for `milepost check`, one per line
#   INPUT_CONFIG, INPUT_BASELINE, INPUT_CHANGED_SINCE, INPUT_AS_OF
#   INPUT_EXIT_ZERO     "true": exit 0 even with findings (2 still fails)
#   INPUT_REPORT_FILE   where json, sarif or junit output goes
#                       (default $RUNNER_TEMP/milepost.FORMAT)
#   GITHUB_OUTPUT       step outputs: errors, warnings, infos, exit-code,
#                       report-file and, for sarif, sarif-file
#   MILEPOST            the milepost executable (default: milepost on PATH)
#
# Counts: the human and github formats end with the summary line
# `checked N reports: E errors, W warnings, I infos`, which is read from the
# run itself. For json the counts come from its "summary"; for sarif and
# junit (which carry no summary) from a second run with --format json
# --exit-zero, cheap because the history cache is warm by then.
set -euo pipefail

milepost="${MILEPOST:-milepost}"

fail() {
  printf '::error title=milepost::%s\n' "$*" >&2
  exit 2
}

set_output() {
  case "$2" in
  *$'\n'* | *$'\r'*) fail "output $1 would contain a line break" ;;
  esac
  printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
}

trim() {
  local value="${1%$'\r'}"
  value="${value#"${value%%[![:space:]]*}"}"
  value="${value%"${value##*[![:space:]]}"}"
  printf '%s' "$value"
}

# Sets the array LINES to the non-empty trimmed lines of $1. (No namerefs:
# macOS runners may run bash 3.2, where also "${empty[@]}" trips set -u,
# hence the ${a[@]+"${a[@]}"} spelling below.)
read_lines() {
  LINES=()
  local line value
  while IFS= read -r line || [ -n "$line" ]; do
    value="$(trim "$line")"
    if [ -n "$value" ]; then LINES+=("$value"); fi
  done <<<"$1"
}

is_true() {
  case "$(trim "${1:-}")" in
  true | True | TRUE | yes | 1) return 0 ;;
  false | False | FALSE | no | 0 | "") return 1 ;;
  *) fail "exit-zero must be true or false, got \"$1\"" ;;
  esac
}

format="$(trim "${INPUT_FORMAT:-github}")"
[ -n "$format" ] || format=github
case "$format" in
human | github | json | sarif | junit) ;;
*) fail "format must be one of human, json, github, sarif, junit; got \"$format\"" ;;
esac
fail_on="$(trim "${INPUT_FAIL_ON:-error}")"
[ -n "$fail_on" ] || fail_on=error

# Options shared by the run and the counting run.
common=()
if [ -n "$(trim "${INPUT_CONFIG:-}")" ]; then common+=(--config "$(trim "$INPUT_CONFIG")"); fi
if [ -n "$(trim "${INPUT_BASELINE:-}")" ]; then common+=(--baseline "$(trim "$INPUT_BASELINE")"); fi
if [ -n "$(trim "${INPUT_CHANGED_SINCE:-}")" ]; then common+=(--changed-since "$(trim "$INPUT_CHANGED_SINCE")"); fi
if [ -n "$(trim "${INPUT_AS_OF:-}")" ]; then common+=(--as-of "$(trim "$INPUT_AS_OF")"); fi
read_lines "${INPUT_SEVERITY:-}"
for value in ${LINES[@]+"${LINES[@]}"}; do common+=(--severity "$value"); done
read_lines "${INPUT_ARGS:-}"
for value in ${LINES[@]+"${LINES[@]}"}; do common+=("$value"); done
read_lines "${INPUT_PATHS:-}"
paths=(${LINES[@]+"${LINES[@]}"})

run_args=(check --format "$format" --fail-on "$fail_on")
if is_true "${INPUT_EXIT_ZERO:-false}"; then run_args+=(--exit-zero); fi
# `--` ends the options: a path that starts with `-` is still a path.
run_args+=(${common[@]+"${common[@]}"} -- ${paths[@]+"${paths[@]}"})

tmp="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/milepost-run.XXXXXX")"
trap 'rm -rf -- "$tmp"' EXIT

report_file=""
status=0
case "$format" in
human | github)
  # Shown in the log as it comes, and kept to read the summary line.
  set +e
  "$milepost" "${run_args[@]}" | tee -- "$tmp/output"
  status="${PIPESTATUS[0]}"
  set -e
  summary_source="$tmp/output"
  ;;
*)
  report_file="$(trim "${INPUT_REPORT_FILE:-}")"
  [ -n "$report_file" ] || report_file="${RUNNER_TEMP:-$PWD}/milepost.$format"
  mkdir -p "$(dirname "$report_file")"
  "$milepost" "${run_args[@]}" >"$report_file" || status=$?
  summary_source="$report_file"
  ;;
esac

errors="" warnings="" infos=""
read_summary_line() {
  local line pattern='^checked [0-9]+ reports?: ([0-9]+) errors?, ([0-9]+) warnings?, ([0-9]+) infos?$'
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ "$line" =~ $pattern ]]; then
      errors="${BASH_REMATCH[1]}" warnings="${BASH_REMATCH[2]}" infos="${BASH_REMATCH[3]}"
    fi
  done <"$1"
}
# The top-level "summary" object of milepost's (pretty-printed) JSON.
read_json_summary() {
  local line in_summary=0 pattern='^    "(errors|warnings|infos)": ([0-9]+),?$'
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
    '  "summary": {') in_summary=1 ;;
    '  }' | '  },') in_summary=0 ;;
    esac
    if [ "$in_summary" = 1 ] && [[ "$line" =~ $pattern ]]; then
      case "${BASH_REMATCH[1]}" in
      errors) errors="${BASH_REMATCH[2]}" ;;
      warnings) warnings="${BASH_REMATCH[2]}" ;;
      infos) infos="${BASH_REMATCH[2]}" ;;
      esac
    fi
  done <"$1"
}

if [ "$status" -le 1 ]; then
  case "$format" in
  human | github) read_summary_line "$summary_source" ;;
  json) read_json_summary "$summary_source" ;;
  esac
  if [ -z "$errors" ]; then
    # No summary in the output (sarif, junit, or --quiet among the args).
    count_status=0
    "$milepost" check --format json --fail-on "$fail_on" --exit-zero ${common[@]+"${common[@]}"} -- ${paths[@]+"${paths[@]}"} \
      >"$tmp/counts.json" || count_status=$?
    if [ "$count_status" -eq 0 ]; then read_json_summary "$tmp/counts.json"; fi
  fi
fi

set_output exit-code "$status"
set_output errors "$errors"
set_output warnings "$warnings"
set_output infos "$infos"
set_output report-file "$report_file"
if [ "$format" = sarif ]; then set_output sarif-file "$report_file"; else set_output sarif-file ""; fi
if [ -n "$report_file" ]; then
  echo "milepost: ${errors:-?} errors, ${warnings:-?} warnings, ${infos:-?} infos; $format report in $report_file"
fi
exit "$status"
