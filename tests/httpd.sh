# The web server (apps/httpd) serving the sample site from its disk image,
# on each platform, through the rootless port publishing; sourced by tests/run.
SITE=apps/site
hclient=tests/httpd_client.sh

# httpd_suite PLATFORM PORT RUN-COMMAND...: start the server in its own
# process group, wait until it answers, check it, stop the group.
httpd_suite() {
	local p=$1 port=$2 pid up=0 log=$TMP/httpd-$1.log
	shift 2
	wanted "httpd/$p" || return 0
	setsid "$@" >"$log" 2>&1 </dev/null &
	pid=$!
	for _ in $(seq 100); do
		curl -s --max-time 1 -o /dev/null "http://127.0.0.1:$port/" && { up=1; break; }
		sleep 0.2
	done
	if [ $up = 0 ]; then
		cp "$log" "$TMP/out"
		fail "httpd/$p/start" "no answer on 127.0.0.1:$port"
	else
		export TMPDIR=$TMP
		check "httpd/$p/page" 0 -e '^index.html identical$' -e '^logo.svg identical$' \
			-e '^Content-Type: image/svg\+xml$' -- "$hclient" "$port" page "$SITE"
		check "httpd/$p/statuses" 0 -e '^missing 404$' -e '^post 405$' -e '^head 200 0$' \
			-e '^escape 400$' -- "$hclient" "$port" statuses "$SITE"
		check "httpd/$p/keep-alive" 0 -e '^connects 1$' -e '^connects 0$' \
			-- "$hclient" "$port" keepalive "$SITE"
		check "httpd/$p/malformed" 0 -e '^garbage: HTTP/1.1 400 ' -e '^version: HTTP/1.1 505 ' \
			-e '^oversized: HTTP/1.1 431 ' -e '^chunked: HTTP/1.1 501 ' -e '^after 200$' \
			-- "$hclient" "$port" malformed "$SITE"
		check "httpd/$p/100-clients" 0 -e '^concurrent 100/100 identical$' \
			-- "$hclient" "$port" concurrent "$SITE"
		check "httpd/$p/silent-client" 0 -e '^others 200 in [0-9]+ ms$' \
			-- "$hclient" "$port" silent "$SITE"
	fi
	kill -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	check "httpd/$p/access-log" 0 -e '"GET / HTTP/1.1" 200 [0-9]+$' -e '"POST / HTTP/1.1" 405 ' \
		-e '"-" 400 ' -n 'killed' -- cat "$log"
}

echo "web server"
hport=$((24000 + $$ % 4000)) # below the ephemeral ports (32768+)
if ! command -v passt >/dev/null; then
	echo "  skipped: httpd/proc: passt is not installed (scripts/deps test installs it)"
else
	httpd_suite proc "$hport" "$HAKO" run --platform proc -v "$B/site.img:ro" \
		-p "127.0.0.1:$hport:80" "$B/apps/httpd.elf"
fi
httpd_suite hv "$((hport + 1))" "$HAKO" run --platform hv --timeout 300 \
	-p "127.0.0.1:$((hport + 1)):80" -v "$B/site.img:ro" "$B/apps/httpd.elf"
