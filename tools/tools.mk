# SPDX-License-Identifier: ISC
# tools: the hako command line (the CLI core here), the proc platform (tools/proc/) and the
# hv platform's host half (tools/hv/); host C.
HAKO_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

TOOLS_SRCS := tools/hako.c tools/cli.c tools/spec.c tools/run.c tools/state.c tools/super.c \
	      tools/ps.c tools/stop.c tools/compose.c tools/up.c tools/output.c \
	      tools/hv/spec.c tools/hv/net.c tools/hv/disks.c tools/hv/boot.c tools/hv/console.c \
	      tools/hv/qemu.c tools/hv/bundle.c \
	      tools/proc/opts.c tools/proc/tender.c tools/proc/devices.c tools/proc/handoff.c \
	      tools/proc/protect.c
# The container side (and the shared ABI checks it calls) runs on the container's
# stack and FS base: no libc, no canary.
TOOLS_FREE := tools/proc/calls.c tools/proc/umem.c tools/proc/block.c tools/proc/net.c \
	      tools/proc/net_order.c tools/proc/pkey.c tools/proc/seal.c lib/abicheck.c lib/netsrc.c
TOOLS_OBJS := $(TOOLS_SRCS:%.c=$(BUILD)/host/%.o) $(TOOLS_FREE:%.c=$(BUILD)/host/%.o) $(LIB_OBJS)
DEPS_FILES += $(TOOLS_OBJS:.o=.d)
PROGS += $(BUILD)/bin/hako

# tools/proc and tools/hv reach the CLI core's headers (spec.h, cli.h) by name.
$(BUILD)/host/tools/%.o: HOST_CFLAGS += -Itools
$(BUILD)/host/tools/hako.o: HOST_CFLAGS += -DHAKO_VERSION='"$(HAKO_VERSION)"'
# No memcpy/memset calls may be synthesised from loops either. Its code goes
# to section hako_ctext, all of it (no .text.unlikely split): the only tender
# code left executable once the container runs (protect.c). gcc needs telling;
# clang makes no such calls under -fno-builtin and splits no .text.
ifeq ($(findstring clang,$(shell $(HOSTCC) --version 2>/dev/null)),)
TOOLS_FREE_GCC := -fno-tree-loop-distribute-patterns -fno-reorder-functions \
	-fno-reorder-blocks-and-partition
endif
$(TOOLS_FREE:%.c=$(BUILD)/host/%.o): HOST_CFLAGS += -ffreestanding -fno-stack-protector \
	-fno-stack-clash-protection -fcf-protection=none -fno-builtin $(TOOLS_FREE_GCC)
$(TOOLS_FREE:%.c=$(BUILD)/host/%.o): $(BUILD)/host/%.o: %.c tools/tools.mk
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@.tmp
	$(Q)objcopy --rename-section .text=hako_ctext,alloc,load,readonly,code,contents \
		--set-section-alignment .text=4096 $@.tmp $@ && rm -f $@.tmp

# The container side calls only itself: a call out of it (a memset a compiler
# made of a zero-fill, say) would land in libc code the seal made non-executable.
TOOLS_FREE_OBJS := $(TOOLS_FREE:%.c=$(BUILD)/host/%.o)
$(BUILD)/host/ctext.checked: $(TOOLS_FREE_OBJS)
	$(call msg,CHECK,$@)
	$(Q)nm -u $^ | awk 'NF == 2 { print $$2 }' | sort -u >$@.u
	$(Q)nm -g --defined-only $^ | awk 'NF == 3 { print $$3 }' | sort -u >$@.d
	$(Q)out=$$(comm -23 $@.u $@.d); rm -f $@.u $@.d; [ -z "$$out" ] || \
		{ echo "tools: the container side calls out of itself:" $$out >&2; exit 1; }
	$(Q)touch $@

# The seccomp filter is built with libseccomp at build time (filter.c).
# (libseccomp's SCMP_A* macros leave a field of their comparisons out.)
$(BUILD)/host/filter-gen: tools/proc/filter.c tools/proc/dev.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Wno-missing-field-initializers -o $@ $< -lseccomp
$(BUILD)/host/gen/proc_filter.h: $(BUILD)/host/filter-gen
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$< >$@.tmp && mv $@.tmp $@
$(BUILD)/host/tools/proc/tender.o: $(BUILD)/host/gen/proc_filter.h
$(BUILD)/host/tools/proc/tender.o: HOST_CFLAGS += -I$(BUILD)/host/gen

# Static PIE: no dynamic loader work at start, and nothing of the tender
# lands in the container image range.
$(BUILD)/bin/hako: $(TOOLS_OBJS) | $(BUILD)/host/ctext.checked
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -static-pie -o $@ $^

# hako-scan: the image check hako-cc runs after linking (lib/image.c, as the platforms).
HAKO_SCAN := $(BUILD)/bin/hako-scan
ALL += $(HAKO_SCAN)
DEPS_FILES += $(BUILD)/host/tools/scan.d
$(HAKO_SCAN): $(BUILD)/host/tools/scan.o $(LIB_OBJS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -o $@ $^

include tools/mkfs.mk
