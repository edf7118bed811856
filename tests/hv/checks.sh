# SPDX-License-Identifier: ISC
# hv platform checks in the format of tests/run (source it from there):
# the libOS test containers under `hako run --platform hv`, then the
# tests/hv suite of tiny hostile containers.
run=("$HAKO" run --platform hv)
KILLED=255

echo "hv platform"
check hv/hello 0 -e '^hello: hello from hako$' -e '^hako: hello exited 0$' \
	-e '^hako: 1 containers, 1 exited 0, 0 failed; status 0; free pages ([0-9]+)/\1$' \
	-- "${run[@]}" "$B/apps/hello.elf" one "two words"
check hv/exit-3 3 -e '^hako: exit_status exited 3$' -- "${run[@]}" "$T/exit_status.elf" 3
check hv/argv 0 -e '^args: argc = 4$' -e '^args: argv\[0\] = args$' -e '^args: argv\[2\] = b c$' \
	-e '^args: argv\[3\] = --flag$' -- "${run[@]}" "$T/args.elf" a "b c" --flag
check hv/name-and-env 0 -e '^box1: argv\[0\] = box1$' -e '^box1: env GREETING=hi there$' \
	-- "${run[@]}" --name box1 -e "GREETING=hi there" "$T/args.elf"
check hv/malloc-stress 0 -e '^malloc_stress: malloc_stress ok' -- "${run[@]}" "$T/malloc_stress.elf"
check hv/malloc-quota 0 -e '^malloc_stress: malloc_stress ok' -- "${run[@]}" -m 8M "$T/malloc_stress.elf"
check hv/tls 0 -e '^tls: tls ok$' -- "${run[@]}" "$T/tls.elf"
check hv/time 0 -e '^time_sleep: time ok' -- "${run[@]}" "$T/time_sleep.elf"
check hv/abort 134 -- "${run[@]}" "$T/abort.elf"
check hv/panic 250 -e '^panic: panic: test panic 42$' -- "${run[@]}" "$T/panic.elf"
check hv/libos-basics 0 -e '^libos_basics: libos_basics ok$' -- "${run[@]}" "$T/libos_basics.elf"
check hv/side-by-side 3 -e '^a: hello from hako$' -e '^hako: b exited 3$' -e '^hako: a exited 0$' \
	-e '^hako: 2 containers, 1 exited 0, 1 failed; status 3' \
	-- "${run[@]}" --name a "$B/apps/hello.elf" + --name b "$T/exit_status.elf" 3
ten=("$B/apps/hello.elf")
for i in 2 3 4 5 6 7 8 9 10; do ten+=(+ --name "h$i" "$T/args.elf" "$i"); done
check hv/ten-at-once 0 -e '^h10: argv\[1\] = 10$' -e '^hako: h7 exited 0$' \
	-e '^hako: 10 containers, 10 exited 0, 0 failed; status 0; free pages ([0-9]+)/\1$' \
	-- "${run[@]}" "${ten[@]}"

# Both peek copies must have used the same virtual address, or the test proves nothing.
# And the reader must have looked while the writer was still alive.
same_peek_address() {
	local w r
	w=$(sed -n 's/^writer: peek: wrote the secret at //p' "$1")
	r=$(sed -n 's/^reader: peek: reading //p' "$1")
	[ -n "$w" ] && [ "$w" = "$r" ] &&
		[ "$(grep -n 'reader: peek: saw' "$1" | cut -d: -f1)" -lt \
		  "$(grep -n 'writer: peek: writer done' "$1" | cut -d: -f1)" ]
}
# Ten containers of one image share its read-only pages: they take far
# less than ten times the pages of one.
shared_pages() {
	local one ten
	one=$("$HAKO" run --platform hv "$B/apps/hello.elf" 2>&1 | sed -n 's/.*loaded in [0-9]* us, \([0-9]*\) pages$/\1/p')
	ten=$(sed -n 's/.*loaded in [0-9]* us, \([0-9]*\) pages$/\1/p' "$1")
	echo "pages: one container $one, ten $ten" >>"$1"
	[ -n "$one" ] && [ -n "$ten" ] && [ "$ten" -lt $((one * 10 / 2)) ]
}
same=("$B/apps/hello.elf")
for i in 2 3 4 5 6 7 8 9 10; do same+=(+ "$B/apps/hello.elf" "$i"); done
check hv/ten-share-code 0 -e '^hako: 10 containers, 10 exited 0' -p shared_pages -p no_page_leak \
	-- "${run[@]}" "${same[@]}"

echo "hv isolation (each bad thing is tried and stopped, the neighbour finishes)"
check hv/raw-syscall-killed $KILLED \
	-e '^hako: raw_syscall killed: system call outside the call page \(rip=0x[0-9a-f]+' \
	-e '^hako: hello exited 0$' -n 'opened' \
	-- "${run[@]}" "$T/raw_syscall.elf" + "$B/apps/hello.elf"
check hv/null-deref-killed $KILLED \
	-e '^hako: null_deref killed: page fault: address not mapped \(rip=0x[0-9a-f]+, addr=0x0, read\)$' \
	-e '^hako: hello exited 0$' -- "${run[@]}" "$T/null_deref.elf" + "$B/apps/hello.elf"
check hv/write-code-killed $KILLED \
	-e '^hako: write_code killed: page fault: write to read-only page \(rip=0x[0-9a-f]+, addr=0x4[0-9a-f]+, write\)$' \
	-e '^hako: hello exited 0$' -- "${run[@]}" "$T/write_code.elf" + "$B/apps/hello.elf"
check hv/exec-heap-killed $KILLED \
	-e '^hako: exec_heap killed: page fault: execute NX page' \
	-e '^hako: hello exited 0$' -- "${run[@]}" "$T/exec_heap.elf" + "$B/apps/hello.elf"
check hv/stack-overflow-killed $KILLED \
	-e '^hako: stack_overflow killed: stack overflow: page fault in the guard below the stack' \
	-e '^hako: hello exited 0$' -n 'survived' \
	-- "${run[@]}" "$T/stack_overflow.elf" + "$B/apps/hello.elf"
check hv/same-address-other-memory 0 -e '^writer: peek: wrote the secret at (0x[0-9a-f]+)$' \
	-e '^reader: peek: saw only zeros$' -n 'isolation FAILED' -p same_peek_address \
	-- "${run[@]}" --name writer "$T/peek.elf" write + --name reader "$T/peek.elf" read
forge_expect forge # tests/proc.sh
check hv/output-cannot-forge 0 "${forged[@]}" -e '^hako: forge exited 0$' -- "${run[@]}" "$T/forge.elf"
check hv/not-a-container 2 -e 'host_static: not a hako container' -- "${run[@]}" "$T/host_static"
echo "hv block devices (virtio-blk; the same block_io container as on proc)"
disk=$TMP/hv-disk.img
head -c $((1048576 + 4096 + 100)) /dev/zero >"$disk" # capacity rounds down to 1052672
check hv/block-write-read-errors 0 -e '^block_io: capacity 1052672$' \
	-e '^block_io: ok: read with wrapping offset = -28$' -e '^block_io: ok: NULL buffer = -14$' \
	-e '^block_io: ok: read into platform memory = -14$' -e '^block_io: ok: length over the maximum = -22$' \
	-e '^block_io: block_io write ok$' -n FAILED -p no_page_leak \
	-- "${run[@]}" -v "$disk" "$T/block_io.elf" write
check hv/block-persists 0 -e '^block_io: block_io verify ok$' -n FAILED -- "${run[@]}" -v "$disk" "$T/block_io.elf" verify
check hv/block-on-host 0 -e '^ *1$' -- od -An -tu1 -N1 "$disk"
check hv/block-read-only 0 -e '^block_io: ok: write to a read-only device = -1$' -e '^block_io: block_io ro ok$' \
	-n FAILED -- "${run[@]}" -v "$disk:ro" "$T/block_io.elf" ro
check hv/block-none 0 -e '^block_io: block_io none ok$' -n FAILED -- "${run[@]}" "$T/block_io.elf" none
check hv/block-missing-file 2 -e "^hako: cannot open block device image '/nonexistent.img': No such file" \
	-- "${run[@]}" -v /nonexistent.img "$T/block_io.elf" none
check hv/block-bad-slice 2 -e "^hako: volume 'disk0:1M:1M': the slice does not fit in the disk$" \
	-- "${run[@]}" --disk "$disk" -v disk0:1M:1M "$T/block_io.elf" none

# Two containers on one disk image, disjoint slices, filling them at the
# same time: each reads back only its own bytes, cannot reach past its slice,
# and the bytes outside both slices are untouched.
shared=$TMP/shared.img
head -c $((512 << 10)) /dev/zero | tr '\0' S >"$shared"
layout='cmp <(head -c $((128 << 10)) /dev/zero | tr "\0" A; head -c $((64 << 10)) /dev/zero | tr "\0" B
	head -c $((320 << 10)) /dev/zero | tr "\0" S) "$1"'
check hv/block-shared-disk-slices 0 -e '^a: capacity 131072$' -e '^b: capacity 65536$' \
	-e '^a: block_io fill ok$' -e '^b: block_io fill ok$' -e '^b: ok: read just past the slice = -28$' \
	-n FAILED -p no_page_leak \
	-- "${run[@]}" --disk "$shared" --name a -v disk0:0:128K "$T/block_io.elf" fill A \
	+ --name b -v disk0:128K:64K "$T/block_io.elf" fill B
check hv/block-shared-disk-on-host 0 -- bash -c "$layout" _ "$shared"

# Written and flushed, then QEMU killed hard: the data is on the host.
rm -f "$disk" "$TMP/qemu.pid"
head -c $((1 << 20)) /dev/zero >"$disk"
hold='log=$(mktemp); "$@" >"$log" 2>&1 & r=$!
	for i in $(seq 300); do grep -q "^block_io: flushed$" "$log" && break; sleep 0.1; done
	kill -9 "$(cat "$PIDFILE")"; wait $r; echo "runner: $?"; cat "$log"; rm -f "$log"'
PIDFILE=$TMP/qemu.pid check hv/block-survives-kill-9 0 -e '^block_io: flushed$' -e '^hako: qemu died \(Killed\)$' \
	-n 'verify ok' -- bash -c "$hold" _ "${run[@]}" --pidfile "$TMP/qemu.pid" -v "$disk" "$T/block_io.elf" hold
check hv/block-after-kill-9 0 -e '^block_io: block_io verify ok$' -n FAILED -- "${run[@]}" -v "$disk" "$T/block_io.elf" verify

# Hostile bundles: the hv checks each slice against the disk itself.
"${run[@]}" --bundle-out "$TMP/blk" --name ok "$B/apps/hello.elf" + --name victim -v "$disk" "$B/apps/hello.elf"
BE=$((32 + 3696)) # the second entry; its block_offset is at +3648, block_size +3656, block_disk +3668
cp "$TMP/blk" "$TMP/b"; printf '\0\0\0\0\0\0\1\0' | dd of="$TMP/b" bs=1 seek=$((BE + 3656)) conv=notrunc 2>/dev/null
check hv/block-bundle-slice-past-disk 255 -e '^hako: victim failed to start: block slice outside its disk$' \
	-e '^hako: ok exited 0$' -p no_page_leak -- "${run[@]}" --disk "$disk" --bundle "$TMP/b"
cp "$TMP/blk" "$TMP/b"; printf '\7' | dd of="$TMP/b" bs=1 seek=$((BE + 3668)) conv=notrunc 2>/dev/null
check hv/block-bundle-no-such-disk 255 -e '^hako: victim failed to start: its block device \(disk\) is missing$' \
	-e '^hako: ok exited 0$' -p no_page_leak -- "${run[@]}" --disk "$disk" --bundle "$TMP/b"
. tests/hv/cases.sh
. tests/hv/pkeys.sh
. tests/hv/net.sh
. tests/hv/limits.sh
