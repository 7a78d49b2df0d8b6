#!/bin/sh
# pcscd-run.sh MODE STATE_DIR OWNER_PID : run pcscd for the virtual card, in the foreground, until
# SIGTERM/SIGINT/SIGHUP or until OWNER_PID (if not 0) is gone; then stop pcscd and exit.
#   MODE private : own mount namespace (unshare -m) where STATE_DIR/run is bind-mounted on /run/pcscd:
#                  the socket is STATE_DIR/run/pcscd.comm (clients: PCSCLITE_CSOCK_NAME=...), the
#                  system socket and any system pcscd are left alone. Needs root (CAP_SYS_ADMIN).
#   MODE system  : plain pcscd on the system socket /run/pcscd/pcscd.comm (one a machine).
# Expects STATE_DIR/reader.conf.d/ (vpcd entry) and STATE_DIR/nodelay.so (see nodelay.c).
# pcscd's pid goes to STATE_DIR/pcscd.pid, its log to STATE_DIR/pcscd.log.
set -e
MODE=$1; D=$2; OWNER=${3:-0}
case "$MODE" in
  private)
    mkdir -p "$D/run"
    exec unshare -m --propagation private sh -c 'mkdir -p /run/pcscd && mount --bind "$1/run" /run/pcscd && exec sh "$0" inner "$1" "$2"' "$0" "$D" "$OWNER" ;;
  system|inner) ;;
  *) echo "usage: pcscd-run.sh private|system STATE_DIR [OWNER_PID]" >&2; exit 2 ;;
esac
set +e
LD_PRELOAD="$D/nodelay.so" pcscd -f ${PCSCD_LOG_LEVEL:--e} -c "$D/reader.conf.d" >>"$D/pcscd.log" 2>&1 &
child=$!
echo "$child" > "$D/pcscd.pid"
trap 'kill -TERM $child 2>/dev/null; wait $child; exit 0' TERM INT HUP
while kill -0 "$child" 2>/dev/null; do
  if [ "$OWNER" != 0 ] && ! kill -0 "$OWNER" 2>/dev/null; then kill -TERM "$child" 2>/dev/null; wait "$child"; exit 0; fi
  sleep 0.5 & wait $!
done
wait "$child"
