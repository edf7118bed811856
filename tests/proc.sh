# SPDX-License-Identifier: ISC
# Tests of the proc platform and the CLI; sourced by tests/run.
run=("$HAKO" run --platform proc)
KILLED=255

echo "proc platform"
check proc/hello 0 -e '^hello: hello from hako$' -e '^hello: argv\[1\] = one$' -e '^hello: argv\[2\] = two words$' \
	-- "${run[@]}" "$B/apps/hello.elf" one "two words"
check proc/exit-0 0 -- "${run[@]}" "$T/exit_status.elf" 0
check proc/exit-3 3 -- "${run[@]}" "$T/exit_status.elf" 3
check proc/exit-200 200 -- "${run[@]}" "$T/exit_status.elf" 200
check proc/argv 0 -e '^args: argc = 4$' -e '^args: argv\[0\] = args$' -e '^args: argv\[1\] = a$' \
	-e '^args: argv\[2\] = b c$' -e '^args: argv\[3\] = --flag$' -- "${run[@]}" "$T/args.elf" a "b c" --flag
check proc/name-and-env 0 -e '^box1: argv\[0\] = box1$' -e '^box1: env GREETING=hi there$' \
	-- "${run[@]}" --name box1 -e "GREETING=hi there" "$T/args.elf"
check proc/malloc-stress 0 -e '^malloc_stress: malloc_stress ok' -- "${run[@]}" "$T/malloc_stress.elf"
check proc/malloc-quota 0 -e '^malloc_stress: malloc_stress ok' -- "${run[@]}" -m 8M "$T/malloc_stress.elf"
check proc/tls 0 -e '^tls: tls ok$' -- "${run[@]}" "$T/tls.elf"
check proc/time 0 -e '^time_sleep: time ok' -- "${run[@]}" "$T/time_sleep.elf"
check proc/abort 134 -- "${run[@]}" "$T/abort.elf"
check proc/panic 250 -e '^panic: panic: test panic 42$' -- "${run[@]}" "$T/panic.elf"
check proc/libos-basics 0 -e '^libos_basics: libos_basics ok$' -- "${run[@]}" "$T/libos_basics.elf"
check proc/enosys-counted 0 -e '^enosys: hako-libos: unsupported syscalls: .*fork x1' \
	-- "${run[@]}" "$T/enosys.elf"

echo "proc isolation (each bad thing is tried and stopped)"
check proc/raw-syscall-killed $KILLED \
	-e '^hako: raw_syscall killed: forbidden host syscall \(openat 257, rip=0x[0-9a-f]+\)$' \
	-n 'opened' -- "${run[@]}" "$T/raw_syscall.elf"
check proc/null-deref-killed $KILLED \
	-e '^hako: null_deref killed: page fault: address not mapped \(rip=0x[0-9a-f]+, addr=0x0, read\)$' \
	-n 'survived' -- "${run[@]}" "$T/null_deref.elf"
check proc/write-code-killed $KILLED \
	-e '^hako: write_code killed: page fault: write to read-only page \(rip=0x[0-9a-f]+, addr=0x4[0-9a-f]+, write\)$' \
	-n 'survived' -- "${run[@]}" "$T/write_code.elf"
check proc/exec-heap-killed $KILLED \
	-e '^hako: exec_heap killed: page fault: execute NX page \(rip=0x[0-9a-f]+, addr=0x[0-9a-f]+, execute\)$' \
	-n 'survived' -- "${run[@]}" "$T/exec_heap.elf"
check proc/stack-overflow-killed $KILLED \
	-e '^hako: stack_overflow killed: stack overflow: page fault in the guard below the stack' \
	-n 'survived' -- "${run[@]}" "$T/stack_overflow.elf"

# forge_expect NAME: what the forge container (tests/containers/forge.c) must
# come out as on either platform, run as NAME: every line its own, prefixed,
# controls neutralized, UTF-8 kept; no line that reads as the platform's.
forge_expect() {
	local n=$1 fffd=$'\xef\xbf\xbd' euro=$'\xe2\x82\xac'
	forged=(-e "^$n: hako: web killed: page fault" -e "^$n: hako: $n killed: forged$"
		-f "$n: clear?[2J?[Hscreen" -f "$n: title?]0;pwned?" -f "$n: clipboard?]52;c;ZWNobyBvd25lZA==?"
		-f "$n: csi8${fffd}2J c1?2J" -f "$n: over?hako: web exited 0" -f "$n: utf8 caf"$'\xc3\xa9'" $euro ok"
		-f "$n: split $euro across writes" -e "^$n: forge done$"
		-n '^hako: web' -n "^hako: $n killed" -p no_terminal_controls)
}
# On proc the container can also write to the host's stdout and stderr itself (the
# tender's channels): those bytes are the container's lines too.
forge_expect forge
check proc/output-cannot-forge 0 "${forged[@]}" -f 'forge: hako: web killed: raw stdout?[2J' \
	-e '^forge: hako: forge killed: raw stderr$' -- "${run[@]}" "$T/forge.elf" raw

echo "bad input (one clear line, non-zero exit)"
head -c 300 "$B/apps/hello.elf" >"$TMP/truncated.elf"
printf 'not an elf at all' >"$TMP/text.elf"
check cli/unknown-flag 2 -e "^hako: run: unknown option '--bogus'" -- "$HAKO" run --bogus x
check cli/unknown-command 2 -e "^hako: unknown command 'frobnicate'" -- "$HAKO" frobnicate
check cli/no-image 2 -e '^hako: run: no IMAGE given' -- "$HAKO" run
check cli/bad-memory 2 -e "^hako: bad memory size '12Q'" -- "$HAKO" run -m 12Q "$B/apps/hello.elf"
check cli/bad-name 2 -e "^hako: bad container name 'a/b'" -- "$HAKO" run --name a/b "$B/apps/hello.elf"
check cli/bad-platform 2 -e "^hako: unknown platform 'xen'" -- "$HAKO" run --platform xen "$B/apps/hello.elf"
check cli/missing-image 2 -e '^hako: /nonexistent.elf: cannot open: No such file' \
	-- "${run[@]}" /nonexistent.elf
check cli/not-elf 2 -e 'text.elf: not an ELF file$' -- "${run[@]}" "$TMP/text.elf"
check cli/truncated-image 2 -e 'truncated.elf: .*outside the file \(truncated\?\)$' \
	-- "${run[@]}" "$TMP/truncated.elf"
check cli/not-a-container 2 -e 'host_static: not a hako container' -- "${run[@]}" "$T/host_static"
check cli/directory 2 -e ': not a regular file$' -- "${run[@]}" "$T"
check cli/missing-value 2 -e "^hako: run: option '--name' needs a value$" -- "$HAKO" run --name
check cli/reserved-name 2 -e "^hako: bad container name 'hako'" -- "$HAKO" run --name hako "$B/apps/hello.elf"
