# SPDX-License-Identifier: ISC
# tests/containers: tiny test containers, one .c each -> $(BUILD)/tests/<name>.elf (included by apps/apps.mk).
TEST_CTRS := $(patsubst tests/containers/%.c,$(BUILD)/tests/%.elf,$(wildcard tests/containers/*.c))

ALL        += $(TEST_CTRS)
DEPS_FILES += $(TEST_CTRS:=.d)

$(BUILD)/tests/%.elf: tests/containers/%.c $(HAKO_CC_DEPS)
	$(call msg,HAKOCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HAKO_CC) $(APPS_CFLAGS) -MMD -MP -MF $@.d -o $@ $<
