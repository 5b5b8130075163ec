#!/usr/bin/env bash
# Runs the test suite with this process's clock moved to another moment and in another time
# zone, to show that no test depends on the hour, the date or the zone it runs in:
#
#   scripts/test-at.sh "2026-12-31 23:58:30" America/Los_Angeles [jest arguments…]
#
# The moment is UTC; the clock keeps running from there. Needs libfaketime (Debian: faketime).
# PostgreSQL's and Redis's clocks are not moved, which is the point: a test that compares the
# database's now() with the process clock fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: $0 '<UTC date and time>' <time zone> [jest arguments…]" >&2
  exit 2
fi
moment="$1" zone="$2"
shift 2
command -v faketime >/dev/null || { echo "faketime is not installed (apt-get install faketime)" >&2; exit 2; }
offset=$(($(date -u -d "$moment" +%s) - $(date -u +%s)))
sign=+
if [ "$offset" -lt 0 ]; then sign=- offset=$((-offset)); fi
echo "[test-at] clock ${sign}${offset}s (${moment} UTC), TZ=${zone}"
# A relative offset keeps every process (jest's workers, the spawned worker app) on one clock.
DONT_FAKE_MONOTONIC=1 TZ="$zone" exec faketime -f "${sign}${offset}s" npx jest "$@"
