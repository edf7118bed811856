# SPDX-License-Identifier: ISC
# tools/mkfs: hako-mkfs, the read-only file system image builder (also `hako mkfs`).
HAKO_MKFS  := $(BUILD)/bin/hako-mkfs
MKFS_OBJS  := $(BUILD)/host/tools/mkfs.o $(BUILD)/host/lib/hfs.o $(BUILD)/host/tools/mkfs_wfs.o \
	      $(BUILD)/host/lib/wfs.o $(BUILD)/host/lib/wfs_tree.o $(BUILD)/host/lib/wfs_data.o
PROGS      += $(HAKO_MKFS)
DEPS_FILES += $(MKFS_OBJS:.o=.d) $(BUILD)/host/tools/mkfs_main.d

$(HAKO_MKFS): $(BUILD)/host/tools/mkfs_main.o $(MKFS_OBJS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -o $@ $^

# The hako CLI's `mkfs` subcommand is the same code.
$(BUILD)/bin/hako: $(MKFS_OBJS)
