# SPDX-License-Identifier: ISC
# Limits of one hypervisor (docs/usage.md, Limits), sourced by tests/hv/checks.sh:
# a full hypervisor's worth of containers, addresses past one /24 on the switch
# and through QEMU user networking, and one clear line past each limit.
echo "hv: limits"
lrun=("$HAKO" run --platform hv --timeout 120)
HELLO=$B/tests/hv/hello.elf
MAXC=4096 # HAKO_BUNDLE_MAX

# specs N: N tiny containers c1..cN of 2 MiB each, as `hako run` SPECs.
specs() {
	local i
	S=(--name c1 -m 2M "$HELLO")
	for ((i = 2; i <= $1; i++)); do S+=(+ --name "c$i" -m 2M "$HELLO"); done
}

# Every one of them starts and ends; their quotas (8 GiB) are more than the hv's RAM.
specs $MAXC
check hv/limit-4096-containers 0 -e "^hako: $MAXC containers loaded in" \
	-e '^hako: note: the memory quotas add up to [0-9]+ MiB more than the [0-9]+ MiB free' \
	-e '^c4096: hello from c4096$' -e "^hako: $MAXC containers, $MAXC exited 0, 0 failed; status 0" \
	-p no_page_leak -- "${lrun[@]}" "${S[@]}"
check hv/limit-too-many-containers 2 \
	-e "^hako: too many containers in one hypervisor \\($MAXC at most: run the others in another" \
	-- "${lrun[@]}" --bundle-out "$TMP/toomany" "${S[@]}" + "$HELLO"
{ for ((i = 1; i <= MAXC + 1; i++)); do printf '[c%d]\nimage = %s\n' $i "$PWD/$HELLO"; done; } >"$TMP/many.compose"
check cli/compose-too-many-containers 2 \
	-e "^hako: .*many.compose:$((2 * MAXC + 1)): section: too many containers in one hypervisor \\($MAXC at most" \
	-- "$HAKO" up "$TMP/many.compose"

# 300 networked: the last one's address is past 10.0.2.0/24, and it is reached.
specs 298
check hv/limit-addresses-past-one-24 0 -e '^echo: net_echo: 10\.0\.3\.58 mac 02:00:0a:00:03:3a mtu 1500$' \
	-e '^pinger: net_peer: 3/3 replies' -e '^hako: 300 containers, 300 exited 0' -p no_page_leak \
	-- "${lrun[@]}" --net switch --name pinger "$T/net_peer.elf" ping 10.0.3.58 3 60 + "${S[@]}" \
	+ --name echo "$T/net_echo.elf" 3 60
lport=$((20000 + ($$ + 11) % 4000)) # below the ephemeral ports (32768+)
CLIENT='for i in 1 2 3; do exec 3<>/dev/udp/127.0.0.1/'$lport'
	printf "hako echo %s\n" $i >&3; timeout 2 head -n 1 <&3; exec 3>&-; done' \
check hv/limit-user-net-past-one-24 0 -e '^net_echo: net_echo: 10\.0\.3\.57 mac 02:00:0a:00:03:39 mtu 1500$' \
	-e '^hako echo 1$' -e '^hako echo 3$' -e '^net_echo: net_echo: answered 3$' -p no_page_leak \
	-- bash -c "$hv_with_client" _ "${lrun[@]}" "${S[@]}" + -p "127.0.0.1:$lport:7/udp" \
	"$T/net_echo.elf" 3 30
check hv/limit-user-net-subnet 2 \
	-e '^hako: a: with --net user, the address must be in 10\.0\.0\.0/16, not the gateway 10\.0\.2\.2 or DNS 10\.0\.2\.3$' \
	-- "${lrun[@]}" --net user --name a --ip 10.0.2.3/16 "$T/net_echo.elf"
check hv/limit-user-net-outside 2 -e '^hako: a: with --net user, the address must be in 10\.0\.0\.0/16' \
	-- "${lrun[@]}" --net user --name a --ip 10.1.0.5/16 "$T/net_echo.elf"
