# SPDX-License-Identifier: ISC
# Tests of the proc platform's devices (block, TAP, passt); sourced by tests/run.
skip() { printf '  skip  %s: skipped: %s\n' "$1" "$2"; }

echo "proc devices: block"
disk=$TMP/disk.img
head -c $((1048576 + 4096 + 100)) /dev/zero >"$disk" # capacity rounds down to 1052672
check block/write-read-errors 0 -e '^block_io: capacity 1052672$' -e '^block_io: ok: read with wrapping offset = -28$' \
	-e '^block_io: ok: NULL buffer = -14$' -e '^block_io: block_io write ok$' -n FAILED \
	-- "${run[@]}" -v "$disk" "$T/block_io.elf" write
check block/persists 0 -e '^block_io: block_io verify ok$' -n FAILED -- "${run[@]}" -v "$disk" "$T/block_io.elf" verify
# The first byte of the pattern (block_io.c pat(0)) really is in the host file.
check block/on-host 0 -e '^ *1$' -- od -An -tu1 -N1 "$disk"
check block/read-only 0 -e '^block_io: ok: write to a read-only device = -1$' -e '^block_io: block_io ro ok$' -n FAILED \
	-- "${run[@]}" -v "$disk:ro" "$T/block_io.elf" ro
check block/none 0 -e '^block_io: block_io none ok$' -n FAILED -- "${run[@]}" "$T/block_io.elf" none
check block/ro-pwrite-killed $KILLED -e 'killed: forbidden host syscall \(pwrite64 18, ' -n survived \
	-- "${run[@]}" -v "$disk:ro" "$T/raw_dev.elf" 18 3
check block/pread-other-fd-killed $KILLED -e 'killed: forbidden host syscall \(pread64 17, ' -n survived \
	-- "${run[@]}" -v "$disk" "$T/raw_dev.elf" 17 1
head -c 100 /dev/zero >"$TMP/tiny.img"
check cli/volume-missing 2 -e "^hako: cannot open block device image '/nonexistent.img': No such file" \
	-- "${run[@]}" -v /nonexistent.img "$T/block_io.elf" none
check cli/volume-tiny 2 -e "tiny.img': smaller than one 512-byte block$" \
	-- "${run[@]}" -v "$TMP/tiny.img" "$T/block_io.elf" none
check cli/volume-twice 2 -e '^hako: only one -v is supported' \
	-- "${run[@]}" -v "$disk" -v "$disk" "$T/block_io.elf" none

echo "proc devices: network"
check net/none 0 -e '^net_calls: net_calls none ok$' -n FAILED -- "${run[@]}" "$T/net_calls.elf" none
check cli/bad-port 2 -e "^hako: bad port '80:x'" -- "${run[@]}" -p 80:x "$T/net_echo.elf"
check cli/port-with-tap 2 -e '^hako: -p needs the passt network' \
	-- "${run[@]}" --net tap:t0 -p 8080:80 "$T/net_echo.elf"
check cli/bad-net 2 -e "^hako: bad network 'vde'" -- "${run[@]}" --net vde "$T/net_echo.elf"
check cli/bad-ip 2 -e "^hako: bad address '10.0.0.1'" -- "${run[@]}" --net passt --ip 10.0.0.1 "$T/net_echo.elf"
check cli/ip-without-net 2 -e '^hako: --ip and --gw need a network' \
	-- "${run[@]}" --ip 10.0.0.5/24 "$T/net_echo.elf"

# Start "$@" (a container that prints a line at start) in the background, wait
# for that line, run the client commands in $CLIENT, then wait for the container.
with_client='
	log=$(mktemp); "$@" >"$log" 2>&1 & pid=$!
	for i in $(seq 50); do grep -q "^net_echo: " "$log" && break; sleep 0.1; done
	eval "$CLIENT"
	wait $pid; st=$?; cat "$log"; rm -f "$log"; exit $st'

ns=hako-test-$$
if [ "$(id -u)" != 0 ]; then
	skip "net/tap-*" "TAP tests need root (ip netns, /dev/net/tun)"
elif [ ! -c /dev/net/tun ]; then
	skip "net/tap-*" "/dev/net/tun is missing"
elif ! command -v ping >/dev/null; then
	skip "net/tap-*" "ping is not installed (scripts/deps test installs iputils-ping)"
elif ! ip netns add "$ns" 2>/dev/null; then
	skip "net/tap-*" "cannot create a network namespace"
else
	trap 'ip netns del "$ns" 2>/dev/null; rm -rf "$TMP"' EXIT
	ip netns exec "$ns" sh -c 'ip link set lo up && ip tuntap add dev hako0 mode tap &&
		ip addr add 10.99.0.1/24 dev hako0 && ip link set hako0 up'
	nsrun=(ip netns exec "$ns" "${run[@]}" --net tap:hako0 --ip 10.99.0.2/24)
	CLIENT="ip netns exec $ns ping -c 3 -i 0.2 -W 2 10.99.0.2" \
	check net/tap-echo 0 -e '^net_echo: net_echo: 10\.99\.0\.2 mac 02:00:0a:63:00:02 mtu 1500$' \
		-e '3 packets transmitted, 3 received' -e '^net_echo: net_echo: answered 3$' \
		-- bash -c "$with_client" _ "${nsrun[@]}" "$T/net_echo.elf" 3 10
	# The host's receive counter of the TAP device sees only the honest frames.
	rx="ip netns exec $ns cat /sys/class/net/hako0/statistics/rx_packets"
	check net/tap-forged-mac-dropped 0 -e '^net_calls: net_calls sent 5 forged, 3 honest$' \
		-e '^host received 3 frames$' \
		-e '^hako: net_calls: net: dropped 5 sent frames with a forged source MAC' -n FAILED \
		-- bash -c "a=\$($rx); \"\$@\"; st=\$?; echo host received \$((\$($rx) - a)) frames; exit \$st" \
		_ "${nsrun[@]}" "$T/net_calls.elf" 5 3
	# Claims of the host's own address (ARP, IPv4 source) never reach the TAP device: only the
	# honest gratuitous ARP does.
	check net/tap-thief-not-on-wire 0 -e '^host received 1 frames$' \
		-e '^net_thief: net_thief: burst of 5 ARP claims and 5 forged datagrams, 1 honest ARP; 11 taken$' \
		-e '^hako: net_thief: net: dropped 0 sent frames with a forged source MAC, 5 ARP and 5 IPv4 with a forged source address, 0 of a type not carried, 0 received' \
		-n FAILED \
		-- bash -c "a=\$($rx); \"\$@\"; st=\$?; echo host received \$((\$($rx) - a)) frames; exit \$st" \
		_ "${nsrun[@]}" "$T/net_thief.elf" burst 10.99.0.1 5
	# Three containers, each on its own TAP device of one bridge: the thief's claims on the
	# victim's address (ARP, then IPv4 source) never leave its tender; the client gets every echo.
	ip netns exec "$ns" sh -c 'ip link add hkbr type bridge && ip link set hkbr up &&
		for t in v t c; do ip tuntap add dev hk$t mode tap && ip link set hk$t master hkbr &&
		ip link set hk$t up; done'
	trio='r=("$1" run --platform proc --net)
		"${r[@]}" tap:hkv --ip 10.95.0.2/24 --name victim "$2/net_echo.elf" 100000 40 & v=$!
		"${r[@]}" tap:hkt --ip 10.95.0.3/24 --name thief "$2/net_thief.elf" "$3" 10.95.0.2 10.95.0.4 30 & t=$!
		"${r[@]}" tap:hkc --ip 10.95.0.4/24 --name client "$2/udp_client.elf" 10.95.0.2 100 10.95.0.3
		c=$?; wait $v; v=$?; wait $t; echo "exit statuses $c $v $?"'
	for mode in arp ip; do
		[ $mode = arp ] && counts='[1-9][0-9]* ARP and 0 IPv4' || counts='0 ARP and [1-9][0-9]* IPv4'
		check "net/tap-thief-$mode-dropped" 0 -e '^client: udp_client: 100/100 echoes, 0 lost, 0 forged$' \
			-e '^thief: net_thief: [0-9]+ frames taken, stole 0 packets( \(no done\))?$' \
			-e "^hako: thief: net: dropped 0 sent frames with a forged source MAC, $counts with a forged source address" \
			-e '^exit statuses 0 0 0$' -- ip netns exec "$ns" bash -c "$trio" _ "$HAKO" "$T" $mode
	done
	check net/tap-write-other-fd-killed $KILLED -e 'killed: forbidden host syscall \(write 1, ' \
		-n survived -- "${nsrun[@]}" "$T/raw_dev.elf" 1 3
	ip netns del "$ns"
	trap 'rm -rf "$TMP"' EXIT
fi

if ! command -v passt >/dev/null; then
	skip "net/passt-*" "passt is not installed (scripts/deps test installs it)"
else
	port=$((20000 + $$ % 4000))
	CLIENT='for i in 1 2 3; do exec 3<>/dev/udp/127.0.0.1/'$port'
		printf "hako echo %s\n" $i >&3; timeout 2 head -n 1 <&3; exec 3>&-; done' \
	check net/passt-udp-echo 0 -e '^net_echo: net_echo: 10\.0\.2\.15 mac 02:00:0a:00:02:0f mtu 1500$' \
		-e '^hako echo 1$' -e '^hako echo 3$' -e '^net_echo: net_echo: answered 3$' \
		-- bash -c "$with_client" _ "${run[@]}" -p "127.0.0.1:$port:7/udp" "$T/net_echo.elf" 3 10
	# 20000 full-size frames: passt's socket takes some batches in part; the
	# stream must stay whole, or passt could not parse the echo that follows.
	CLIENT='exec 3<>/dev/udp/127.0.0.1/'$port'; echo after-flood >&3; timeout 2 head -n 1 <&3' \
	check net/passt-flood-then-echo 0 -e '^net_echo: net_echo: flooded 20000 frames' -e '^after-flood$' \
		-e '^net_echo: net_echo: answered 1$' \
		-- bash -c "$with_client" _ "${run[@]}" -p "127.0.0.1:$port:7/udp" "$T/net_echo.elf" 1 10 20000
	check net/passt-forged-mac-dropped 0 -e '^net_calls: net_calls sent 2 forged, 1 honest$' \
		-e '^hako: net_calls: net: dropped 2 sent frames with a forged source MAC' -n FAILED \
		-- "${run[@]}" --net passt "$T/net_calls.elf" 2 1
	check net/passt-thief-counted 0 -e '^net_thief: net_thief: burst of 3 ARP claims and 3 forged datagrams' \
		-e '^hako: net_thief: net: dropped 0 sent frames with a forged source MAC, 3 ARP and 3 IPv4 with a forged source address' \
		-- "${run[@]}" --net passt "$T/net_thief.elf" burst 10.0.2.2 3
	check net/passt-write-killed $KILLED -e 'killed: forbidden host syscall \(write 1, ' \
		-n survived -- "${run[@]}" --net passt "$T/raw_dev.elf" 1 4
	# A second container cannot publish the same TCP port: hako checks before passt binds, and says so.
	CLIENT='"$1" run --platform proc -p 127.0.0.1:'$port':80 '$T'/net_echo.elf 1 1; echo "second: $?"
		exec 3<>/dev/udp/127.0.0.1/'$port'; echo x >&3; timeout 2 head -n 1 <&3; exec 3>&-' \
	check cli/passt-port-busy 0 -e "^hako: cannot publish 127.0.0.1:$port/tcp: the port is already in use$" \
		-e '^second: 2$' \
		-e '^net_echo: net_echo: answered 1$' \
		-- bash -c "$with_client" _ "${run[@]}" -p "127.0.0.1:$port:80" -p "127.0.0.1:$port:7/udp" \
		"$T/net_echo.elf" 1 10
fi
