# SPDX-License-Identifier: ISC
# bench: benchmark programs (host) and benchmark containers.
BENCH_TOOLS := $(BUILD)/bench/start_proc $(BUILD)/bench/exec_baseline $(BUILD)/bench/syscall_host $(BUILD)/bench/netbench
BENCH_CTRS  := $(patsubst bench/containers/%.c,$(BUILD)/bench/%.elf,$(wildcard bench/containers/*.c))
ALL += $(BENCH_TOOLS) $(BENCH_CTRS)

$(BUILD)/bench/%: bench/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $<

$(BUILD)/bench/exec_baseline: bench/exec_baseline.c
	$(call msg,CC,$@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -static-pie -o $@ $<

$(BUILD)/bench/%.elf: bench/containers/%.c $(HAKO_CC_DEPS)
	$(call msg,HAKOCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HAKO_CC) -O2 -o $@ $<
