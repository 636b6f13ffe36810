#!/usr/bin/env bash
# Chaos run for blindreview's promise: nothing shown as saved is ever lost.
#
# Drives a real annotation session through tmux and, between keys, at random:
#   - kills it with SIGKILL (then starts it again, sometimes under a small file-size limit),
#   - fills the "disk" (a soft file-size limit, SIGXFSZ ignored) and later lifts it with prlimit, pressing s,
#   - replaces the journal by rename with an older copy (as an rsync or an editor would),
#   - runs `create --force` on wrong targets ("", "..", the sessions root, a folder that is not a study,
#     the study itself while it has judgments), each of which must be refused.
# A change counts as "shown as saved" when, after its key, the screen says "saved ✓" and the journal holds a new
# change event; the script records that event's field and value. At the end it quits, merges any orphan copies
# (`blindreview journal merge`, the documented recovery), folds the journal and compares every field's last value
# shown as saved with what is on disk.
#
# Usage: scripts/chaos.sh [--events N] [--seed S] [--binary PATH]
#   --events N   stop after N changes shown as saved (default 200)
#   --seed S     bash RANDOM seed, to replay a run (default: from the clock; printed)
#   --binary P   the blindreview binary (default .build/debug/blindreview)
# Prints the counts and exits 0 only when 0 judgments were lost and every wrong --force was refused.
# Needs tmux, python3 and prlimit (util-linux). Everything happens two levels inside a fresh temporary folder.
set -u

events_goal=200
seed=$(( $(date +%s) % 32768 ))
binary=".build/debug/blindreview"
while [ $# -gt 0 ]; do
    case "$1" in
        --events) events_goal="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        *) echo "usage: scripts/chaos.sh [--events N] [--seed S] [--binary PATH]" >&2; exit 64 ;;
    esac
done
for tool in tmux python3 prlimit; do
    command -v "$tool" >/dev/null || { echo "chaos.sh: $tool is not installed" >&2; exit 2; }
done
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
[ -x "$binary" ] || { echo "chaos.sh: no binary at $binary (run swift build first)" >&2; exit 2; }
RANDOM=$seed

root="$(mktemp -d "${TMPDIR:-/tmp}/blindreview-chaos-XXXXXX")"
work="$root/a/b"   # ".." and friends can only ever reach $root
mkdir -p "$work"
socket="blindreview-chaos-$$"
cleanup() { tmux -L "$socket" kill-server 2>/dev/null; rm -rf "$root"; }
trap cleanup EXIT
cd "$work" || exit 2

"$binary" demo --create-only >/dev/null || { echo "chaos.sh: could not create the demo study" >&2; exit 2; }
journal="$work/sessions/demo/journals/demo.jsonl"
lockfile="$work/sessions/demo/journals/demo.lock"
ledger="$root/ledger.tsv"      # field <TAB> value, one line per change shown as saved (the last one per field counts)
: > "$ledger"

# Prints "<number of change events> <last change event as field<TAB>value>" for a journal.
fold() {
    python3 - "$1" "${2:-last}" <<'EOF'
import json, sys
path, mode = sys.argv[1], sys.argv[2]
changes, last, final, history, by_seq = 0, None, {}, {}, {}
try:
    lines = open(path, encoding="utf-8").read().split("\n")
except FileNotFoundError:
    lines = []
for line in lines[1:]:
    if not line.strip():
        continue
    try:
        e = json.loads(line)
    except ValueError:
        continue
    t = e.get("type")
    if t in ("rating", "preference", "note"):
        field = "%s|%s|%s|%s" % (e.get("slot"), t, e.get("response", ""), e.get("criterion", ""))
        value = e.get("value", e.get("option", e.get("text", "")))
        changes += 1
        last = (field, value)
        history.setdefault(field, []).append((e["seq"], value))
        by_seq[e["seq"]] = field
        final[field] = value
    elif t == "undo" and e.get("target") in by_seq:
        field = by_seq.pop(e["target"])
        history[field] = [h for h in history[field] if h[0] != e["target"]]
        final[field] = history[field][-1][1] if history[field] else None
if mode == "last":
    print(changes, "" if last is None else "%s\t%s" % last)
else:
    for field, value in final.items():
        print("%s\t%s" % (field, value))
EOF
}

tm() { tmux -L "$socket" "$@"; }
screen() { tm capture-pane -p -t c 2>/dev/null; }
running() { [ -n "$(session_pid)" ] && kill -0 "$(session_pid)" 2>/dev/null && ! screen | grep -q "^exited "; }
session_pid() { tr -d '[:space:]' < "$lockfile" 2>/dev/null; }
limited=0

start_session() {
    tm kill-session -t c 2>/dev/null
    local size limit_cmd=""
    limited=0
    if [ $((RANDOM % 3)) -eq 0 ]; then
        # A soft limit a little above the journal's size (bash counts 1024-byte blocks): writes soon fail with EFBIG.
        size=$(stat -c %s "$journal" 2>/dev/null || echo 0)
        limit_cmd="ulimit -S -f $(( size / 1024 + 1 )); "
        limited=1
        count_limit=$((count_limit + 1))
    fi
    tm new-session -d -s c -x 120 -y 40 "env TERM=xterm-256color bash -c '${limit_cmd}\"$binary\" annotate demo --annotator demo; echo \"exited \$?\"; sleep 2'"
    for _ in $(seq 1 100); do
        screen | grep -q "Rubric" && return 0
        screen | grep -q "NOT SAVED" && return 0
        sleep 0.05
    done
    echo "chaos.sh: the session did not start:" >&2
    screen >&2
    return 1
}

saved=0; count_kill=0; count_limit=0; count_lift=0; count_replace=0; count_force=0; force_failures=0
snapshot="$root/snapshot.jsonl"
wrong_targets=("" ".." "sessions/.." "$work" "$work/sessions" "sessions/notes" "demo")
mkdir -p sessions/notes && echo "not a study" > sessions/notes/keep.txt
pairs="$root/pairs.jsonl"   # valid input, so a wrong --force is refused for its target, not for its input
printf '%s\n' '{"id": "p1", "prompt": "Q1", "response_a": "A1", "response_b": "B1", "mapping": {"a": "m1", "b": "m2"}}' \
    '{"id": "p2", "prompt": "Q2", "response_a": "A2", "response_b": "B2", "mapping": {"a": "m1", "b": "m2"}}' > "$pairs"

# A session that only keeps the tmux server alive: killing the annotation session never empties the server, so
# the next new-session cannot race a server on its way out ("server exited unexpectedly").
tm new-session -d -s keep -x 20 -y 5 "sleep 100000" || { echo "chaos.sh: tmux could not start" >&2; exit 2; }
start_session || exit 1
keys=(1 2 3 4 5 1 2 3 4 5 4 4 a b t n)
steps=0
while [ "$saved" -lt "$events_goal" ] && [ "$steps" -lt $((events_goal * 20)) ]; do
    steps=$((steps + 1))
    roll=$((RANDOM % 100))
    if [ "$roll" -lt 6 ]; then
        pid=$(session_pid)
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null && count_kill=$((count_kill + 1))
        sleep 0.1
        start_session || exit 1
        continue
    elif [ "$roll" -lt 10 ]; then
        if [ -f "$snapshot" ]; then
            cp "$snapshot" "$journal.rsync-tmp" && mv "$journal.rsync-tmp" "$journal"
            count_replace=$((count_replace + 1))
            sleep 1.3   # the session notices within a second, even without a key
        else
            cp "$journal" "$snapshot"
        fi
        continue
    elif [ "$roll" -lt 13 ]; then
        target="${wrong_targets[$((RANDOM % ${#wrong_targets[@]}))]}"
        if "$binary" create "$target" --force --pairs "$pairs" --annotators x >/dev/null 2>&1 \
            || [ ! -f sessions/notes/keep.txt ] || [ ! -f "$journal" ]; then
            echo "chaos.sh: create --force on \"$target\" was not refused" >&2
            force_failures=$((force_failures + 1))
        fi
        count_force=$((count_force + 1))
        continue
    elif [ "$roll" -lt 16 ] && [ "$limited" -eq 1 ]; then
        pid=$(session_pid)
        if [ -n "$pid" ] && prlimit --pid "$pid" --fsize=unlimited:unlimited 2>/dev/null; then
            limited=0
            count_lift=$((count_lift + 1))
            tm send-keys -t c s
            sleep 0.3
        fi
        continue
    fi
    running || { start_session || exit 1; }
    [ $((RANDOM % 10)) -eq 0 ] && cp "$journal" "$snapshot"
    read -r before _ <<< "$(fold "$journal")"
    size_before=$(stat -c %s "$journal" 2>/dev/null || echo 0)
    key="${keys[$((RANDOM % ${#keys[@]}))]}"
    tm send-keys -t c "$key"
    [ "$key" = "n" ] && { sleep 0.2; screen | grep -q "Leave this pair" && tm send-keys -t c y; }
    for _ in $(seq 1 12); do
        sleep 0.04
        [ "$(stat -c %s "$journal" 2>/dev/null || echo 0)" = "$size_before" ] && continue
        shown="$(screen)"
        case "$shown" in *"NOT SAVED"*) break ;; *"saved ✓"*) ;; *) continue ;; esac
        out="$(fold "$journal")"
        if [ "${out%% *}" -gt "$before" ]; then
            printf '%s\n' "${out#* }" >> "$ledger"
            saved=$((saved + 1))
        fi
        break
    done
done

# Finish: lift any limit, quit, recover orphans as documented, compare.
pid=$(session_pid)
[ -n "$pid" ] && prlimit --pid "$pid" --fsize=unlimited:unlimited 2>/dev/null
if running; then
    tm send-keys -t c q
    for _ in $(seq 1 50); do running || break; sleep 0.1; done
fi
fold "$journal" final > "$root/before-orphans.tsv"
for orphan in "$work"/sessions/demo/journals/demo.jsonl.orphan-*; do
    [ -f "$orphan" ] || continue
    "$binary" journal merge demo "$orphan" --annotator demo >/dev/null || echo "chaos.sh: merging $orphan failed" >&2
done
status_ok=1
"$binary" status demo >/dev/null 2>"$root/status.err" || { status_ok=0; cat "$root/status.err" >&2; }

python3 - "$ledger" <(fold "$journal" final) "$saved" "$count_kill" "$count_limit" "$count_lift" "$count_replace" "$count_force" "$force_failures" "$seed" "$status_ok" "$root/before-orphans.tsv" <<'EOF'
import sys
ledger_path, final_path = sys.argv[1], sys.argv[2]
saved, kills, limits, lifts, replaces, forces, force_failures, seed, status_ok = map(int, sys.argv[3:12])
shown = {}
for line in open(ledger_path, encoding="utf-8"):
    if "\t" in line:
        field, value = line.rstrip("\n").split("\t", 1)
        shown[field] = value
final = {}
for line in open(final_path, encoding="utf-8"):
    if "\t" in line:
        field, value = line.rstrip("\n").split("\t", 1)
        final[field] = value
found = sum(1 for field, value in shown.items() if final.get(field) == value)
lost = len(shown) - found
print("chaos (seed %d): %d changes shown as saved; %d SIGKILLs, %d sessions under a file-size limit (%d lifted), "
      "%d journal replacements, %d wrong --force (%d not refused)" % (seed, saved, kills, limits, lifts, replaces, forces, force_failures))
print("judgments shown as saved: %d; found afterwards: %d; lost: %d; journal loads: %s" % (len(shown), found, lost, "yes" if status_ok else "NO"))
for field, value in shown.items():
    if final.get(field) != value:
        print("  lost: %s shown as %s, found %s" % (field, value, final.get(field)))
before = {}
for line in open(sys.argv[12], encoding="utf-8"):
    if "\t" in line:
        field, value = line.rstrip("\n").split("\t", 1)
        before[field] = value
print("before merging orphan copies: found %d, lost %d" % (sum(1 for f, v in shown.items() if before.get(f) == v), sum(1 for f, v in shown.items() if before.get(f) != v)))
sys.exit(0 if lost == 0 and force_failures == 0 and status_ok else 1)
EOF
