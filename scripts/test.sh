#!/usr/bin/env bash
# One command from a fresh clone to the full test suite (unit, CLI, and tmux end-to-end tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
exec swift test "$@"
