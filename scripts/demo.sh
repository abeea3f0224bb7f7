#!/usr/bin/env bash
# Sets up everything and runs the demo: kiosk-hq with two demo stores, `kiosk-hq simulate`
# serving stand-ins of the sources' APIs (Google, Yelp, Facebook, Mastodon, Bluesky, Reddit, X,
# RSS) with a new post every few seconds, kiosk-hq's connectors polling them and matching each
# post to its store, a kiosk enrolled at "Downtown", and the kiosk window. With no display (or
# --headless) it runs under Xvfb, walks through an escalation (tap Escalate -> PIN pad ->
# queued -> delivered -> acknowledged by head office), an issue reported with no post and a
# manager acknowledging it offline, and writes a screenshot of each step, printing where.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

headless=0
[ -z "${DISPLAY:-}" ] && headless=1
[ "${1:-}" = "--headless" ] && headless=1

bash scripts/setup.sh
echo "== building (release)"
cmake --preset release >/dev/null
cmake --build --preset release -j "${KIOSK_JOBS:-2}" --target kiosk kiosk-hq

out="${KIOSK_DEMO_DIR:-$root/demo-output}"
rm -rf "$out" && mkdir -p "$out"
hq_bin="$root/build/release/sync/hq/kiosk-hq"
kiosk_bin="$root/build/release/kiosk/app/kiosk"
hq() { "$hq_bin" "$@" --db "$out/hq.sqlite"; }
kiosk() { "$kiosk_bin" --db "$out/kiosk.sqlite" "$@"; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "== head office: demo stores and what matches posts to them"
hq store add --id downtown --name "Downtown"
hq store add --id uptown --name "Uptown"
hq mentions load --store downtown --file assets/demo/downtown.json
hq mentions load --store uptown --file assets/demo/uptown.json
# Staff tap in on the terminal with a PIN (read from stdin, never a command-line argument).
echo 4821 | hq staff add --store downtown --id ana --name "Ana Lopez" --role associate
echo 90210 | hq staff add --store downtown --id max --name "Max Weber" --role manager --language es
echo "Demo PINs: Ana Lopez 4821 (associate), Max Weber 90210 (manager, Spanish screens)"
hq store set --id downtown --file assets/demo/downtown.store.json
hq store set --id uptown --file assets/demo/uptown.store.json
# Downtown's escalation ladder: response targets on the kiosk's Escalations tab.
hq policy set --store downtown --file assets/demo/downtown.policy

# Stand-ins of the sources' APIs: earlier posts at once, then a new one every few seconds.
"$hq_bin" simulate --listen 127.0.0.1:0 --port-file "$out/sim.port" \
  --sources-out "$out/sources.json" --every "${KIOSK_DEMO_LIVE_EVERY:-8}s" --poll-every 3s \
  --history 16 >"$out/simulate.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$out/sources.json" ] && break; sleep 0.1; done
[ -s "$out/sources.json" ] || { echo "kiosk-hq simulate did not start; see $out/simulate.log" >&2; exit 1; }
echo "simulated sources at http://127.0.0.1:$(cat "$out/sim.port") (log: $out/simulate.log)"

"$hq_bin" --db "$out/hq.sqlite" --listen 127.0.0.1:0 --port-file "$out/hq.port" \
  --sources "$out/sources.json" >"$out/hq.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$out/hq.port" ] && break; sleep 0.1; done
[ -s "$out/hq.port" ] || { echo "kiosk-hq did not start; see $out/hq.log" >&2; exit 1; }
url="http://127.0.0.1:$(cat "$out/hq.port")"
echo "kiosk-hq is serving at $url (log: $out/hq.log)"

echo "== kiosk: enroll at Downtown and sync"
code=$(hq enroll-code --store downtown)
kiosk enroll --hq "$url" --code "$code" --name "Front counter"
# The connectors' first polls: wait until Downtown's mentions have come through.
for _ in $(seq 1 40); do
  kiosk sync --once >/dev/null 2>&1 || true
  [ "$(kiosk mentions --json --limit 10 | grep -o '"id"' | wc -l)" -ge 5 ] && break
  sleep 0.5
done
hq sources list --sources "$out/sources.json"
echo "unmatched at head office (assign with: kiosk-hq mentions assign --mention ID --store ID):"
hq mentions unmatched

if [ "$headless" = 0 ]; then
  echo "== opening the kiosk window (close it to end the demo)"
  kiosk
  exit 0
fi

echo "== no display: running headless under Xvfb, screenshots in $out"
shot() { xvfb-run -a -s "-screen 0 1280x800x24 -noreset" "$kiosk_bin" --db "$out/kiosk.sqlite" --no-sync "$@"; }
# The first card of the feed: the most urgent mention that needs attention.
first=$(kiosk mentions --json --limit 1 --feed needs_attention | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
shot --screenshot "$out/01-feed.png"
shot --tap chip:praise --frames 8 --screenshot "$out/01b-praise.png"
ana=(--tap staff:ana --tap pin:4 --tap pin:8 --tap pin:2 --tap pin:1)
shot --tap "escalate:$first" "${ana[@]}" --frames 8 --screenshot "$out/02-pin-pad.png"
shot --tap "escalate:$first" "${ana[@]}" --tap pin:ok --frames 8 \
  --screenshot "$out/02-escalate-dialog.png"
shot --tap "escalate:$first" "${ana[@]}" --tap pin:ok --tap severity:high --tap confirm \
  --screenshot "$out/03-queued-offline.png"
kiosk sync --once
shot --screenshot "$out/04-delivered-to-hq.png"
escalation=$(hq escalations list --json | grep -o '"id": *"[0-9a-f-]\{36\}"' | head -1 | grep -o '[0-9a-f-]\{36\}')
hq ack --escalation "$escalation" --by "HQ customer care"
kiosk sync --once
shot --screenshot "$out/05-acknowledged.png"
# A tap on the card's body: its detail, the whole post, its link written out and as a QR code.
shot --tap "detail:$first" --frames 8 --screenshot "$out/05b-detail.png"
# Something happened at the counter with no post: Ana reports it in three taps, then Max (a
# manager, Spanish screens) acknowledges it on the Escalations tab while offline.
shot --staff ana --tap report_issue --tap category:wait_time --frames 8 \
  --screenshot "$out/06-report-issue.png"
shot --staff ana --tap report_issue --tap category:wait_time --tap send \
  --screenshot "$out/07-escalations.png"
reported=$(kiosk escalations --json | grep -o '"id": *"[0-9a-f-]\{36\}"' | head -1 | grep -o '[0-9a-f-]\{36\}')
shot --staff max --tap tab:escalations --tap "ack:$reported" \
  --screenshot "$out/08-acknowledged-here.png"
echo
echo "Demo screenshots:"
ls -1 "$out"/*.png
