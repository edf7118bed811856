# SPDX-License-Identifier: ISC
# Tests of the hako command: every bad input gets one clear line and a
# non-zero exit; ps, logs, stop and -d on both platforms; compose files
# (hako up/down); the demo. Sourced by tests/run, whose $HAKO_STATE is
# private to the run, so `hako ps` here sees only these containers.
C=$TMP/cli
mkdir -p "$C"
# Test ports stay below 32768, out of Linux's ephemeral range: a client's local port
# there could hold the number we want. The web tests use 24000-27999, the
# network tests 20000-23999, the demo 8080 and 7777.
cport=$((12000 + $$ % 7000))
TICK=$B/tests/hv/sched.elf   # "tick N MS": prints a line every MS ms, on both platforms
AB=$(cd "$B" && pwd)         # compose files take paths from their own folder
HELPER=$T/cli_helper

# group PREFIX: run a group of checks unless FILTER picks other ones.
group() { [ -z "$FILTER" ] || [[ $1 == *"$FILTER"* ]] || [[ $FILTER == "$1"* ]]; }

# wait_http PORT: until the web server answers (30 s at most).
wait_http() {
	for _ in $(seq 60); do
		curl -s --max-time 1 -o /dev/null "http://127.0.0.1:$1/" && return 0
		sleep 0.5
	done
	return 1
}

# wait_line FILE REGEX: until a line of FILE matches (10 s at most).
wait_line() {
	for _ in $(seq 50); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	return 1
}

# port_free PORT: nothing listens on 127.0.0.1:PORT (TCP).
port_free() {
	local p r
	"$HELPER" hold tcp "$1" >/dev/null 2>&1 &
	p=$!
	sleep 0.3
	kill "$p" 2>/dev/null
	r=$?
	wait "$p" 2>/dev/null
	return $r
}

# compose NAME <<EOF: a compose file in $C; prints its path.
compose() { cat >"$C/$1.compose"; echo "$C/$1.compose"; }

echo "hako command: bad input"
if group cli/bad; then
	check cli/bad-hv-missing-image 2 -e '^hako: /nonexistent.elf: cannot open: No such file or directory$' \
		-- "$HAKO" run --name bad1 /nonexistent.elf
	check cli/bad-hv-not-a-container 2 -e 'host_static: not a hako container' \
		-- "$HAKO" run --name bad2 "$T/host_static"
	check cli/bad-proc-not-a-container 2 -e 'host_static: not a hako container' \
		-- "$HAKO" run --platform proc --name bad3 "$T/host_static"
	check cli/bad-detached-missing 2 -e '^hako: /nonexistent.elf: cannot open: No such file or directory$' \
		-- "$HAKO" run -d --platform proc --name bad4 /nonexistent.elf
	check cli/bad-hv-memory 2 -e "^hako: bad memory size '1M': expected 2M to 16G" \
		-- "$HAKO" run -m 1M "$B/apps/hello.elf"
	check cli/bad-proc-memory 2 -e "^hako: bad memory size '64X'" \
		-- "$HAKO" run --platform proc -m 64X "$B/apps/hello.elf"
	check cli/bad-platform-value 2 -e "^hako: run: option '--platform' needs a value$" -- "$HAKO" run --platform
	check cli/bad-timeout 2 -e "^hako: bad timeout 'soon'" -- "$HAKO" run --timeout soon "$B/apps/hello.elf"
	check cli/bad-port-spec 2 -e "^hako: bad port '80': expected \[IP:\]HOSTPORT:CTRPORT\[/udp\]$" \
		-- "$HAKO" run -p 80 "$B/apps/hello.elf"
	check cli/bad-ps-flag 2 -e "^hako: ps: unknown option '--bogus'" -- "$HAKO" ps --bogus
	check cli/bad-logs-flag 2 -e "^hako: logs: unknown option '-x'" -- "$HAKO" logs -x web
	check cli/bad-stop-flag 2 -e "^hako: stop: unknown option '--bogus'" -- "$HAKO" stop --bogus web
	check cli/bad-stop-time 2 -e "^hako: stop: -t needs seconds" -- "$HAKO" stop -t soon web
	check cli/bad-up-flag 2 -e "^hako: up: unexpected '--bogus'" -- "$HAKO" up --bogus x.compose
	check cli/bad-up-platform 2 -e "^hako: up: .*--platform hv only" -- "$HAKO" up --platform proc x.compose
	check cli/bad-logs-unknown 2 -e "^hako: no container named 'nosuch' \(see \`hako ps -a\`\)$" \
		-- "$HAKO" logs nosuch
	check cli/bad-stop-unknown 2 -e "^hako: no container named 'nosuch'" -- "$HAKO" stop nosuch
	check cli/bad-stop-nothing 2 -e "^hako: stop: no NAME given$" -- "$HAKO" stop
	check cli/bad-detach-bundle 2 -e "^hako: run: -d does not go with --bundle" \
		-- "$HAKO" run -d --bundle-out "$C/x" "$B/apps/hello.elf"
	# One name rule (include/hako/name.h) on both platforms: never an option, never a path step.
	rule="use 1-31 of \[A-Za-z0-9._-\], starting with a letter or digit, not 'hako'$"
	check cli/bad-name-dash-proc 2 -e "^hako: bad container name '-x': $rule" \
		-- "$HAKO" run --platform proc --name -x "$B/apps/hello.elf"
	check cli/bad-name-dash-hv 2 -e "^hako: bad container name '-x': $rule" -- "$HAKO" run --name -x "$B/apps/hello.elf"
	check cli/bad-name-dot-proc 2 -e "^hako: bad container name '\.': $rule" \
		-- "$HAKO" run --platform proc --name . "$B/apps/hello.elf"
	check cli/bad-name-dotdot-hv 2 -e "^hako: bad container name '\.\.': $rule" -- "$HAKO" run --name .. "$B/apps/hello.elf"
	check cli/bad-name-compose-dash 2 -e ":1: section: bad container name '-x': $rule" \
		-- "$HAKO" up "$(printf '[-x]\nimage = %s\n' "$AB/apps/hello.elf" | compose dash)"
	# One container spec (tools/spec.c): the same options get the same answers on both platforms.
	env65=(); for k in $(seq 65); do env65+=(-e "K$k=v"); done
	for p in proc hv; do
		check cli/bad-spec-volume-twice-$p 2 -e "^hako: only one -v is supported \(got another: 'b\.img'\)$" \
			-- "$HAKO" run --platform $p -v a.img -v b.img "$B/apps/hello.elf"
		check cli/bad-spec-unknown-$p 2 -e "^hako: run: unknown option '--bogus' \(see \`hako help\`\)$" \
			-- "$HAKO" run --platform $p --name a --bogus x "$B/apps/hello.elf"
		check cli/bad-spec-no-value-$p 2 -e "^hako: run: option '--gw' needs a value$" \
			-- "$HAKO" run --platform $p --name a --gw
		check cli/bad-spec-bad-ip-$p 2 -e "^hako: bad address '1\.2\.3\.4': expected A\.B\.C\.D/N, dhcp or none$" \
			-- "$HAKO" run --platform $p --ip 1.2.3.4 "$B/apps/hello.elf"
		check cli/bad-spec-too-many-env-$p 2 \
			-e "^hako: too many environment variables \(64 at most; 'K65=v' is one more\)$" \
			-- "$HAKO" run --platform $p "${env65[@]}" "$B/apps/hello.elf"
	done
	check cli/bad-spec-ip-none-proc 2 -e '^hako: --ip none keeps an hv container off the switch' \
		-- "$HAKO" run --platform proc --ip none "$B/apps/hello.elf"
	check cli/bad-spec-net-in-hv-spec 2 -e "^hako: run: on hv, --net goes before the first SPEC" \
		-- "$HAKO" run --name a --net passt "$B/apps/hello.elf"
	# A hostile value in an error is escaped: one line, no raw newline or escape sequence.
	check cli/bad-name-newline-escaped 2 -e "^hako: bad container name 'a\\\\nb\\\\x1b\]0;x\\\\x07': " -n '^b' \
		-- "$HAKO" run --name "$(printf 'a\nb\033]0;x\007')" "$B/apps/hello.elf"
	check cli/bad-compose-value-escaped 2 -e ":2: imag\\\\x1b\[2J: unknown field" -n $'\033' \
		-- "$HAKO" up "$(printf '[a]\nimag\033[2J = x\n' | compose esc)"
	# "--" ends the options of every command.
	check cli/bad-stop-dashdash 2 -e "^hako: no container named '-x' \(see \`hako ps -a\`\)$" -- "$HAKO" stop -- -x
	check cli/bad-logs-dashdash 2 -e "^hako: no container named '-x' \(see \`hako ps -a\`\)$" -- "$HAKO" logs -- -x
	check cli/bad-ps-dashdash 0 -e '^NAME ' -- "$HAKO" ps -a --
	check cli/bad-up-dashdash 2 -e "^hako: -f: cannot open: No such file or directory$" -- "$HAKO" up -- -f
	check cli/bad-down-dashdash 2 -e "^hako: -f: cannot open: No such file or directory$" -- "$HAKO" down -- -f
	mkdir -p "$C/-dir" && echo hi >"$C/-dir/f"
	check cli/bad-mkfs-dashdash 0 -- bash -c 'cd "$2" && "$1" mkfs -- -dir -out.img && test -s -out.img' _ "$AB/bin/hako" "$C"
	# Nothing of a failed start is left behind.
	check cli/bad-nothing-recorded 0 -n '^bad[0-9]' -- "$HAKO" ps -a
fi

echo "hako command: published port already in use"
if group cli/port; then
	"$HELPER" hold tcp "$cport" >"$C/hold1" &
	hold1=$!
	"$HELPER" hold udp "$((cport + 1))" >"$C/hold2" &
	hold2=$!
	wait_line "$C/hold1" holding && wait_line "$C/hold2" holding
	busy="the port is already in use"
	check cli/port-busy-hv 2 -e "^hako: cannot publish 127.0.0.1:$cport/tcp: $busy$" -n qemu \
		-- "$HAKO" run --name busy1 -p "$cport:80" "$B/apps/httpd.elf"
	check cli/port-busy-proc 2 -e "^hako: cannot publish 127.0.0.1:$cport/tcp: $busy$" -n passt \
		-- "$HAKO" run --platform proc --name busy2 -p "$cport:80" "$B/apps/httpd.elf"
	check cli/port-busy-udp 2 -e "^hako: cannot publish 127.0.0.1:$((cport + 1))/udp: $busy$" \
		-- "$HAKO" run --name busy3 -p "127.0.0.1:$((cport + 1)):7/udp" "$B/apps/udp-echo.elf"
	f=$(compose busy <<EOF
[busy4]
image = $AB/apps/httpd.elf
ports = $((cport + 9)):81, $cport:80
EOF
)
	check cli/port-busy-compose 2 -e "^hako: $f:3: ports: 127.0.0.1:$cport/tcp: $busy$" -- "$HAKO" up "$f"
	kill "$hold1" "$hold2"
	wait "$hold1" "$hold2" 2>/dev/null
	check cli/port-busy-nothing-recorded 0 -n '^busy[0-9]' -- "$HAKO" ps -a
fi

echo "hako command: proc containers (-d, ps, logs, stop, name clash)"
if group cli/proc; then
	check cli/proc-detach 0 -e '^ptick$' -- "$HAKO" run -d --platform proc --name ptick "$TICK" tick 100000 100
	wait_line "$HAKO_STATE/i/"ptick.*/log 'tick late'
	check cli/proc-ps 0 -e '^ptick +[a-z]+ +running' -- "$HAKO" ps
	check cli/proc-ps-line 0 -e '^ptick +proc +running +[0-9]+s' -- "$HAKO" ps
	check cli/proc-logs 0 -e '^ptick: tick late us [0-9]+$' -- "$HAKO" logs -- ptick
	check cli/proc-name-clash 2 \
		-e "^hako: a container named 'ptick' is already running \(stop it with \`hako stop ptick\`" \
		-- "$HAKO" run --platform proc --name ptick "$B/apps/hello.elf"
	check cli/proc-name-clash-hv 2 -e "^hako: a container named 'ptick' is already running" \
		-- "$HAKO" run --name ptick "$B/apps/hello.elf"
	# logs -f follows until the container ends, then ends itself.
	check cli/proc-logs-follow 0 -e '^ptick: tick late us' -e '^hako: ptick stopped$' -e '^stopped ptick$' \
		-- bash -c '"$1" logs -f ptick & sleep 1; echo "stopped $("$1" stop ptick)"; wait $!' _ "$HAKO"
	check cli/proc-stopped 0 -e '^ptick +[a-z]+ +exited \(143\)' -- "$HAKO" ps -a
	check cli/proc-not-in-ps 0 -n '^ptick ' -- "$HAKO" ps
	check cli/proc-stop-again 2 -e '^hako: ptick is not running$' -- "$HAKO" stop ptick
	# hako logs and logs -f show what the terminal would: lines prefixed, sanitized, even
	# from a log file someone else wrote into.
	check cli/proc-forge-detach 0 -e '^pforge$' -- "$HAKO" run -d --platform proc --name pforge "$T/forge.elf" raw
	wait_line "$HAKO_STATE/i/"pforge.*/log 'forge done'
	forge_expect pforge
	check cli/proc-logs-cannot-forge 0 "${forged[@]}" -e '^pforge: hako: pforge killed: raw stderr$' \
		-- "$HAKO" logs pforge
	printf 'pforge: planted \033]52;c;cGxhbnRlZA==\007 \302\233\n' >>"$(echo "$HAKO_STATE"/i/pforge.*/log)"
	check cli/proc-logs-follow-cannot-forge 0 "${forged[@]}" -f 'pforge: planted ?]52;c;cGxhbnRlZA==? ?' \
		-- "$HAKO" logs -f pforge
	# A foreground run is recorded too, with its exit status.
	check cli/proc-foreground 0 -e '^fg +proc +running' \
		-- bash -c '"$1" run --platform proc --name fg "$2" tick 5 100 & sleep 0.2; "$1" ps; wait' \
		_ "$HAKO" "$TICK"
	check cli/proc-exit-status 3 -- "$HAKO" run --platform proc --name fg3 "$T/exit_status.elf" 3
	check cli/proc-exit-kept 0 -e '^fg +proc +exited \(0\)' -e '^fg3 +proc +exited \(3\)' -- "$HAKO" ps -a
	# Default names step aside for running containers.
	"$HAKO" run -d --platform proc "$TICK" tick 100000 100 >/dev/null
	check cli/proc-default-name 0 -e '^sched-2$' -- "$HAKO" run -d --platform proc "$TICK" tick 100000 100
	check cli/proc-stop-two 0 -e '^sched$' -e '^sched-2$' -- "$HAKO" stop -t 5 -- sched sched-2
	# A supervisor that died without a word: ps says "exited (?)" and goes on.
	"$HAKO" run -d --platform proc --name gone "$TICK" tick 100000 100 >/dev/null
	rec=$(echo "$HAKO_STATE"/i/gone.*/record)
	read -r _ spid _ cpid _ < <(grep '^pid .* .* .* ' "$rec" | tail -n 1)
	kill -9 "$spid" "$cpid" 2>/dev/null
	mkdir -p "$HAKO_STATE/i/junk.x" && head -c 3000 /dev/urandom >"$HAKO_STATE/i/junk.x/record"
	check cli/proc-stale-record 0 -e '^gone +[a-z]+ +exited \(\?\)' -- "$HAKO" ps -a
	check cli/proc-stale-name-free 0 -e '^gone$' -- "$HAKO" run --platform proc --name gone -d "$TICK" tick 100000 100
	check cli/proc-stale-stop 0 -e '^gone$' -- "$HAKO" stop gone
fi

echo "hako command: hv containers (stop one, the other keeps answering)"
if group cli/hv; then
	wport=$((cport + 2)) eport=$((cport + 3))
	check cli/hv-detach 0 -e '^web$' -e '^echo$' \
		-- "$HAKO" run -d --name web -p "$wport:80" -v "$B/site.img:ro" "$B/apps/httpd.elf" \
		+ --name echo -p "$eport:7" "$B/apps/tcp-echo.elf" 7
	wait_http "$wport"
	check cli/hv-ps 0 -e "^web +hv +running +[0-9]+s +127.0.0.1:$wport->80/tcp$" \
		-e "^echo +hv +running +[0-9]+s +127.0.0.1:$eport->7/tcp$" -- "$HAKO" ps
	check cli/hv-name-clash 2 -e "^hako: a container named 'web' is already running" \
		-- "$HAKO" run --name web "$B/apps/hello.elf"
	check cli/hv-echo-answers 0 -e '^ping$' \
		-- bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1; echo ping >&3; timeout 5 head -n 1 <&3' _ "$eport"
	check cli/hv-stop-one 0 -e '^echo$' -- "$HAKO" stop echo
	check cli/hv-stopped-one 0 -e '^echo +[a-z]+ +exited \(143\)' -e '^web +[a-z]+ +running' -- "$HAKO" ps -a
	check cli/hv-other-answers 0 -e '^200$' \
		-- curl -s --max-time 10 -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$wport/"
	check cli/hv-logs 0 -e '^web: httpd: serving / on port 80$' -e '^web: .*"GET / HTTP/1.1" 200 ' -n '^echo: ' \
		-- "$HAKO" logs web
	check cli/hv-logs-stopped 0 -e '^echo: tcp-echo: listening' -e '^hako: echo stopped$' -n 'httpd' \
		-- "$HAKO" logs echo
	check cli/hv-stop-last 0 -e '^web$' -- "$HAKO" stop web
	check cli/hv-all-stopped 0 -e '^web +[a-z]+ +exited \(143\)' -e '^echo +[a-z]+ +exited \(143\)' -- "$HAKO" ps -a
	check cli/hv-summary 0 -e '^hako: 2 containers, 0 exited 0, 2 failed; status 143; free pages ([0-9]+)/\1$' \
		-- cat "$(echo "$HAKO_STATE"/i/web.*/log)"
	# A foreground hv run keeps a log too, and its exit status.
	check cli/hv-foreground 0 -e '^hello: hello from hako$' -- "$HAKO" run "$B/apps/hello.elf"
	check cli/hv-foreground-kept 0 -e '^hello +hv +exited \(0\)' -- "$HAKO" ps -a
	check cli/hv-foreground-logs 0 -e '^hello: hello from hako$' -e '^hako: hello exited 0$' -- "$HAKO" logs hello
	check cli/hv-forge-detach 0 -e '^hforge$' -- "$HAKO" run -d --name hforge "$T/forge.elf"
	wait_line "$HAKO_STATE/i/"hforge.*/log 'hako: hforge exited'
	forge_expect hforge
	check cli/hv-logs-cannot-forge 0 "${forged[@]}" -e '^hako: hforge exited 0$' -- "$HAKO" logs hforge
	# The control channel is hostile input to the hv: junk is ignored, the container goes on.
	"$HAKO" run -d --name junk "$TICK" tick 100000 100 >/dev/null
	ctl=$(echo "$HAKO_STATE"/i/junk.*/ctl)
	printf 'reboot\n%0300d\nstop nosuch\nstop a\033b\nstop -x\nstop ..\n' 0 >"$C/junk"
	three_bad_names() { [ "$(grep -c '^hako: ctl: bad container name ignored$' "$1")" = 3 ]; }
	check cli/hv-ctl-junk 0 -e '^hako: ctl: unknown command ignored$' -e '^hako: ctl: line too long, ignored$' \
		-e '^hako: ctl: no container named nosuch$' -p three_bad_names \
		-- bash -c '"$1" send "$2" <"$3" && sleep 0.5 && cat "${2%/ctl}/log"' _ "$HELPER" "$ctl" "$C/junk"
	check cli/hv-ctl-junk-survives 0 -e '^junk +[a-z]+ +running' -- "$HAKO" ps
	check cli/hv-ctl-junk-stop 0 -e '^junk$' -- "$HAKO" stop junk
fi

echo "hako command: compose files (hako up, hako down)"
if group cli/compose; then
	# bad_compose NAME STATUS REGEX: FILE (from stdin) makes `hako up` fail with one line.
	bad_compose() {
		local f
		f=$(compose "$1")
		check "cli/compose-$1" 2 -e "^hako: ${f//./\\.}$3" -- "$HAKO" up "$f"
	}
	bad_compose unknown-field 2 ':2: imgae: unknown field \(expected image, args' <<EOF
[a]
imgae = x
EOF
	bad_compose outside 2 ':2: image: outside a container \(start one with \[NAME\]\)$' <<EOF
# nothing yet
image = $AB/apps/hello.elf
EOF
	bad_compose bad-name 2 ":1: section: bad container name 'a/b'" <<EOF
[a/b]
EOF
	bad_compose twice 2 ':3: section: \[a\] is defined twice \(first on line 1\)$' <<EOF
[a]
image = $AB/apps/hello.elf
[a]
EOF
	bad_compose no-image 2 ':1: image: \[a\] has no image' <<EOF
[a]
memory = 8M
[b]
EOF
	bad_compose memory 2 ":3: memory: bad size '12Q': expected 2M to 16G" <<EOF
[a]
image = $AB/apps/hello.elf
memory = 12Q
EOF
	bad_compose port 2 ":3: ports: bad port '99999:80'" <<EOF
[a]
image = $AB/apps/hello.elf
ports = 8080:80, 99999:80
EOF
	bad_compose port-twice 2 ':5: ports: host port 127.0.0.1:7/udp is published twice$' <<EOF
[a]
image = $AB/apps/udp-echo.elf
ports = 7:7/udp
[b]
ports = 127.0.0.1:7:7/udp
EOF
	bad_compose missing-image 2 ":2: image: /nonexistent.elf: cannot open: No such file or directory$" <<EOF
[a]
image = /nonexistent.elf
EOF
	bad_compose not-a-container 2 ':2: image: .*host_static: not a hako container' <<EOF
[a]
image = $AB/tests/host_static
EOF
	bad_compose syntax 2 ":2: syntax: expected 'FIELD = VALUE' or '\[NAME\]'$" <<EOF
[a]
image $B/apps/hello.elf
EOF
	bad_compose quote 2 ':3: args: unterminated " quote$' <<EOF
[a]
image = $AB/apps/hello.elf
args = one "two words
EOF
	bad_compose field-twice 2 ':3: image: given twice \(first on line 2\)$' <<EOF
[a]
image = $AB/apps/hello.elf
image = $AB/apps/hello.elf
EOF
	bad_compose env 2 ":3: env: bad variable 'FOO': expected KEY=VALUE$" <<EOF
[a]
image = $AB/apps/hello.elf
env = FOO
EOF
	bad_compose volume 2 ':3: volume: .*nope.img: cannot open: No such file or directory$' <<EOF
[a]
image = $AB/apps/hello.elf
volume = nope.img:ro
EOF
	bad_compose empty-value 2 ':3: args: no value' <<EOF
[a]
image = $AB/apps/hello.elf
args =
EOF
	bad_compose empty 2 ': no containers \(expected a \[NAME\] section\)$' </dev/null
	check cli/compose-no-file 2 -e "^hako: $C/nosuch.compose: cannot open: No such file or directory$" \
		-- "$HAKO" up "$C/nosuch.compose"
	check cli/compose-no-file-given 2 -e '^hako: up: no FILE given' -- "$HAKO" up

	# A good one: relative paths are from the file's folder; args with quotes; env.
	mkdir -p "$C/proj"
	cp "$B/apps/httpd.elf" "$B/site.img" "$C/proj/"
	wport=$((cport + 4))
	f=$(compose proj/app <<EOF
# a web server and a container that prints its arguments and environment
[site]
image  = httpd.elf
ports  = $wport:80
volume = site.img:ro
memory = 32M

[argy]
image = $AB/tests/args.elf
args  = one "two words" 'three'
env   = GREETING=hi there
EOF
)
	check cli/compose-up 0 -e '^site$' -e '^argy$' -- "$HAKO" up -d "$f"
	wait_http "$wport"
	check cli/compose-page 0 -e '^200$' \
		-- curl -s --max-time 10 -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$wport/"
	check cli/compose-args 0 -e '^argy: argv\[2\] = two words$' -e '^argy: argv\[3\] = three$' \
		-e '^argy: env GREETING=hi there$' -e '^hako: argy exited 0$' -- "$HAKO" logs argy
	check cli/compose-again 2 \
		-e "^hako: $f:2: \[site\]: a container of that name is already running \(\`hako down $f\` stops it\)$" \
		-- "$HAKO" up -d "$f"
	check cli/compose-down 0 -e '^site$' -n '^argy$' -- "$HAKO" down "$f"
	check cli/compose-down-again 0 -e "^nothing of $f is running$" -- "$HAKO" down "$f"
	check cli/compose-ps 0 -e '^site +[a-z]+ +exited \(143\)' -e '^argy +[a-z]+ +exited \(0\)' -- "$HAKO" ps -a
fi

echo "hako command: docs/example (hako-cc, hako mkfs, a Makefile)"
if group cli/example; then
	xport=$((cport + 5))
	check cli/example-build 0 -e 'hako-cc .*-o .*motd\.elf motd\.c' -e 'hako mkfs files .*motd\.img' \
		-- make -C docs/example HAKO="$AB/bin" OUT="$C/example"
	check cli/example-run 0 -e '^motd$' \
		-- "$HAKO" run -d --name motd -p "$xport:7" -v "$C/example/motd.img:ro" "$C/example/motd.elf" hi
	check cli/example-answers 0 -e '^Hello from a container you built yourself\.$' \
		-- bash -c 'for i in $(seq 50); do exec 3<>/dev/tcp/127.0.0.1/$1 && timeout 5 cat <&3 && exit; sleep 0.2; done' \
		_ "$xport"
	check cli/example-logs 0 -e '^motd: motd: argument 1: hi$' -e '^motd: motd: serving it on port 7$' -- "$HAKO" logs motd
	check cli/example-stop 0 -e '^motd$' -- "$HAKO" stop motd
fi

echo "the demo (make demo)"
if group demo; then
	if ! port_free 8080 || ! port_free 7777; then
		echo "  skipped: demo: port 8080 or 7777 is in use on this machine"
	else
		check demo/first 0 -e '^  started web$' -e '^  started udp-echo$' \
			-e 'http://127.0.0.1:8080/ serves "hako' -e '^Stop the demo: ' -- scripts/demo
		check demo/again 0 -e '^  stopping the demo that runs already$' -e ' serves "hako' -- scripts/demo
		check demo/page 0 -e '<title>hako' -- curl -s --max-time 10 http://127.0.0.1:8080/
		check demo/udp-echo 0 -e '^ping$' \
			-- bash -c 'exec 3<>/dev/udp/127.0.0.1/7777; echo ping >&3; timeout 5 head -n 1 <&3'
		check demo/down 0 -e '^web$' -e '^tcp-echo$' -e '^udp-echo$' -- "$HAKO" down demo/hako.compose
	fi
fi

# Whatever a failed check left running.
for n in $("$HAKO" ps 2>/dev/null | awk 'NR > 1 { print $1 }'); do
	"$HAKO" stop -t 2 "$n" >/dev/null 2>&1
done
