#!/usr/bin/env bash
# What an operator installs: `cmake --install` into a temporary prefix gives
# both programs, their man pages (made from their --help), bash and zsh
# completion that completes (made from the command table), and yaksokd's
# systemd unit (Type=notify, hardened, a dedicated user) naming the installed
# daemon; CPack makes a .deb for each program with exactly its files.
set -euo pipefail
SRC=${1:?usage: install.sh SOURCE_DIR BUILD_DIR}
BUILD=${2:?usage: install.sh SOURCE_DIR BUILD_DIR}
T=$(mktemp -d /tmp/yaksok-install.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$BUILD" --prefix "$T/root" >/dev/null
for f in bin/yaksok sbin/yaksokd share/man/man1/yaksok.1 share/man/man8/yaksokd.8 \
	share/bash-completion/completions/yaksok share/zsh/vendor-completions/_yaksok \
	lib/systemd/system/yaksokd.service lib/sysusers.d/yaksokd.conf share/doc/yaksokd/yaksokd.conf.example; do
	[ -s "$T/root/$f" ] || fail "cmake --install left out $f"
done
[ -x "$T/root/bin/yaksok" ] && [ -x "$T/root/sbin/yaksokd" ] || fail "the programs are not executable"

# man pages: the programs' own help, every command and every flag
grep -q '^\.TH YAKSOK "1"' "$T/root/share/man/man1/yaksok.1" || fail "yaksok.1 is no section-1 man page"
grep -q '^\.TH YAKSOKD "8"' "$T/root/share/man/man8/yaksokd.8" || fail "yaksokd.8 is no section-8 man page"
grep -q 'progress' "$T/root/share/man/man1/yaksok.1" || fail "yaksok.1 lacks the commands"
grep -q 'send\\-buffer\\-total' "$T/root/share/man/man8/yaksokd.8" || fail "yaksokd.8 lacks the options"
if command -v man >/dev/null; then
	man -l "$T/root/share/man/man8/yaksokd.8" 2>/dev/null | grep -q 'trusted-addrs' || fail "man cannot read yaksokd.8"
fi

# bash completion completes commands, subcommands and flags
comp() { bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _yaksok; echo "${COMPREPLY[*]}"' _ \
	"$T/root/share/bash-completion/completions/yaksok" "$@"; }
[ "$(comp yaksok prog)" = progress ] || fail "bash: yaksok prog -> $(comp yaksok prog)"
[[ " $(comp yaksok --server 127.0.0.1:7450 user un) " == *" unlock "* ]] || fail "bash: user un -> $(comp yaksok --server x user un)"
[[ " $(comp yaksok history P-1 --li) " == *" --limit "* ]] || fail "bash: history --li -> $(comp yaksok history P-1 --li)"
head -1 "$T/root/share/zsh/vendor-completions/_yaksok" | grep -q '^#compdef yaksok' || fail "zsh: no #compdef"
if command -v zsh >/dev/null; then zsh -n "$T/root/share/zsh/vendor-completions/_yaksok" || fail "zsh: not valid"; fi
bash -n "$T/root/share/bash-completion/completions/yaksok" || fail "bash: not valid"

# the unit
U=$T/root/lib/systemd/system/yaksokd.service
for want in "Type=notify" "User=yaksokd" "ExecStart=$T/root/sbin/yaksokd --config /etc/yaksok/yaksokd.conf" \
	"ProtectSystem=strict" "NoNewPrivileges=yes" "PrivateTmp=yes" "ProtectHome=yes" "CapabilityBoundingSet="; do
	grep -qxF "$want" "$U" || fail "the unit lacks $want"
done
grep -q '^u yaksokd ' "$T/root/lib/sysusers.d/yaksokd.conf" || fail "no dedicated user"
"$T/root/sbin/yaksokd" --config "$T/root/share/doc/yaksokd/yaksokd.conf.example" --check-config >/dev/null ||
	fail "the example configuration does not pass --check-config"

# packages
(cd "$T" && cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$T/pkg" >/dev/null 2>&1) || fail "cpack"
client=$(ls "$T"/pkg/yaksok_*.deb) && daemon=$(ls "$T"/pkg/yaksokd_*.deb) || fail "cpack made no .deb for each program"
dpkg-deb -c "$client" | awk '{print $6}' | grep -v '/$' | sort >"$T/client.list"
dpkg-deb -c "$daemon" | awk '{print $6}' | grep -v '/$' | sort >"$T/daemon.list"
printf '%s\n' ./usr/bin/yaksok ./usr/share/bash-completion/completions/yaksok ./usr/share/man/man1/yaksok.1 \
	./usr/share/zsh/vendor-completions/_yaksok | sort | diff - "$T/client.list" || fail "the yaksok package's files"
printf '%s\n' ./usr/lib/systemd/system/yaksokd.service ./usr/lib/sysusers.d/yaksokd.conf ./usr/sbin/yaksokd \
	./usr/share/doc/yaksokd/yaksokd.conf.example ./usr/share/man/man8/yaksokd.8 | sort | diff - "$T/daemon.list" ||
	fail "the yaksokd package's files"
[ "$(dpkg-deb -f "$daemon" Package)" = yaksokd ] && [ "$(dpkg-deb -f "$client" Package)" = yaksok ] || fail "package names"
dpkg-deb -f "$daemon" Depends | grep -q libpq5 || fail "yaksokd's package does not depend on libpq5: $(dpkg-deb -f "$daemon" Depends)"
dpkg-deb --ctrl-tarfile "$daemon" | tar -t | grep -qx './postinst' || fail "the yaksokd package has no postinst"
dpkg-deb --ctrl-tarfile "$daemon" | tar -xO ./postinst | grep -q 'systemd-sysusers yaksokd.conf' || fail "the postinst does not make the user"
dpkg-deb --fsys-tarfile "$daemon" | tar -xO ./usr/lib/systemd/system/yaksokd.service | grep -qxF "ExecStart=/usr/sbin/yaksokd --config /etc/yaksok/yaksokd.conf" ||
	fail "the packaged unit does not name /usr/sbin/yaksokd"
echo "ok: cmake --install gives programs, man pages, completion and a hardened notify unit; a .deb for each program"
