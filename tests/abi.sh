# SPDX-License-Identifier: ISC
# One ABI on every platform: the hostile-call container (tests/containers/
# hostile.c) runs on proc and on hv, and every answer must be the same, line
# by line; then the answers that matter are checked one by one. Sourced by
# tests/run.
echo "one ABI: every call with hostile arguments, the same answers on proc and hv"

# abi_both HAKO DIR "PROC-OPTIONS" "HV-OPTIONS" ARGS...: run hostile.elf on
# both, take out the name prefix (platform lines, "hako: ...", have none),
# print both statuses, the diff (or "same") and the answers.
abi_both='h=$1 d=$2; read -ra po <<<"$3"; read -ra ho <<<"$4"; shift 4
	"$h" run --platform proc "${po[@]}" "$@" >"$d/proc.out" 2>&1; ps=$?
	"$h" run --platform hv --timeout 60 "${ho[@]}" "$@" >"$d/hv.out" 2>&1; hs=$?
	sed -n "s/^hostile: //p" "$d/proc.out" >"$d/proc.ans"
	sed -n "s/^hostile: //p" "$d/hv.out" >"$d/hv.ans"
	echo "proc status $ps, hv status $hs"
	diff -a "$d/proc.ans" "$d/hv.ans" && echo "answers: the same, $(wc -l <"$d/proc.ans") lines"
	cat -v "$d/proc.ans"'
# Both platforms must have protection keys, or neither: the pkey calls answer
# -ENOTSUP without them. proc has what this CPU has (HAKO_PKU=off: none); the
# hv under TCG has PKU unless its QEMU CPU model drops it.
abi_nopku=
if [ "${HAKO_PKU:-}" = off ] || ! grep -qw pku /proc/cpuinfo; then
	abi_nopku='export HAKO_QEMU_CPU=max,pku=off;'
	abi_both="$abi_nopku $abi_both"
fi
abi_disk=$TMP/abi-disk.img
head -c $((64 << 10)) /dev/zero >"$abi_disk"
mkdir -p "$TMP/abi"
both=(bash -c "$abi_both" _ "$HAKO" "$TMP/abi")

check abi/hostile-no-devices 0 -e '^proc status 7, hv status 7$' -e '^answers: the same, [0-9]+ lines$' \
	-e '^console 1 byte past the heap = -14$' -e '^console 1 MiB past the heap = -14$' \
	-e "^console at the call page's target = -14$" -e '^console heap tail = 64$' \
	-e '^\[hostile\] console from the info page = 7$' -e '^console len -1 = 4096$' \
	-e '^console above the stack = -14$' -e '^tls below the last page = 0$' \
	-e '^tls last page = -22$' -e '^tls last byte = -22$' -e '^call 1<<32 \| console = -38$' \
	-e '^net_send without a network = -95$' -e '^block_read without a device = -95$' \
	-e '^block_flush without a device = -95$' -n '^[<>] ' -n '\^@' \
	-- "${both[@]}" "" "" "$T/hostile.elf"

# With a network: passt on proc, the switch on hv (only bad frames are sent: none leaves).
net=() hvnet=() netexp=()
if command -v passt >/dev/null; then
	net=(--net passt) hvnet=(--net switch)
	netexp=(-e '^net_send NULL n 0 = 0$' -e '^net_recv iov read-only = -14$' -e '^net_send iov read-only = -22$'
		-e "^net_send frame at the call page's target = -14$" -e '^net_recv buffer info page = -14$'
		-e '^net order: NULL, then reserved = -14$' -e '^net order: good, then short = -22$')
else
	skip abi/hostile-devices-frames "passt is not installed (scripts/deps test installs it)"
fi
check abi/hostile-devices 0 -e '^proc status 7, hv status 7$' -e '^answers: the same, [0-9]+ lines$' \
	-e '^block_write from the info page = 512$' -e '^block_write from the call page = 512$' \
	-e '^block_write across call and info page = 512$' -e "^block_write from the call page's target = -14$" \
	-e '^block_read unmapped len 0 = 0$' -e '^block_read hv memory len 0 = -14$' \
	-e '^block_read into the info page = -14$' -e '^block_read past the heap = -14$' \
	-e '^block order: past the end, NULL = -28$' -e '^block_read heap tail = 512$' -e '^block_flush = 0$' \
	"${netexp[@]}" -n '^[<>] ' \
	-- "${both[@]}" "${net[*]} -v $abi_disk" "${hvnet[*]} -v $abi_disk" "$T/hostile.elf"
check abi/hostile-read-only 0 -e '^proc status 7, hv status 7$' -e '^answers: the same, [0-9]+ lines$' \
	-e '^block_write NULL = -14$' -e '^block_write from the info page = -1$' -e '^block_write = -1$' \
	-e '^block_read = 512$' -e '^block_flush = 0$' -n '^[<>] ' \
	-- "${both[@]}" "-v $abi_disk:ro" "-v $abi_disk:ro" "$T/hostile.elf"

# 3000 random calls (a fixed seed) over the places that matter (hostile.c's fuzz mode):
# only its "fuzz I: call(args) = result" lines count, not the bytes a
# console call printed (the platforms print their own memory differently).
abi_fuzz='h=$1 d=$2 disk=$3; read -ra po <<<"$4"; read -ra ho <<<"$5"; shift 5
	head -c $((64 << 10)) /dev/zero >"$disk"
	"$h" run --platform proc "${po[@]}" -v "$disk" "$@" >"$d/proc.out" 2>&1; ps=$?
	head -c $((64 << 10)) /dev/zero >"$disk"
	"$h" run --platform hv --timeout 60 "${ho[@]}" -v "$disk" "$@" >"$d/hv.out" 2>&1; hs=$?
	sed -n "s/^hostile: \(fuzz [0-9]*: \)/\1/p" "$d/proc.out" >"$d/proc.ans"
	sed -n "s/^hostile: \(fuzz [0-9]*: \)/\1/p" "$d/hv.out" >"$d/hv.ans"
	echo "proc status $ps, hv status $hs"
	diff -a "$d/proc.ans" "$d/hv.ans" && echo "answers: the same, $(wc -l <"$d/proc.ans") lines"'
[ -n "${abi_nopku:-}" ] && abi_fuzz="$abi_nopku $abi_fuzz"
check abi/fuzz-3000-calls 0 -e '^proc status 7, hv status 7$' -e '^answers: the same, 3000 lines$' \
	-- bash -c "$abi_fuzz" _ "$HAKO" "$TMP/abi" "$abi_disk" "${net[*]}" "${hvnet[*]}" \
	"$T/hostile.elf" fuzz 12345 3000

# A 32-bit system call: the same one-line kill and status on both.
check abi/int80-killed-proc 255 \
	-e '^hako: hostile killed: forbidden host syscall \(int \$0x80 39, rip=0x[0-9a-f]+\)$' -n survived \
	-- "$HAKO" run --platform proc "$T/hostile.elf" int80
check abi/int80-killed-hv 255 -e '^hako: hostile killed: general protection fault \(rip=0x[0-9a-f]+, err=802\)$' \
	-n survived -- "$HAKO" run --platform hv --timeout 60 "$T/hostile.elf" int80
