# SPDX-License-Identifier: ISC
# tests/hv: the hv's test containers, freestanding, no libOS: one per .c file
# (ct.c is the runtime they share; stray.c makes several).
HVT_NAMES := $(filter-out ct stray,$(basename $(notdir $(wildcard tests/hv/*.c))))
# Images for the load-time scan: each kind of stray PKRU write, and fences only.
HVT_STRAY := wrpkru imm gate xrstor xrstors lfence
HVT_ELFS := $(HVT_NAMES:%=$(BUILD)/tests/hv/%.elf) $(HVT_STRAY:%=$(BUILD)/tests/hv/stray-%.elf)
HVT_CFLAGS := -std=c11 -O2 $(WARN) -ffreestanding -fno-pic -fno-stack-protector \
	-fcf-protection=none -fno-asynchronous-unwind-tables -Iinclude -MMD -MP
HVT_LDFLAGS := -static -nostdlib -no-pie -Wl,--build-id=none -Wl,-z,separate-code \
	-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,-Ttext-segment=0x400000
DEPS_FILES += $(HVT_ELFS:.elf=.d) $(BUILD)/tests/hv/ct.d
ALL += $(HVT_ELFS)
.PRECIOUS: $(BUILD)/tests/hv/%.o

$(BUILD)/tests/hv/%.o: tests/hv/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HVT_CFLAGS) -c $< -o $@

$(BUILD)/tests/hv/%.elf: $(BUILD)/tests/hv/%.o $(BUILD)/tests/hv/ct.o
	$(call msg,LD,$@)
	$(Q)$(HOSTCC) $(HVT_LDFLAGS) -o $@ $^

# A static pattern: only these objects come from stray.c.
$(HVT_STRAY:%=$(BUILD)/tests/hv/stray-%.o): $(BUILD)/tests/hv/stray-%.o: tests/hv/stray.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HVT_CFLAGS) -DSTRAY_$* -c $< -o $@
