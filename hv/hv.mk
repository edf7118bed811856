# hv: the thin hypervisor, a freestanding x86-64 kernel booted as a PVH ELF.
HV_SRCS := $(wildcard hv/*.c) lib/image.c lib/abicheck.c lib/netsrc.c lib/sanitize.c
HV_ASMS := hv/boot.S hv/entry.S
HV_OBJS := $(HV_SRCS:%.c=$(BUILD)/hv/obj/%.o) $(HV_ASMS:%.S=$(BUILD)/hv/obj/%.o)
HV_CFLAGS := -std=c11 -O2 -g $(WARN) -ffreestanding -fno-pic -mcmodel=kernel \
	-mno-red-zone -mgeneral-regs-only -fno-stack-protector -fno-builtin \
	-fcf-protection=none -fno-asynchronous-unwind-tables -nostdinc \
	-isystem $(shell $(HOSTCC) -print-file-name=include) \
	-Iinclude -Ilib -Ihv -MMD -MP
DEPS_FILES += $(HV_OBJS:.o=.d)
PROGS += $(BUILD)/hv/hako-hv.elf

$(BUILD)/hv/obj/%.o: %.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HV_CFLAGS) -c $< -o $@

$(BUILD)/hv/obj/%.o: %.S
	$(call msg,AS,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HV_CFLAGS) -c $< -o $@

$(BUILD)/hv/hako-hv.elf: $(HV_OBJS) hv/hv.ld
	$(call msg,LD,$@)
	$(Q)$(HOSTCC) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
		-Wl,-z,noexecstack -T hv/hv.ld -o $@ $(HV_OBJS)

# Test containers for the hv (tests/hv): freestanding, no libOS.
HVT_NAMES := hello fault badcall sched pkey pkey_calls domains probe
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
