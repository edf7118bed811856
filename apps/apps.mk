# SPDX-License-Identifier: ISC
# apps: example containers, built with hako-cc (apps/<name>/*.c -> $(BUILD)/apps/<name>.elf).
APPS_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g $(WARN)
APPS        := $(patsubst apps/%/,$(BUILD)/apps/%.elf,$(sort $(dir $(wildcard apps/*/*.c))))

PROGS      += $(APPS)
DEPS_FILES += $(APPS:=.d)

# Each app's sources are apps/<name>/*.c: listed per app, one recipe for all.
$(foreach a,$(APPS),$(eval $(a): $(wildcard $(a:$(BUILD)/apps/%.elf=apps/%)/*.c)))
$(BUILD)/apps/%.elf: $(HAKO_CC_DEPS)
	$(call msg,HAKOCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HAKO_CC) $(APPS_CFLAGS) -MMD -MP -MF $@.d -o $@ $(filter %.c,$^)

# The demo web server's pages: apps/site/ (no C: not an app) -> $(BUILD)/site.img.
PROGS += $(BUILD)/site.img
$(BUILD)/site.img: $(shell find apps/site -type d -printf '%p/.\n' -o -print) $(HAKO_MKFS)
	$(call msg,MKFS,$@)
	$(Q)$(HAKO_MKFS) apps/site $@
