# SPDX-License-Identifier: ISC
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
