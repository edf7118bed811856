# SPDX-License-Identifier: ISC
# Protection keys on the proc platform, the load-time scan on proc, and
# hako-cc's scan; sourced by tests/run. The proc pkey checks need a host
# CPU with PKU (they are skipped, one line each, without it); the fallback
# (HAKO_PKU=off: as on a CPU without PKU) and the scan run everywhere.
# The hv side is in tests/hv/pkeys.sh.
HVT=$B/tests/hv
prun=("$HAKO" run --platform proc)

echo "proc protection keys"
if [ "${HAKO_PKU:-}" = off ] || ! grep -qw pku /proc/cpuinfo; then
	for t in pkey domains; do
		skip "proc/$t-*" "no PKU on this CPU (grep -w pku /proc/cpuinfo), or HAKO_PKU=off"
	done
else
	while read -r what reason; do
		check "proc/pkey-$what" $KILLED -f "hako: pkey killed: $reason" -n 'still alive' \
			-- "${prun[@]}" "$HVT/pkey.elf" "$what"
	done <<-'CASES'
	closed-read page fault: protection key violation (rip=
	closed-fresh page fault: protection key violation
	closed-write page fault: protection key violation
	wd-write page fault: protection key violation
	ro-write page fault: write to read-only page
	none-read page fault: access denied
	CASES
	check proc/pkey-misuse 0 -e '^pkey: failures 0$' -- "${prun[@]}" "$HVT/pkey.elf" misuse
	check proc/pkey-calls-console 0 -e '^pkey_calls: readable through a WD key$' -e '^pkey_calls: failures 0$' -n LEAKED \
		-- "${prun[@]}" "$HVT/pkey_calls.elf" console
	head -c $((1 << 20)) /dev/zero >"$TMP/pkey.img"
	check proc/pkey-calls-block 0 -e '^pkey_calls: failures 0$' -- "${prun[@]}" -v "$TMP/pkey.img" "$HVT/pkey_calls.elf" block
	if command -v passt >/dev/null; then
		check proc/pkey-calls-net 0 -e '^pkey_calls: failures 0$' \
			-- "${prun[@]}" --net passt "$HVT/pkey_calls.elf" net-solo
	else
		skip "proc/pkey-calls-net" "passt is not installed"
	fi
	check proc/domains-ok 0 -e '^domains: entry pkru 0xc0000000$' -e '^domains: pkru after pkey_alloc 0xc0000000$' \
		-e '^domains: landing on the WRPKRU installed 0xfffffffc$' -e '^domains: domains ok$' -- "${prun[@]}" "$HVT/domains.elf" ok
	check proc/domains-app-call $KILLED -n 'a call from the app' \
		-f "hako: domains killed: hako call with PKRU 0xfffffffc, not the libOS domain's 0xc0000000" \
		-- "${prun[@]}" "$HVT/domains.elf" app-call
	check proc/domains-app-read $KILLED -f 'hako: domains killed: page fault: protection key violation' \
		-- "${prun[@]}" "$HVT/domains.elf" app-read
fi
# Through musl and the libOS, with or without PKU (it says which).
check proc/pkey-libos 0 -e '^pkey_libos: pkey_libos ok' -n 'LEAKED|FAILED' -- "${prun[@]}" "$T/pkey_libos.elf"
check proc/nopku 0 -f 'hako: pkey: no protection keys on this CPU: pkey calls return -ENOTSUP' \
	-e '^pkey: failures 0$' -- env HAKO_PKU=off "${prun[@]}" "$HVT/pkey.elf" nopku
check proc/nopku-domains-refused 2 \
	-f 'domains.elf: the image declares protection-key domains and this CPU has no PKU' \
	-- env HAKO_PKU=off "${prun[@]}" "$HVT/domains.elf" ok
# The tender's own code (its libc holds XRSTOR) is not executable once the container runs.
check proc/tender-code-not-executable $KILLED -f 'hako: probe killed: page fault: execute NX page' \
	-n 'tender code ran' -- "${prun[@]}" "$HVT/probe.elf"

echo "the load-time scan on proc, and hako-cc's"
while read -r kind reason; do
	check "proc/scan-$kind" 2 -f "stray-$kind.elf: $reason" -- "${prun[@]}" "$HVT/stray-$kind.elf"
done <<'CASES'
wrpkru WRPKRU outside a declared gate at 0x
imm WRPKRU outside a declared gate at 0x
gate WRPKRU gate with an undeclared PKRU value 0x12345678 at 0x
xrstor XRSTOR (can load PKRU) at 0x
xrstors XRSTORS at 0x
CASES
check proc/scan-lfence-runs 0 -e '^stray-lfence: fences ran$' -- "${prun[@]}" "$HVT/stray-lfence.elf"

# hako-cc scans what it linked and names the function; the output is removed.
# scan_cc NAME BODY HAKO-CC DIR: build a container whose function NAME holds BODY.
scan_cc='printf "void %s(void);\n__attribute__((noinline)) void %s(void) { __asm__ volatile(\"%s\" ::: \"eax\", \"ecx\", \"edx\", \"memory\"); }\nint main(int c, char **v) { if (c > 99) %s(); (void)v; return 0; }\n" \
		"$1" "$1" "$2" "$1" >"$4/$1.c"
	"$3" -O2 -o "$4/$1.elf" "$4/$1.c" && echo "built $1"; st=$?
	[ -e "$4/$1.elf" ] && echo "output left: $1.elf"
	exit $st'
cc=("$B/bin/hako-cc" "$TMP")
check hako-cc/scan-wrpkru 1 -f 'stray_wrpkru.elf: WRPKRU outside a declared gate in stray_wrpkru+0x' \
	-n 'output left' -- bash -c "$scan_cc" _ stray_wrpkru 'xor %%ecx, %%ecx; xor %%edx, %%edx; wrpkru' "${cc[@]}"
check hako-cc/scan-immediate 1 -f 'WRPKRU outside a declared gate in hidden_in_imm+0x' -n 'output left' \
	-- bash -c "$scan_cc" _ hidden_in_imm 'mov $0xef010f, %%eax' "${cc[@]}"
check hako-cc/scan-gate-undeclared 1 -f 'WRPKRU gate with an undeclared PKRU value 0xfffffffc in odd_gate+0x' \
	-n 'output left' -- bash -c "$scan_cc" _ odd_gate \
	'.byte 0xb8; .long 0xfffffffc; .byte 0x31,0xc9,0x31,0xd2,0x0f,0x01,0xef,0x3d; .long 0xfffffffc; .byte 0x75,0xed' "${cc[@]}"
check hako-cc/scan-xrstor 1 -f 'XRSTOR (can load PKRU) in restore_all+0x' -n 'output left' \
	-- bash -c "$scan_cc" _ restore_all 'xrstor (%%rsp)' "${cc[@]}"
check hako-cc/scan-lfence 0 -f 'built fences' -- bash -c "$scan_cc" _ fences 'lfence; rdpkru' "${cc[@]}"
