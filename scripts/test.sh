#!/usr/bin/env bash
# Install everything the tests need, then run every test (core, pages, browser).
# Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
# The project itself, editable: tests and benchmarks import attention_core, ui and labdev like any package.
python3 -m pip install --quiet --disable-pip-version-check -e .

# Browser tests drive Debian's Chromium (no browser download); CJK fonts render Korean.
fonts=$(fc-list 2>/dev/null || true)
if [ ! -x /usr/bin/chromium ] || ! grep -qi "Noto Sans CJK" <<<"$fonts" || ! grep -qi "Noto Color Emoji" <<<"$fonts"; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-color-emoji >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-color-emoji >/dev/null
  else
    echo "note: /usr/bin/chromium is missing and apt-get needs root: browser tests will be skipped (they fail under CI=true)." >&2
  fi
fi

# The classroom tests run Debian's HAProxy in front of app replicas (deploy/classroom.sh).
if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
  else
    echo "note: haproxy is missing and apt-get needs root: the classroom tests will be skipped (they fail under CI=true)." >&2
  fi
fi

# The class store's tests run on a real PostgreSQL too (a throwaway cluster in a temporary folder).
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "note: PostgreSQL is missing and apt-get needs root: its tests will be skipped (they fail under CI=true)." >&2
  fi
fi

exec python3 -m pytest "$@"
