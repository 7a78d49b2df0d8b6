#!/bin/sh
# vcard-up.sh STATE_DIR : for manual use. Start a pcscd of our own and insert a fresh virtual PIV card:
# PIN 123456, PUK 12345678, 3 tries; RSA-2048 key + cert in slot 9A, P-256 key + cert in slot 9C
# (PIN before every signature). Keys come from make-test-pki.sh (openssl) unless STATE_DIR/pki exists.
# Stop with vcard-down.sh STATE_DIR. (The tests do the same from TypeScript: test/support/vcard.ts.)
#   PCSCD_MODE=private (default when root): own socket STATE_DIR/pcscd/run/pcscd.comm, the system
#              pcscd is left alone; clients need the printed PCSCLITE_CSOCK_NAME.
#   PCSCD_MODE=system : pcscd on /run/pcscd/pcscd.comm (only if nobody serves it).
# Needs: pcscd vsmartcard-vpcd opensc opensc-pkcs11 gcc openssl util-linux (Debian), node >= 18.
set -e
HERE=$(cd "$(dirname "$0")" && pwd); D=$(mkdir -p "${1:?usage: vcard-up.sh STATE_DIR}" && cd "$1" && pwd)
MODE=${PCSCD_MODE:-private}
[ "$(id -u)" = 0 ] || export PCSCD_UNSHARE_FLAGS=${PCSCD_UNSHARE_FLAGS:--r}   # user namespace for non-root
P=$D/pcscd; mkdir -p "$P/reader.conf.d" "$P/run"
[ -f "$P/nodelay.so" ] || gcc -O2 -shared -fPIC -o "$P/nodelay.so" "$HERE/nodelay.c" -ldl
[ -f "$D/pki/signer.crt" ] || sh "$HERE/make-test-pki.sh" "$D/pki" >/dev/null
# a free pair of loopback ports for the two vpcd readers
while :; do PORT=$(shuf -i 20000-60000 -n 1)
  ss -ltnH | awk '{print $4}' | grep -Eq ":($PORT|$((PORT+1)))\$" || break; done
HEX=$(printf '0x%X' "$PORT")
printf 'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:%s\nLIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    %s\n' "$HEX" "$HEX" > "$P/reader.conf.d/vpcd"
if [ "$MODE" = private ]; then SOCK=$P/run/pcscd.comm; else SOCK=/run/pcscd/pcscd.comm; fi
sh "$HERE/pcscd-run.sh" "$MODE" "$P" 0 > "$P/pcscd-run.log" 2>&1 & echo $! > "$D/pcscd-guard.pid"
for i in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.05; done
[ -S "$SOCK" ] || { echo "pcscd did not start, see $P/*.log" >&2; exit 1; }
node "$HERE/vpiv.cjs" init "$D/card.json" --pin 123456 --puk 12345678 --tries 3 >/dev/null
node "$HERE/vpiv.cjs" set  "$D/card.json" --slot 9a --key "$D/pki/signer.key" --cert "$D/pki/signer.crt" >/dev/null
node "$HERE/vpiv.cjs" set  "$D/card.json" --slot 9c --key "$D/pki/signer-ec.key" --cert "$D/pki/signer-ec.crt" --policy always >/dev/null
node "$HERE/vpiv.cjs" run "$D/card.json" --host 127.0.0.1 --port "$PORT" > "$D/vpiv.log" 2>&1 & echo $! > "$D/vpiv.pid"
[ "$MODE" = private ] && export PCSCLITE_CSOCK_NAME=$SOCK
for i in $(seq 100); do opensc-tool -l 2>/dev/null | grep -q 'Yes.*Virtual PCD 00 00' && break; sleep 0.05; done
opensc-tool -l
echo "# card pid $(cat "$D/vpiv.pid"): kill -USR1 = remove, -USR2 = insert, -HUP = reload $D/card.json"
[ "$MODE" = private ] && echo "export PCSCLITE_CSOCK_NAME=$SOCK"
echo "export OPENSC_CONF=$HERE/opensc.conf"
