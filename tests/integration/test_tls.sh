#!/usr/bin/env bash
# TLS on the listener: the CLI with --cacert checks the chain and the name;
# a plaintext client is told to use TLS; plaintext is refused off loopback on
# both sides; 20 wrong passwords slow one account and no one else; passwords
# and tokens appear neither in the log nor in the audit trail.
source "$(dirname "$0")/lib.sh"
start_db
cd "$T"
cert() {  # cert NAME CA SAN: a key and a certificate signed by CA
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$1.key" -out "$1.csr" \
		-subj "/CN=$1" 2>/dev/null || fail "openssl req $1"
	printf 'subjectAltName=%s\n' "$3" >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -out "$1.pem" -days 2 \
		-extfile "$1.ext" 2>/dev/null || fail "openssl x509 $1"
}
for ca in ca other-ca; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$ca.key" -out "$ca.pem" \
		-days 2 -subj "/CN=yaksok test $ca" 2>/dev/null || fail "openssl CA"
done
cert server ca "DNS:localhost,IP:127.0.0.1"
cert dnsonly ca "DNS:yaksok.example"
cd - >/dev/null

export YAKSOK_CACERT=$T/ca.pem
start_daemon --tls-cert "$T/server.pem" --tls-key "$T/server.key"
grep -q "tls=on" "$T/yaksokd.log" || fail "the listener did not say tls=on"
expect_rc 0 yk --cacert "$T/ca.pem" status
login_admin
expect_rc 0 yk department add 정책기획과
expect_rc 0 yk apply -f "$YK_SRC/examples/suwon-governance.yaml"
expect_rc 0 yk get SW7-GOV-01 -o json
grep -q '"code": "SW7-GOV-01"' "$T/out" || fail "get over TLS"
PORT=$(cat "$T/port")
expect_rc 0 yk --server "localhost:$PORT" status
pass "yaksok --cacert status, login, apply and get over TLS (by IP and by DNS name)"

YAKSOK_CACERT= expect_rc 7 yk status
grep -q "speaks only TLS" "$T/err" || fail "plaintext client: $(cat "$T/err")"
expect_rc 7 yk --cacert "$T/other-ca.pem" status
grep -q "certificate was not accepted" "$T/err" || fail "wrong CA: $(cat "$T/err")"
expect_rc 0 yk status
pass "a plaintext client is told to use TLS; a certificate from another CA is refused"

stop_daemon
YK_NO_WAIT_READY=1 start_daemon --tls-cert "$T/dnsonly.pem" --tls-key "$T/dnsonly.key"
expect_rc 7 yk status
grep -q "certificate was not accepted" "$T/err" || fail "name mismatch: $(cat "$T/err")"
stop_daemon
pass "a certificate that does not name the server is refused"

# plaintext off loopback: the daemon will not serve it, the CLI will not send it
expect_rc 2 "$YK_BIN/yaksokd" --db "$YK_CONNINFO" --listen 0.0.0.0:0
grep -q "not a loopback address" "$T/err" || fail "daemon on 0.0.0.0 without TLS: $(cat "$T/err")"
YAKSOK_CACERT= expect_rc 7 yk --server 192.0.2.1:7450 status
grep -q "not a loopback address" "$T/err" || fail "CLI to a remote plaintext server: $(cat "$T/err")"
pass "plaintext only on loopback unless forced"

# 20 wrong passwords for one account: that account waits; another does not
start_daemon --tls-cert "$T/server.pem" --tls-key "$T/server.key"
login_admin
echo "kim-password-1" | expect_rc 0 yk user add kim --role viewer --password-stdin
echo "lee-password-1" | expect_rc 0 yk user add lee --role viewer --password-stdin
for i in $(seq 1 20); do
	echo "wrong-$i" | YK_USER=kim yk login kim --password-stdin >/dev/null 2>"$T/err" || true
done
echo "kim-password-1" | YK_USER=kim expect_rc 5 yk login kim --password-stdin
grep -q "too many failed logins" "$T/err" || fail "kim is not slowed: $(cat "$T/err")"
start=$(date +%s%N)
echo "lee-password-1" | YK_USER=lee expect_rc 0 yk login lee --password-stdin
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "lee logged in after kim's 20 failures in $ms ms"
pass "20 wrong passwords slow that account; another logs in"

# secrets stay out of the log and the audit trail
TOKEN=$(sed -n 's/^token=//p' "$T/xdg-admin/yaksok/credentials")
[ -n "$TOKEN" ] || fail "no saved token to look for"
for secret in "$ADMIN_PW" kim-password-1 lee-password-1 wrong-7 "$TOKEN"; do
	grep -qF -- "$secret" "$T/yaksokd.log" && fail "a secret is in the daemon's log"
	[ "$(ykpsql -c "SELECT count(*) FROM audit_log WHERE yk_audit_text(audit_log) LIKE '%' || \$\$$secret\$\$ || '%'")" = 0 ] ||
		fail "a secret is in the audit trail"
done
pass "no password or token in the log or the audit trail"
