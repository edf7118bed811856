# SPDX-License-Identifier: ISC
# hv protection keys (sourced by tests/hv/checks.sh): CR4.PKE under TCG
# `-cpu max`, which enforces PKU. Each attack runs beside a neighbour that
# must finish, and no page may leak. Containers: tests/hv/pkey.c,
# pkey_calls.c, domains.c, stray.c.
echo "hv protection keys"
while read -r what reason; do
	hv_expect "pkey-$what" 255 "hako: pkey killed: $reason;;hako: hello exited 0;;2 containers, 1 exited 0, 1 failed" \
		-- -m 8 $HVT/pkey.elf "$what" + -m 8 $HVT/hello.elf
done <<'CASES'
closed-read page fault: protection key violation (rip=
closed-fresh page fault: protection key violation
closed-write page fault: protection key violation
wd-write page fault: protection key violation
ro-write page fault: write to read-only page
none-read page fault: access denied
CASES
check hv/pkey-libos 0 -e '^pkey_libos: pkey_libos ok$' -n 'LEAKED|FAILED' -p no_page_leak \
	-- "${hvrun[@]}" "$T/pkey_libos.elf"
hv_expect pkey-misuse 0 "pkey: failures 0;;hako: hello exited 0" \
	-- -m 8 $HVT/pkey.elf misuse + -m 8 $HVT/hello.elf
# Three containers, key 3 open / access-disabled / write-disabled, preempted
# by the timer many times over: each sees only its own PKRU all along.
check hv/pkey-pkru-per-container 0 -e '^pkey: pkru 0x55555514$' -e '^pkey-2: pkru 0x55555554$' \
	-e '^pkey-3: pkru 0x55555594$' -e '^pkey: preempted [1-9]' -e '^pkey-2: preempted [1-9]' \
	-e '^pkey-3: preempted [1-9]' -e '^hako: 3 containers, 3 exited 0' -p no_page_leak \
	-- "${hvrun[@]}" $HVT/pkey.elf hold 0 300 + $HVT/pkey.elf hold 1 300 + $HVT/pkey.elf hold 2 300

echo "hv protection keys: calls check the caller's rights"
hv_expect pkey-console 0 "pkey_calls: readable through a WD key;;pkey_calls: failures 0;;hako: hello exited 0" \
	-- -m 8 $HVT/pkey_calls.elf console + -m 8 $HVT/hello.elf
check hv/pkey-console-nothing-printed 0 -n LEAKED -f 'pkey_calls: failures 0' \
	-- "${hvrun[@]}" -m 8 $HVT/pkey_calls.elf console
head -c $((1 << 20)) /dev/zero >"$TMP/pkey.img"
hv_expect pkey-block 0 "pkey_calls: failures 0;;hako: hello exited 0" \
	-- -v "$TMP/pkey.img" $HVT/pkey_calls.elf block + -m 8 $HVT/hello.elf
# A read's copy-out runs in the completion interrupt while the neighbour
# (key 3 access-disabled) runs: it is checked against the caller's rights.
hv_expect pkey-block-copyout-rights 0 "pkey_calls: reads ok 20;;pkey_calls: failures 0;;hako: pkey exited 0" \
	-- -v "$TMP/pkey.img" $HVT/pkey_calls.elf blockhold 20 + $HVT/pkey.elf hold 1 400
hv_expect pkey-net 0 "net: failures 0;;beacon: frames from net 1;;beacon: good frames 1;;hako: hello exited 0" \
	-- --net switch --name net $HVT/pkey_calls.elf net + --name beacon $HVT/pkey_calls.elf beacon \
	+ -m 8 $HVT/hello.elf

echo "hv protection keys: domains and who may call"
hv_expect domains-ok 0 "domains: entry pkru 0xc0000000;;domains: pkey_mprotect of the libOS page -1;;domains: pkru after pkey_alloc 0xc0000000;;domains: landing on the WRPKRU installed 0xfffffffc;;domains: domains ok" \
	-- $HVT/domains.elf ok
hv_expect domains-app-call 255 "hako: domains killed: hako call with PKRU 0xfffffffc, not the libOS domain's 0xc0000000;;hako: hello exited 0" \
	-- $HVT/domains.elf app-call + -m 8 $HVT/hello.elf
check hv/domains-app-call-silent 255 -n 'a call from the app' -f 'killed: hako call with PKRU' \
	-- "${hvrun[@]}" $HVT/domains.elf app-call
hv_expect domains-app-read 255 "hako: domains killed: page fault: protection key violation (rip=;;hako: hello exited 0" \
	-- $HVT/domains.elf app-read + -m 8 $HVT/hello.elf

echo "hv protection keys: a CPU without PKU"
HAKO_QEMU_CPU=max,pku=off hv_expect nopku 0 "pku 0;;pkey: failures 0;;badcall: failures 0" \
	-- -m 8 $HVT/pkey.elf nopku + -m 8 $HVT/badcall.elf
HAKO_QEMU_CPU=max,pku=off hv_expect nopku-domains-refused 255 "hako: domains failed to start: the image declares protection-key domains and this CPU has no PKU;;hako: hello exited 0" \
	-- $HVT/domains.elf ok + -m 8 $HVT/hello.elf

echo "hv protection keys: the load-time scan"
while read -r kind reason; do
	check "hv/scan-cli-$kind" 2 -f "stray-$kind.elf: $reason" -- "${hvrun[@]}" "$HVT/stray-$kind.elf"
done <<'CASES'
wrpkru WRPKRU outside a declared gate at 0x
imm WRPKRU outside a declared gate at 0x
gate WRPKRU gate with an undeclared PKRU value 0x12345678 at 0x
xrstor XRSTOR (can load PKRU) at 0x
xrstors XRSTORS at 0x
CASES
hv_expect scan-lfence-runs 0 "stray-lfence: fences ran;;hako: stray-lfence exited 0" -- $HVT/stray-lfence.elf
# The hv scans too: a bundle whose fences became WRPKRU / XRSTOR after the CLI's check.
"${hvrun[@]}" --bundle-out "$TMP/fences" $HVT/stray-lfence.elf + $HVT/hello.elf
fences=$(LC_ALL=C grep -obUaP '\x0f\xae\xe8\x0f\xae\xf0' "$TMP/fences" | head -n 1 | cut -d: -f1)
cp "$TMP/fences" "$TMP/b"; patch "$TMP/b" "$fences" '\017\001\357'
hv_expect scan-hv-wrpkru 255 "hako: stray-lfence failed to start: WRPKRU outside a declared gate at 0x;;hako: hello exited 0" \
	-- --bundle "$TMP/b"
cp "$TMP/fences" "$TMP/b"; patch "$TMP/b" "$((fences + 3))" '\017\256\057'
hv_expect scan-hv-xrstor 255 "hako: stray-lfence failed to start: XRSTOR (can load PKRU) at 0x;;hako: hello exited 0" \
	-- --bundle "$TMP/b"
