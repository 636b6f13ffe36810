#!/usr/bin/env bash
# One command from a fresh clone to the demo study open for annotation.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build -c release --product blindreview >&2
exec .build/release/blindreview demo "$@"
