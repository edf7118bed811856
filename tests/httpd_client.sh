#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Host side of the web server tests: one behaviour per call, printing what
# it saw for tests/httpd.sh to check. Every request is bounded in time.
#   tests/httpd_client.sh PORT WHAT SITE-DIR
set -u
port=$1 what=$2 site=$3
url=http://127.0.0.1:$port
cr=$'\r'
curl=(curl -s --max-time 10)

# raw REQUEST: send bytes on a fresh connection, print the status line.
raw() {
	exec 3<>"/dev/tcp/127.0.0.1/$port" || { echo "connect failed"; return; }
	printf '%b' "$1" >&3
	timeout 10 head -n 1 <&3 | tr -d '\r'
	exec 3<&-
}

case $what in
page)   # the page and the picture, byte for byte
	"${curl[@]}" -o "$TMPDIR/index.html" "$url/" && cmp "$TMPDIR/index.html" "$site/index.html" &&
		echo "index.html identical"
	"${curl[@]}" -o "$TMPDIR/logo.svg" -D "$TMPDIR/h" "$url/logo.svg" &&
		cmp "$TMPDIR/logo.svg" "$site/logo.svg" && echo "logo.svg identical"
	grep -i '^content-type:' "$TMPDIR/h" | tr -d "$cr"
	;;
statuses)
	"${curl[@]}" -o /dev/null -w 'missing %{http_code}\n' "$url/no/such/file"
	"${curl[@]}" -o /dev/null -w 'post %{http_code}\n' -d x "$url/"
	"${curl[@]}" -o /dev/null -w 'head %{http_code} %{size_download}\n' -I "$url/"
	"${curl[@]}" -o /dev/null -w 'escape %{http_code}\n' --path-as-is "$url/../../etc/passwd"
	;;
keepalive)  # two requests, one connection
	"${curl[@]}" -o /dev/null -o /dev/null -w 'connects %{num_connects}\n' "$url/" "$url/logo.svg"
	;;
malformed)
	echo "garbage: $(raw 'GARBAGE\r\n\r\n')"
	echo "version: $(raw 'GET / HTTP/3.0\r\n\r\n')"
	echo "oversized: $(raw "GET / HTTP/1.1\r\nX: $(head -c 10000 /dev/zero | tr '\0' a)\r\n\r\n")"
	echo "chunked: $(raw 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n')"
	# and the server still answers
	"${curl[@]}" -o /dev/null -w 'after %{http_code}\n' "$url/"
	;;
concurrent)  # 100 clients at once, every answer checked
	for i in $(seq 100); do
		"${curl[@]}" -o "$TMPDIR/c$i" "$url/" &
	done
	wait
	ok=0
	for i in $(seq 100); do cmp -s "$TMPDIR/c$i" "$site/index.html" && ok=$((ok + 1)); done
	echo "concurrent $ok/100 identical"
	;;
silent)  # a client that connects and sends nothing does not block others
	exec 4<>"/dev/tcp/127.0.0.1/$port"
	exec 5<>"/dev/tcp/127.0.0.1/$port"
	printf 'GET / HT' >&5  # a head that never ends
	start=$(date +%s%N)
	"${curl[@]}" -o /dev/null -w 'others %{http_code}' "$url/"
	echo " in $((($(date +%s%N) - start) / 1000000)) ms"
	exec 4<&- 5<&-
	;;
esac
