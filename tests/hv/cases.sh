# SPDX-License-Identifier: ISC
# The hv suite: tiny hostile containers (tests/hv/*.c) attack the hypervisor
# under QEMU. Each case checks the exit status, the log lines (fixed
# strings) and that no page leaked. Sourced by tests/run after checks.sh.
HVT=$B/tests/hv
hvrun=("$HAKO" run --platform hv --timeout 60)

# hv_expect NAME STATUS "LINE1;;LINE2..." -- ARGS...
hv_expect() {
	local name=$1 want=$2 lines=$3 args=() line
	shift 4
	while [ -n "$lines" ]; do
		line=${lines%%;;*}
		args+=(-f "$line")
		[ "$line" = "$lines" ] && lines= || lines=${lines#*;;}
	done
	check "hv/$name" "$want" "${args[@]}" -p no_page_leak -- "${hvrun[@]}" "$@"
}

# patch FILE OFFSET OCTAL-BYTES: overwrite bytes of a bundle in place
patch() {
	printf -- "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

hv_expect hello 0 "hello: hello from hello;;hello: arg: one;;hello: arg: two words;;hello: env: K=V;;hello: partial line without newline;;hako: hello exited 0" \
	-- -e K=V $HVT/hello.elf one "two words"
hv_expect badcall 0 "badcall: failures 0;;hako: badcall exited 0" -- $HVT/badcall.elf
hv_expect exit-status 7 "hako: sched exited 7" -- $HVT/sched.elf exit 7
hv_expect first-failure 3 "hako: a exited 3;;hako: b exited 5;;2 failed; status 3" \
	-- --name a $HVT/sched.elf exit 3 + --name b $HVT/sched.elf exit 5

# Each attack kills its container alone; the neighbour finishes.
while read -r what reason; do
	hv_expect "kill-$what" 255 "hako: fault killed: $reason;;hako: hello exited 0;;2 containers, 1 exited 0, 1 failed" \
		-- -m 8 $HVT/fault.elf "$what" + -m 8 $HVT/hello.elf
done <<'CASES'
null page fault: address not mapped (rip=
read-hv page fault: access to hv memory
read-hv-text page fault: access to hv memory
read-dmap page fault: access to hv memory
jump-hv page fault: access to hv memory
write-code page fault: write to read-only page
write-callpage page fault: write to read-only page
write-info page fault: write to read-only page
exec-data page fault: execute NX page
exec-stack page fault: execute NX page
exec-heap page fault: execute NX page
heap-end page fault: address not mapped
stack-overflow stack overflow: page fault in the guard below the stack
noncanonical general protection fault
ud2 invalid opcode
hlt general protection fault
cli general protection fault
outb general protection fault
wrmsr general protection fault
int80 general protection fault
sgdt general protection fault
div0 divide error
tf debug trap
tf-syscall system call outside the call page
raw-syscall system call outside the call page (rip=
CASES

hv_expect heap-all 0 "fault: touched all of heap and stack" -- -m 3 $HVT/fault.elf heap-all
# Quotas beyond the hv's RAM (a bundle booted with less): said at boot, and the
# container that finds no page is killed saying whose memory ran out.
"${hvrun[@]}" --bundle-out "$TMP/oom" --name a -m 200M $HVT/fault.elf heap-all + --name b -m 200M $HVT/fault.elf heap-all
check hv/out-of-hv-memory 255 -e '^hako: note: the memory quotas add up to [0-9]+ MiB more than the [0-9]+ MiB free' \
	-e '^hako: [ab] killed: out of memory: the hypervisor has no free page left \(see Limits in docs/usage\.md\)' \
	-e '^hako: [ab] exited 0$' -p no_page_leak -- "${hvrun[@]}" --bundle "$TMP/oom"
hv_expect preempt 0 "sched: spun ms;;sched-2: spun ms;;sched-3: tick late us;;3 containers, 3 exited 0" \
	-- $HVT/sched.elf spin 200 + $HVT/sched.elf spin 200 + $HVT/sched.elf tick 5 20
hv_expect spin-forever 124 "hako: sched-2 exited 0;;hako: hello exited 0" \
	-- --timeout 10 $HVT/sched.elf forever + $HVT/sched.elf tick 3 10 + $HVT/hello.elf

# Hostile bundles: the hv validates every field itself.
# Two different images: identical ones are stored once, and bundle-elf breaks only the first.
"${hvrun[@]}" --bundle-out "$TMP/good" --name ok $HVT/hello.elf + --name victim $HVT/badcall.elf
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" 0 'X'
hv_expect bundle-magic 1 "hako: not a hako bundle" -- --bundle "$TMP/b"
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" 12 '\377\377\377\177'
hv_expect bundle-count 1 "hako: bad container count" -- --bundle "$TMP/b"
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" 16 '\377\377\377\377\377\377\377\377'
hv_expect bundle-size 1 "hako: bundle header is damaged" -- --bundle "$TMP/b"
# A size smaller than the header itself (found by tests/fuzz/bundle): no entry is read.
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" 16 '\0\0\0\0\0\0\0\0'
hv_expect bundle-size-small 1 "hako: bundle header is damaged" -- --bundle "$TMP/b"
E=$((32 + 3696)) # the second entry
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" $((E + 48)) '\360\377\377\377\377\377\377\377'
hv_expect bundle-offset 255 "hako: victim failed to start: image outside the bundle;;hako: ok exited 0" -- --bundle "$TMP/b"
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" $((E + 56)) '\377\377\377\377\377\377\377\377'
hv_expect bundle-imgsize 255 "hako: victim failed to start: image outside the bundle" -- --bundle "$TMP/b"
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" $((E + 32)) '\0\0\0\0'
hv_expect bundle-mem 255 "hako: victim failed to start: memory size out of range" -- --bundle "$TMP/b"
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" $((E + 44)) '\377\377\0\0'
hv_expect bundle-strings 255 "hako: victim failed to start: argument strings too long" -- --bundle "$TMP/b"
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" $((E + 64)) 'victimXX'
hv_expect bundle-nul 255 "hako: victim failed to start: argument strings not NUL-terminated" -- --bundle "$TMP/b"
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" $((E + 36)) '\5\0\0\0'
hv_expect bundle-argc 255 "hako: victim failed to start: argument count does not match" -- --bundle "$TMP/b"
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" $E 'ha/ko'
hv_expect bundle-name 255 "hako: (unnamed) failed to start: bad container name" -- --bundle "$TMP/b"
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" $E 'hako\0'
hv_expect bundle-name-hako 255 "bad container name;;hako: ok exited 0" -- --bundle "$TMP/b"
# The one name rule (include/hako/name.h): no option-like or path-like names either.
for bad in '-x\0' '.\0' '..\0' '_x\0'; do
	cp "$TMP/good" "$TMP/b"; patch "$TMP/b" $E "$bad"
	hv_expect "bundle-name-${bad%\\0}" 255 "hako: (unnamed) failed to start: bad container name;;hako: ok exited 0" \
		-- --bundle "$TMP/b"
done
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" $((E + 3664)) '\10'
hv_expect bundle-flags 255 "hako: victim failed to start: unknown flags or reserved fields set;;hako: ok exited 0" -- --bundle "$TMP/b"
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" $((E + 3664)) '\2'
hv_expect bundle-slice 255 "hako: victim failed to start: bad block slice;;hako: ok exited 0" -- --bundle "$TMP/b"
cp "$TMP/good" "$TMP/b"; patch "$TMP/b" 8192 'X'
hv_expect bundle-elf 255 "hako: ok failed to start: not an ELF file;;hako: victim exited 0" -- --bundle "$TMP/b"
