# libos files: lib/hfs.c (the image parser shared with hako-mkfs) goes into libhako.a too.
HFS_LIBOS_OBJ := $(LIBOS_OUT)/lib/hfs.o

$(HFS_LIBOS_OBJ): lib/hfs.c | $(MUSL_LIBC)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(LIBOS_CFLAGS) -Ilib -c -o $@ $<

$(LIBOS_OUT)/fs.o: LIBOS_CFLAGS += -Ilib
$(LIBOS_OUT)/libhako.a: $(HFS_LIBOS_OBJ)
DEPS_FILES += $(HFS_LIBOS_OBJ:.o=.d)
