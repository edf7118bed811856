# SPDX-License-Identifier: ISC
# Tests of the libOS's TCP/IP and sockets (lwIP); sourced by tests/run.
# Loopback inside the container always; TAP in a network namespace of our own
# when root; passt port forwards on 127.0.0.1 when passt is installed.
nskip() { printf '  skip  %s: skipped: %s\n' "$1" "$2"; }
client=$T/net_client
prun=("$HAKO" run --platform proc) # the hv tests redefine run

echo "libOS network: sockets"
check sock/loopback 0 -e '^net_sockets: net_sockets ok$' -n FAILED -- "${prun[@]}" "$T/net_sockets.elf"
check sock/loopback-passt 0 -e '^net_sockets: net_sockets ok$' -n FAILED \
	-- "${prun[@]}" --net passt "$T/net_sockets.elf"

# bash -c "$serve" _ CONTAINER-COMMAND...: starts the echo container in the
# background, waits for its "listening" line, runs $CLIENT, stops the
# container and prints its log; the status is the client's.
serve='
	log=$(mktemp); "$@" >"$log" 2>&1 & pid=$!
	for i in $(seq 50); do grep -q "listening on" "$log" && break; sleep 0.1; done
	eval "$CLIENT"; st=$?
	kill $pid 2>/dev/null; wait $pid 2>/dev/null; cat "$log"; rm -f "$log"; exit $st'

# bash -c "$sink" _ CONTAINER-COMMAND...: starts $SINK (a host receiver) in
# the background, runs the container that sends to it, then waits for the
# sink; passes when both succeed.
sink='
	log=$(mktemp); $SINK >"$log" 2>&1 & pid=$!
	for i in $(seq 50); do grep -q "^sink: listening" "$log" && break; sleep 0.1; done
	"$@"; st=$?; wait $pid; sst=$?; cat "$log"; rm -f "$log"; [ $st = 0 ] && [ $sst = 0 ]'

echo "libOS network: TAP"
nns=hako-net-$$
if [ "$(id -u)" != 0 ]; then
	nskip "sock/tap-*" "TAP tests need root (ip netns, /dev/net/tun)"
elif [ ! -c /dev/net/tun ]; then
	nskip "sock/tap-*" "/dev/net/tun is missing"
elif ! ip netns add "$nns" 2>/dev/null; then
	nskip "sock/tap-*" "cannot create a network namespace"
else
	trap 'ip netns del "$nns" 2>/dev/null; rm -rf "$TMP"' EXIT
	ip netns exec "$nns" sh -c 'ip link set lo up && ip tuntap add dev hako1 mode tap &&
		ip addr add 10.98.0.1/24 dev hako1 && ip link set hako1 up'
	nsrun=(ip netns exec "$nns" "${prun[@]}" --net tap:hako1 --ip 10.98.0.2/24)
	nsc="ip netns exec $nns $client"
	CLIENT="$nsc udp 10.98.0.2 7 32768 20 && $nsc udp 10.98.0.2 7 65507 5 && $nsc udp 10.98.0.2 7 1 100" \
	check sock/tap-udp-32k 0 -e '^udp: 20 x 32768 bytes echoed intact' -e '^udp: 5 x 65507 bytes' \
		-e '^udp: 100 x 1 bytes' -e '^udp-echo: udp-echo: listening on udp port 7$' -n FAILED \
		-- bash -c "$serve" _ "${nsrun[@]}" "$B/apps/udp-echo.elf"
	CLIENT="$nsc tcp 10.98.0.2 7 32768 1 && $nsc tcp 10.98.0.2 7 32768 25 3 &&
		$nsc tcp 10.98.0.2 7 1000000 2 && $nsc refused 10.98.0.2 9" \
	check sock/tap-tcp-32k 0 -e '^tcp: 1 clients x 32768 bytes echoed intact' \
		-e '^tcp: 25 clients x 32768 bytes echoed intact in .*, 3 idle clients' \
		-e '^tcp: 2 clients x 1000000 bytes' -e '^refused: connect failed with ECONNREFUSED$' \
		-e '^tcp-echo: tcp-echo: listening on tcp port 7$' -n FAILED \
		-- bash -c "$serve" _ "${nsrun[@]}" "$B/apps/tcp-echo.elf"
	CLIENT="$nsc tcp 10.98.0.2 7000 32768 3" \
	check sock/tap-tcp-port-arg 0 -e '^tcp: 3 clients x 32768 bytes echoed intact' \
		-e '^tcp-echo: tcp-echo: listening on tcp port 7000$' \
		-- bash -c "$serve" _ "${nsrun[@]}" "$B/apps/tcp-echo.elf" 7000
	# The container as the client: it sends 1 MB and exits at once; all of it must arrive.
	SINK="$nsc sink 10.98.0.1 9100 1000000" \
	check sock/tap-client-send-exit 0 -e '^net_send: net_send: sent 1000000 bytes$' \
		-e '^sink: 1000000 bytes received intact, then EOF$' -n FAILED \
		-- bash -c "$sink" _ "${nsrun[@]}" "$T/net_send.elf" 10.98.0.1 9100 1000000
	ip netns del "$nns"
	trap 'rm -rf "$TMP"' EXIT
fi

echo "libOS network: passt"
if ! command -v passt >/dev/null; then
	nskip "sock/passt-*" "passt is not installed (scripts/deps test installs it)"
else
	# passt carries no IP fragments: UDP through it stays below the MTU.
	nport=$((20000 + ($$ + 7) % 4000))
	CLIENT="$client udp 127.0.0.1 $nport 1400 50" \
	check sock/passt-udp 0 -e '^udp: 50 x 1400 bytes echoed intact' -n FAILED \
		-- bash -c "$serve" _ "${prun[@]}" -p "127.0.0.1:$nport:7/udp" "$B/apps/udp-echo.elf"
	CLIENT="$client tcp 127.0.0.1 $nport 32768 1 && $client tcp 127.0.0.1 $nport 32768 4 1" \
	check sock/passt-tcp-32k 0 -e '^tcp: 1 clients x 32768 bytes echoed intact' \
		-e '^tcp: 4 clients x 32768 bytes echoed intact' -n FAILED \
		-- bash -c "$serve" _ "${prun[@]}" -p "127.0.0.1:$nport:7" "$B/apps/tcp-echo.elf"
	# No address given: the libOS asks passt's DHCP server for one.
	CLIENT="$client tcp 127.0.0.1 $nport 32768 1" \
	check sock/passt-dhcp 0 -e '^tcp-echo: hako-libos: DHCP lease 10\.0\.2\.15 gateway 10\.0\.2\.2$' \
		-e '^tcp: 1 clients x 32768 bytes echoed intact' -n FAILED \
		-- bash -c "$serve" _ "${prun[@]}" --ip dhcp -p "127.0.0.1:$nport:7" "$B/apps/tcp-echo.elf"
fi
check cli/dhcp-needs-passt 2 -e '^hako: --ip dhcp needs passt' \
	-- "$HAKO" run --platform proc --net tap:nosuch --ip dhcp "$B/apps/tcp-echo.elf"
