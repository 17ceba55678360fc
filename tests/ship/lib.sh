# shellcheck shell=bash
# Shared by the shipping tests (action.sh, wheel.sh): their tally and the
# report they write. Sourced, not run.

passed=0
failed=0
failures=()

ok() {
  passed=$((passed + 1))
  echo "ok - $1"
}

not_ok() {
  failed=$((failed + 1))
  failures+=("$1")
  echo "FAIL - $1"
  shift
  printf '    %s\n' "$@"
}

# Prints the tally as "NAME: N passed, N failed" (a line CI reads) and
# fails when a test did.
summary() { # NAME
  if [ "$failed" -gt 0 ]; then
    printf 'failed: %s\n' "${failures[@]}"
  fi
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# A clean report in the seed's format.
good_report() { # [WEEK [DATE]]
  cat <<REPORT
======
Uke ${1:-38}
======
av Raymond Kristiansen, UH IaaS, ${2:-23. sep 2016}

Fullført
========

- Oppgradering til mitaka i uke ${1:-38}.

Under arbeid
============

- Det jobbes med å få på plass en tjeneste for DNS for instanser.

Planlagt fremdrift
==================

- Oppgradere ceph til siste versjon.

Utfordringer
============

- API-tilgang er ikke optimal slik den er satt opp nå.

Oppdatert status
================

Arbeidet frem til leveranse 14. november oppdateres fortløpende.
REPORT
}
