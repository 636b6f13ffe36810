#!/usr/bin/env bash
# Installs what blindreview needs beyond the Swift toolchain (ncurses headers; tmux for the end-to-end tests;
# python3 for the tests' stand-in LLM judge and the chaos script),
# only when it is missing. Debian/Ubuntu; uses sudo when not root.
set -euo pipefail
missing=()
dpkg -s libncurses-dev >/dev/null 2>&1 || missing+=(libncurses-dev)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
command -v swift >/dev/null 2>&1 || { echo "error: swift is not on PATH (install Swift 6, see swift.org)" >&2; exit 1; }
