#!/bin/sh
# pcscd-run.sh MODE STATE_DIR OWNER_PID : run pcscd for the virtual card, in the foreground, until
# SIGTERM/SIGINT/SIGHUP or until OWNER_PID (if not 0) is gone; then stop pcscd and exit.
#   MODE private : own mount namespace (unshare -m) where STATE_DIR/run is bind-mounted on /run/pcscd:
#                  the socket is STATE_DIR/run/pcscd.comm (clients: PCSCLITE_CSOCK_NAME=...), the
#                  system socket and any system pcscd are left alone. Needs root, or
#                  PCSCD_UNSHARE_FLAGS=-r (user namespace) for other users.
#   MODE system  : plain pcscd on the system socket /run/pcscd/pcscd.comm (one a machine).
# Expects STATE_DIR/reader.conf.d/ (vpcd entry) and STATE_DIR/nodelay.so (see nodelay.c).
# pcscd's pid goes to STATE_DIR/pcscd.pid, its log to STATE_DIR/pcscd.log.
set -e
MODE=$1; D=$2; OWNER=${3:-0}
case "$MODE" in
  private)
    # /run/pcscd as mount point if it exists; else a tmpfs on /run (inside the namespace only) to
    # create it, so that nothing is created on the host. PCSCD_UNSHARE_FLAGS: "-r" adds a user
    # namespace (non-root users, where the kernel allows unprivileged user namespaces).
    mkdir -p "$D/run"
    exec unshare ${PCSCD_UNSHARE_FLAGS:-} -m --propagation private sh -c '
      if [ ! -d /run/pcscd ] || [ -n "$PCSCD_RUN_TMPFS" ]; then mount -t tmpfs -o mode=0755 paraphe-run /run && mkdir -p /run/pcscd || exit 1; fi
      mount --bind "$1/run" /run/pcscd && exec sh "$0" inner "$1" "$2"' "$0" "$D" "$OWNER" ;;
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
