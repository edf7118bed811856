# tests: unit tests (cmocka, host, under ASan/UBSan) and test-only host programs.
UNIT_CFLAGS := $(filter-out -O2,$(HOST_CFLAGS)) -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_*.c))
ALL += $(UNIT_TESTS) $(BUILD)/tests/host_static
DEPS_FILES += $(UNIT_TESTS:=.d)

# Each unit test links the module it tests: test_<module> gets lib/<module>.c.
$(BUILD)/tests/unit/test_%: tests/unit/test_%.c lib/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -MF $@.d -o $@ $^ -lcmocka

# An ordinary static Linux program: a valid ELF that is not a container.
$(BUILD)/tests/host_static: tests/host_static.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -static -no-pie -O2 -o $@ $<

include tests/containers/containers.mk
