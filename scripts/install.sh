#!/usr/bin/env bash
# Builds blindreview (release) and installs it with shell completions for the current user.
#   scripts/install.sh                 # into ~/.local/bin
#   PREFIX=/usr/local/bin scripts/install.sh
# The binary is self-contained: the leak-term list and the rubric are compiled in.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
prefix="${PREFIX:-$HOME/.local/bin}"
swift build -c release --product blindreview >&2
mkdir -p "$prefix"
install -m 0755 .build/release/blindreview "$prefix/blindreview"
echo "installed $prefix/blindreview ($("$prefix/blindreview" --version))"
# Completions: command names, flags, --format values, study names under ./sessions, files.
bash_dir="${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion/completions"
zsh_dir="${XDG_DATA_HOME:-$HOME/.local/share}/zsh/site-functions"
fish_dir="${XDG_CONFIG_HOME:-$HOME/.config}/fish/completions"
mkdir -p "$bash_dir" "$zsh_dir" "$fish_dir"
"$prefix/blindreview" --generate-completion-script bash > "$bash_dir/blindreview"
"$prefix/blindreview" --generate-completion-script zsh > "$zsh_dir/_blindreview"
"$prefix/blindreview" --generate-completion-script fish > "$fish_dir/blindreview.fish"
echo "completions: $bash_dir/blindreview, $zsh_dir/_blindreview, $fish_dir/blindreview.fish"
case ":$PATH:" in
  *":$prefix:"*) ;;
  *) echo "note: $prefix is not on your PATH; add it, e.g.: echo 'export PATH=\"$prefix:\$PATH\"' >> ~/.bashrc" ;;
esac
