#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# The crash test of the writable file system: tests/fs_crash.sh PLATFORM KILLS [IMAGE]
# runs tests/containers/fs_crash.c on one volume KILLS times, each time
# killing the platform (the proc tender, or QEMU) with SIGKILL at a random
# point, then checks the volume with `hako fsck` and that every record the
# container acknowledged (printed "ack N" after fsync) is there. The next run
# checks every record again from inside the container. Prints one line per
# failure and a summary; exits 0 only if nothing acknowledged was lost.
set -u
cd "$(dirname "$0")/.."
B=${BUILD:-build}
HAKO=$B/bin/hako
plat=$1 kills=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
img=${3:-$work/crash.img}
out=$work/out
acked=0 total_acks=0 early=0

die() {
	echo "crash: $plat round $k: $*"
	sed 's/^/  | /' "$out" | tail -n 5
	exit 1
}

# The platform under `hako run` pid: its one child. Bounded wait for it to exist.
platform_of() {
	local child="" i
	for ((i = 0; i < 200; i++)); do
		child=$(pgrep -P "$1" | head -n 1)
		[ -n "$child" ] && break
		sleep 0.02
	done
	echo "$child"
}

[ -f "$img" ] || "$HAKO" mkfs --writable --size 16M "$img" >/dev/null || exit 1
for ((k = 1; k <= kills; k++)); do
	"$HAKO" run --platform "$plat" -v "$img" "$B/tests/fs_crash.elf" >"$out" 2>&1 &
	pid=$!
	# One round in five dies early (mount, first records); the others once writing has begun.
	if ((RANDOM % 5)); then
		for ((i = 0; i < 500; i++)); do
			grep -q 'fs_crash resume' "$out" && break
			sleep 0.02
		done
		sleep "0.$(printf '%02d' $((RANDOM % 40)))"
	else
		early=$((early + 1))
	fi
	child=$(platform_of "$pid")
	[ -n "$child" ] && kill -9 "$child" 2>/dev/null
	wait "$pid" 2>/dev/null
	grep -q FAILED "$out" && die "the container found damage"
	resumed=$(sed -n 's/.*fs_crash resume \([0-9]*\).*/\1/p' "$out")
	[ -z "$resumed" ] || [ "$resumed" -ge "$acked" ] || die "resumed at $resumed, $acked acknowledged"
	last=$(sed -n 's/.*ack \([0-9]*\)$/\1/p' "$out" | tail -n 1)
	[ -n "$last" ] && total_acks=$((total_acks + last - ${resumed:-0})) && acked=$last
	"$HAKO" fsck "$img" >"$work/fsck" 2>&1 || die "fsck: $(cat "$work/fsck")"
	state=$("$HAKO" fsck --cat /state "$img" 2>/dev/null || echo 0)
	records=$(( $("$HAKO" fsck --cat /log "$img" 2>/dev/null | wc -c) / 64 ))
	[ "$state" -ge "$acked" ] || die "/state is $state, $acked acknowledged"
	[ "$records" -ge "$acked" ] || die "/log holds $records records, $acked acknowledged"
done
echo "crash: $kills kills on $plat ($early early), $total_acks records acknowledged, $acked the last, none lost; $(cut -d' ' -f2- "$work/fsck")"
