# SPDX-License-Identifier: ISC
# lib: code shared by the host tools and the hypervisor (freestanding C).
LIB_SRCS := lib/image.c lib/sanitize.c
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/host/%.o)
DEPS_FILES += $(LIB_OBJS:.o=.d)

$(BUILD)/host/%.o: %.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@
