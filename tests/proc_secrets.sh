# SPDX-License-Identifier: ISC
# The proc tender leaves nothing of the host in the memory its container can
# read. Secrets are planted in the host environment, the command line (the
# paths of hako, the image and the volume) and the state folder's path; the memscan
# container (tests/containers/memscan.c) reads every readable page of its
# process, as the host lists them, and must find none of them, but must find
# a fourth one given to it with -e (it really scans). Sourced by tests/run.
echo "proc isolation: nothing of the host in the container's memory"

# hex of each byte XOR 0x5a: the form memscan takes its secrets in
masked() { printf %s "$1" | od -An -tu1 -v | xargs -n 1 | while read -r b; do printf %02x $((b ^ 0x5a)); done; }

tag=$$-$RANDOM$RANDOM
s_env=hako-secret-env-$tag s_cmd=hako-secret-cmd-$tag s_state=hako-secret-state-$tag s_given=hako-given-$tag
sdir=$TMP/$s_cmd
mkdir -p "$sdir/bin" "$TMP/$s_state"
cp "$T/memscan.elf" "$sdir/memscan.elf"
cp "$HAKO" "$sdir/bin/hako"
head -c $((64 << 10)) /dev/zero >"$sdir/map.img"

# Run "$@" (hako with memscan) in the background; when it is ready, write the
# readable ranges of its process (the supervisor's child) to the volume
# MAP; file names stay out of it, [vvar] pages may not be readable at all.
with_map='map=$1; shift; log=$(mktemp); "$@" >"$log" 2>&1 & sup=$!
	for i in $(seq 100); do grep -q "^memscan: memscan: ready" "$log" && break; sleep 0.1; done
	for f in /proc/[0-9]*/stat; do # the child: its parent (field 4) is $sup
		{ read -r st <"$f"; } 2>/dev/null && set -- ${st##*) } && [ "$2" = "$sup" ] && pid=${f:6:-5}
	done
	ranges=$(awk '\''$2 ~ /^r/ && $6 !~ /^\[vvar/ { print $1 }'\'' "/proc/$pid/maps")
	grep -q "\[stack\]" "/proc/$pid/maps" && echo "host: the map has the tender'\''s stack"
	printf "HAKOMAP\n%s\nEND\n" "$ranges" | dd of="$map" conv=notrunc status=none
	wait $sup; st=$?; cat "$log"; rm -f "$log"; exit $st'
HAKO_TEST_SECRET=$s_env HAKO_STATE=$TMP/$s_state/state \
check proc/no-host-secrets-in-memory 0 -e '^host: the map has the tender.s stack$' \
	-e '^memscan: memscan: map of [0-9]+ ranges; call page 1, its target 1, stack 1, heap 1$' \
	-e '^memscan: memscan: read [0-9]+ ranges' -e '^memscan: memscan: secret 1: 0 hits$' -e '^memscan: memscan: secret 2: 0 hits$' \
	-e '^memscan: memscan: secret 3: 0 hits$' -e '^memscan: memscan: secret 4: [1-9][0-9]* hits$' \
	-- bash -c "$with_map" _ "$sdir/map.img" "$sdir/bin/hako" run --platform proc -m 4M -e "GIVEN=$s_given" \
	-v "$sdir/map.img" "$sdir/memscan.elf" "$(masked "$s_env")" "$(masked "$s_cmd")" \
	"$(masked "$s_state")" "$(masked "$s_given")"
# The tender only runs from hako: started by hand, with junk for options, it refuses.
check proc/tender-by-hand 2 -e '^hako: hako-tender is started by `hako run --platform proc`, not by hand$' \
	-- bash -c 'exec -a hako-tender "$1" 3</dev/null' _ "$HAKO"
