# SPDX-License-Identifier: ISC
# hv network checks (sourced by tests/hv/checks.sh): the switch between
# containers, its isolation and bounds, then the NIC through TAP and QEMU
# user networking. Containers: tests/containers/net_echo.c, net_peer.c, net_calls.c.
nrun=("$HAKO" run --platform hv --timeout 50)
hvskip() { printf '  skip  %s: skipped: %s\n' "$1" "$2"; }

echo "hv network: the switch"
check hv/net-none 0 -e '^net_calls: net_calls none ok$' -n FAILED -p no_page_leak \
	-- "${nrun[@]}" "$T/net_calls.elf" none
check hv/net-calls-and-spoofing 0 -e '^spoofer: ok: send with a NULL iov = -14$' \
	-e '^spoofer: ok: receive into a short buffer = -22$' -e '^spoofer: net_calls sent 5 forged, 3 honest$' \
	-e '^hako: spoofer: net: dropped 5 sent frames with a forged source MAC, 0 ARP and 0 IPv4 with a forged source address, 0 of a type not carried, 0 received' \
	-e '^by: net_peer: saw [0-9]+ broadcast \(3 of type 0x88b5\), 0 unicast to me, 0 unicast to others, 0 from a forged MAC$' \
	-e '^pinger: net_peer: 2/2 replies' -e '^hako: 4 containers, 4 exited 0' -n FAILED -p no_page_leak \
	-- "${nrun[@]}" --net switch --name spoofer "$T/net_calls.elf" 5 3 \
	+ --name echo "$T/net_echo.elf" 2 30 + --name pinger "$T/net_peer.elf" ping 10.0.2.16 2 30 \
	+ --name by "$T/net_peer.elf" listen 30
# A thief with its own honest MAC claims the echo's address by ARP replies (the client's
# lwIP cache would take them), or sends datagrams as the echo: each is dropped and counted,
# nothing reaches the thief, and the client gets every echo and nothing forged.
thief_ok() { # thief_ok ARP IPV4: the checks for a thief's refused frames
	thief_checks=(-e '^client: udp_client: 100/100 echoes, 0 lost, 0 forged$'
		-e '^thief: net_thief: [0-9]+ frames taken, stole 0 packets( \(no done\))?$'
		-e "^hako: thief: net: dropped 0 sent frames with a forged source MAC, $1 ARP and $2 IPv4 with a forged source address, 0 of a type not carried, 0 received"
		-e '^hako: 3 containers, 3 exited 0' -p no_page_leak)
}
for mode in arp ip; do
	[ $mode = arp ] && thief_ok '[1-9][0-9]*' 0 || thief_ok 0 '[1-9][0-9]*'
	check "hv/net-thief-$mode-dropped" 0 "${thief_checks[@]}" \
		-- "${nrun[@]}" --net switch --name victim --ip 10.0.2.15/24 "$T/net_echo.elf" 100000 40 \
		+ --name thief --ip 10.0.2.16/24 "$T/net_thief.elf" $mode 10.0.2.15 10.0.2.17 30 \
		+ --name client --ip 10.0.2.17/24 "$T/udp_client.elf" 10.0.2.15 100 10.0.2.16
done
# The bystander sees the ARP broadcasts, never the ICMP unicast between the other two.
check hv/net-ping-between-containers 0 -e '^echo: net_echo: 10\.0\.2\.15 mac 02:00:0a:00:02:0f mtu 1500$' \
	-e '^pinger: net_peer: 5/5 replies' -e '^echo: net_echo: answered 5$' \
	-e '^by: net_peer: saw [1-9][0-9]* broadcast \(0 of type 0x88b5\), 0 unicast to me, 0 unicast to others' \
	-e '^hako: 3 containers, 3 exited 0' -p no_page_leak \
	-- "${nrun[@]}" --name echo "$T/net_echo.elf" 5 30 + --name pinger --ip 10.0.2.20/24 \
	"$T/net_peer.elf" ping 10.0.2.15 5 30 + --name by "$T/net_peer.elf" listen 30
check hv/net-ip-none 0 -e '^solo: net_calls none ok$' -e '^pinger: net_peer: 1/1 replies' -p no_page_leak \
	-- "${nrun[@]}" --net switch --name echo "$T/net_echo.elf" 1 30 \
	+ --name solo --ip none "$T/net_calls.elf" none + --name pinger "$T/net_peer.elf" ping 10.0.2.15 1 30
# Full-size frames to the echo's MAC as fast as the switch takes them, while
# 20 pings go through; the flooder holds at most half of the echo's queue.
check hv/net-flood-others-flow 0 -e '^flooder: net_peer: flooded [0-9]{4,} frames, [1-9][0-9]* full batches$' \
	-e '^pinger: net_peer: 20/20 replies' -e '^echo: net_echo: answered 20$' \
	-e '^hako: 3 containers, 3 exited 0' -p no_page_leak \
	-- "${nrun[@]}" --net switch --name flooder "$T/net_peer.elf" flood 10.0.2.16 30 \
	+ --name echo "$T/net_echo.elf" 20 30 + --name pinger "$T/net_peer.elf" ping 10.0.2.16 20 30
spinner_first() {
	local a b
	a=$(grep -n '^hako: spinner exited 0$' "$1" | cut -d: -f1)
	b=$(grep -n '^pinger: net_peer: ' "$1" | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}
# Two containers waking each other back to back cannot keep a third from
# running: a woken container goes first only while its slice lasts. The
# spinner must finish while the pings are still going.
check hv/net-ping-pong-fair 0 -e '^hako: spinner exited 0$' -e '^pinger: net_peer: 3000/3000 replies' \
	-p spinner_first -p no_page_leak \
	-- "${nrun[@]}" --net switch --name echo "$T/net_echo.elf" 3000 60 \
	+ --name pinger "$T/net_peer.elf" ping 10.0.2.15 3000 60 0 + --name spinner "$B/tests/hv/sched.elf" spin 100
# A receiver that never reads: broadcasts to it are dropped and counted, the others go on.
check hv/net-full-queue-counted 0 -e '^hako: deaf: net: dropped 0 sent frames with a forged source MAC, 0 ARP and 0 IPv4 with a forged source address, 0 of a type not carried, [1-9][0-9]* received frames \(queue full\)$' \
	-e '^pinger: net_peer: 3/3 replies' -e '^hako: flooder exited 0$' -p no_page_leak \
	-- "${nrun[@]}" --net switch --name echo "$T/net_echo.elf" 3 30 \
	+ --name flooder "$T/net_echo.elf" 0 30 2000 + --name pinger "$T/net_peer.elf" ping 10.0.2.15 3 30 \
	+ --name deaf "$T/net_peer.elf" deaf 2

echo "hv network: options"
check hv/cli-bad-net 2 -e "^hako: bad network 'vde'" -- "${nrun[@]}" --net vde "$T/net_echo.elf"
check hv/cli-port-needs-user 2 -e "^hako: -p needs the user network \(--net user\), not 'switch'" \
	-- "${nrun[@]}" --net switch -p 8080:80 "$T/net_echo.elf"
check hv/cli-ip-without-net 2 -e '^hako: --ip and --gw need a network' \
	-- "${nrun[@]}" --net none --ip 10.0.0.5/24 "$T/net_echo.elf"
check hv/cli-same-address 2 -e '^hako: two containers with the same address \(b\)$' \
	-- "${nrun[@]}" --name a --ip 10.1.0.5/24 "$T/net_echo.elf" + --name b --ip 10.1.0.5/24 "$T/net_echo.elf"
check hv/cli-user-subnet 2 -e '^hako: a: with --net user, the address must be in 10\.0\.0\.0/16, not the gateway 10\.0\.2\.2 or DNS 10\.0\.2\.3$' \
	-- "${nrun[@]}" --net user --name a --ip 10.0.2.2/24 "$T/net_echo.elf"

echo "hv network: the NIC (virtio-net)"
# Start "$@" in the background, wait for net_echo's first line, run $CLIENT, wait.
hv_with_client='
	log=$(mktemp); "$@" >"$log" 2>&1 & pid=$!
	for i in $(seq 100); do grep -q "^net_echo: net_echo: " "$log" && break; sleep 0.1; done
	eval "$CLIENT"
	wait $pid; st=$?; cat "$log"; rm -f "$log"; exit $st'
# The same for a server that never exits (apps/udp-echo, tcp-echo): wait for
# its "listening on" line, run $CLIENT, stop it; the status is the client's.
# In a process group of its own: `ip netns exec` forks, so stopping only its
# PID would leave hako and QEMU running (and the TAP device busy).
hv_serve='
	log=$(mktemp); setsid "$@" >"$log" 2>&1 & pid=$!
	for i in $(seq 150); do grep -q "listening on" "$log" && break; sleep 0.1; done
	eval "$CLIENT"; st=$?
	kill -- -$pid 2>/dev/null; wait $pid 2>/dev/null; cat "$log"; rm -f "$log"; exit $st'
hvns=hako-hvnet-$$
if [ "$(id -u)" != 0 ]; then
	hvskip "hv/net-tap-*" "TAP tests need root (ip netns, /dev/net/tun)"
elif [ ! -c /dev/net/tun ]; then
	hvskip "hv/net-tap-*" "/dev/net/tun is missing"
elif ! command -v ping >/dev/null; then
	hvskip "hv/net-tap-*" "ping is not installed"
elif ! ip netns add "$hvns" 2>/dev/null; then
	hvskip "hv/net-tap-*" "cannot create a network namespace"
else
	trap 'ip netns del "$hvns" 2>/dev/null; rm -rf "$TMP"' EXIT
	ip netns exec "$hvns" sh -c 'ip link set lo up && ip tuntap add dev hvtap0 mode tap &&
		ip addr add 10.98.0.1/24 dev hvtap0 && ip link set hvtap0 up'
	CLIENT="ip netns exec $hvns ping -c 3 -i 0.2 -W 2 10.98.0.2" \
	check hv/net-tap-ping 0 -e '^hako: virtio-net [0-9a-f:.]+ is the uplink' \
		-e '^net_echo: net_echo: 10\.98\.0\.2 mac 02:00:0a:62:00:02 mtu 1500$' \
		-e '3 packets transmitted, 3 received' -e '^net_echo: net_echo: answered 3$' -p no_page_leak \
		-- bash -c "$hv_with_client" _ ip netns exec "$hvns" "${nrun[@]}" --net tap:hvtap0 \
		--ip 10.98.0.2/24 "$T/net_echo.elf" 3 30
	# The host's TAP counters see only honest frames: 3 from net_calls, none forged.
	rx="ip netns exec $hvns cat /sys/class/net/hvtap0/statistics/rx_packets"
	check hv/net-tap-forged-not-on-wire 0 -e '^net_calls: net_calls sent 5 forged, 3 honest$' \
		-e '^host received 3 frames$' \
		-e '^hako: net_calls: net: dropped 5 sent frames with a forged source MAC' -n FAILED \
		-- bash -c "a=\$($rx); \"\$@\"; st=\$?; echo host received \$((\$($rx) - a)) frames; exit \$st" \
		_ ip netns exec "$hvns" "${nrun[@]}" --net tap:hvtap0 --ip 10.98.0.3/24 "$T/net_calls.elf" 5 3
	# Claims of the host's own address (ARP, IPv4 source) never reach the wire either: only the
	# thief's one honest gratuitous ARP does.
	check hv/net-tap-thief-not-on-wire 0 -e '^host received 1 frames$' \
		-e '^net_thief: net_thief: burst of 5 ARP claims and 5 forged datagrams, 1 honest ARP; 11 taken$' \
		-e '^hako: net_thief: net: dropped 0 sent frames with a forged source MAC, 5 ARP and 5 IPv4 with' \
		-- bash -c "a=\$($rx); \"\$@\"; st=\$?; echo host received \$((\$($rx) - a)) frames; exit \$st" \
		_ ip netns exec "$hvns" "${nrun[@]}" --net tap:hvtap0 --ip 10.98.0.3/24 "$T/net_thief.elf" burst 10.98.0.1 5
	# The paper's apps through the NIC, every byte checked by the host (tests/net_client.c):
	# 32 KB and 64 KB datagrams (IP fragments), TCP streams, clients at once, a closed port.
	# At most 4 streams start at once: the switch holds 128 frames from the uplink per
	# container, and a burst past that costs lwIP retransmission timeouts (docs/benchmarks.md).
	hvsrv=(ip netns exec "$hvns" "${nrun[@]}" --net tap:hvtap0 --ip 10.98.0.2/24)
	hc="ip netns exec $hvns $T/net_client"
	CLIENT="$hc udp 10.98.0.2 7 32768 20 && $hc udp 10.98.0.2 7 65507 5 && $hc udp 10.98.0.2 7 1 100" \
	check hv/net-tap-udp-32k 0 -e '^udp: 20 x 32768 bytes echoed intact' -e '^udp: 5 x 65507 bytes' \
		-e '^udp: 100 x 1 bytes' -e '^udp-echo: udp-echo: listening on udp port 7$' -n FAILED \
		-- bash -c "$hv_serve" _ "${hvsrv[@]}" "$B/apps/udp-echo.elf"
	CLIENT="$hc tcp 10.98.0.2 7 32768 1 && $hc tcp 10.98.0.2 7 32768 4 3 &&
		$hc tcp 10.98.0.2 7 1000000 2 && $hc refused 10.98.0.2 9" \
	check hv/net-tap-tcp-32k 0 -e '^tcp: 1 clients x 32768 bytes echoed intact' \
		-e '^tcp: 4 clients x 32768 bytes echoed intact in .*, 3 idle clients' \
		-e '^tcp: 2 clients x 1000000 bytes' -e '^refused: connect failed with ECONNREFUSED$' \
		-e '^tcp-echo: tcp-echo: listening on tcp port 7$' -n FAILED \
		-- bash -c "$hv_serve" _ "${hvsrv[@]}" "$B/apps/tcp-echo.elf"
	ip netns del "$hvns"
	trap 'rm -rf "$TMP"' EXIT
fi
hvport=$((20000 + ($$ + 7) % 4000)) # below the ephemeral ports (32768+)
CLIENT='for i in 1 2 3; do exec 3<>/dev/udp/127.0.0.1/'$hvport'
	printf "hako echo %s\n" $i >&3; timeout 2 head -n 1 <&3; exec 3>&-; done' \
check hv/net-user-udp-echo 0 -e '^net_echo: net_echo: 10\.0\.2\.15 mac 02:00:0a:00:02:0f mtu 1500$' \
	-e '^hako echo 1$' -e '^hako echo 3$' -e '^net_echo: net_echo: answered 3$' -p no_page_leak \
	-- bash -c "$hv_with_client" _ "${nrun[@]}" -p "127.0.0.1:$hvport:7/udp" "$T/net_echo.elf" 3 30

# Through QEMU user networking (slirp), which does carry IP fragments: 32 KB datagrams.
# slirp's forwarded port listens with a backlog of 1, so at most 2 connects at once.
CLIENT="$T/net_client udp 127.0.0.1 $hvport 32768 20 && $T/net_client udp 127.0.0.1 $hvport 65507 3" \
check hv/net-user-udp-32k 0 -e '^udp: 20 x 32768 bytes echoed intact' -e '^udp: 3 x 65507 bytes' -n FAILED \
	-- bash -c "$hv_serve" _ "${nrun[@]}" -p "127.0.0.1:$hvport:7/udp" "$B/apps/udp-echo.elf"
CLIENT="$T/net_client tcp 127.0.0.1 $hvport 32768 1 && $T/net_client tcp 127.0.0.1 $hvport 32768 2 &&
	$T/net_client tcp 127.0.0.1 $hvport 1000000 1" \
check hv/net-user-tcp-32k 0 -e '^tcp: 1 clients x 32768 bytes echoed intact' \
	-e '^tcp: 2 clients x 32768 bytes echoed intact' -e '^tcp: 1 clients x 1000000 bytes' -n FAILED \
	-- bash -c "$hv_serve" _ "${nrun[@]}" -p "127.0.0.1:$hvport:7" "$B/apps/tcp-echo.elf"

echo "hv network: hostile bundles"
# The hv checks MACs itself: a second port with the same MAC, or a group MAC, never starts.
"$HAKO" run --platform hv --net switch --bundle-out "$TMP/nb" --name ok "$B/tests/hv/hello.elf" \
	+ --name victim "$B/tests/hv/hello.elf"
NE=$((32 + 3696)) NMAC=3688 # the second entry; mac[] inside an entry
cp "$TMP/nb" "$TMP/nb2"; printf '\002\000\012\000\002\017' | dd of="$TMP/nb2" bs=1 seek=$((NE + NMAC)) conv=notrunc 2>/dev/null
check hv/net-bundle-same-mac 255 -f 'hako: victim failed to start: MAC address already on the switch' \
	-f 'hako: ok exited 0' -p no_page_leak -- "${nrun[@]}" --bundle "$TMP/nb2"
cp "$TMP/nb" "$TMP/nb2"; printf '\001' | dd of="$TMP/nb2" bs=1 seek=$((NE + NMAC)) conv=notrunc 2>/dev/null
check hv/net-bundle-group-mac 255 -f 'hako: victim failed to start: MAC address is not unicast' \
	-f 'hako: ok exited 0' -p no_page_leak -- "${nrun[@]}" --bundle "$TMP/nb2"
