# SPDX-License-Identifier: ISC
# libos files: lib/hfs.c (the image parser shared with hako-mkfs) goes into libhako.a too.
# So does the writable volume's engine (lib/wfs*.c).
HFS_LIBOS_OBJ := $(LIBOS_OUT)/lib/hfs.o $(LIBOS_OUT)/lib/wfs.o $(LIBOS_OUT)/lib/wfs_tree.o \
		 $(LIBOS_OUT)/lib/wfs_data.o

$(HFS_LIBOS_OBJ): $(LIBOS_OUT)/lib/%.o: lib/%.c | $(MUSL_LIBC)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(LIBOS_CFLAGS) -Ilib -c -o $@ $<

$(LIBOS_OUT)/fs.o $(LIBOS_OUT)/fs_%.o: LIBOS_CFLAGS += -Ilib
$(LIBOS_OUT)/libhako.a: $(HFS_LIBOS_OBJ)
DEPS_FILES += $(HFS_LIBOS_OBJ:.o=.d)
