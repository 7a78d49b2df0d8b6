#!/bin/sh
# vcard-down.sh STATE_DIR : stop the card and the pcscd started by vcard-up.sh (by their recorded pids)
D=${1:?usage: vcard-down.sh STATE_DIR}
[ -f "$D/vpiv.pid" ] && kill "$(cat "$D/vpiv.pid")" 2>/dev/null; rm -f "$D/vpiv.pid"
# the guard (pcscd-run.sh) stops pcscd and waits for it
[ -f "$D/pcscd-guard.pid" ] && kill "$(cat "$D/pcscd-guard.pid")" 2>/dev/null; rm -f "$D/pcscd-guard.pid"
for i in $(seq 40); do [ -f "$D/pcscd/pcscd.pid" ] && kill -0 "$(cat "$D/pcscd/pcscd.pid")" 2>/dev/null || break; sleep 0.1; done
exit 0
