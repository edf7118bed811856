# SPDX-License-Identifier: ISC
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

# Pure hv modules too: test_hv_<module> gets hv/<module>.c (the shorter stem wins over test_%).
$(BUILD)/tests/unit/test_hv_%: tests/unit/test_hv_%.c hv/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -Ihv -MF $@.d -o $@ $^ -lcmocka
# ... and the lib/ modules they use.
$(BUILD)/tests/unit/test_hv_switch: lib/netsrc.c

# The CLI tests' helper (tests/cli.sh): holds a port, writes to the hv's control socket.
ALL += $(BUILD)/tests/cli_helper
$(BUILD)/tests/cli_helper: tests/cli_helper.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -MF $@.d -o $@ $<
DEPS_FILES += $(BUILD)/tests/cli_helper.d

# An ordinary static Linux program: a valid ELF that is not a container.
$(BUILD)/tests/host_static: tests/host_static.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -static -no-pie -O2 -o $@ $<

# The host side of the network tests (tests/net.sh): echo clients that check every byte.
ALL += $(BUILD)/tests/net_client
$(BUILD)/tests/net_client: tests/net_client.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -MF $@.d -o $@ $<
DEPS_FILES += $(BUILD)/tests/net_client.d

# The web server tests' hostile and heavy clients (tests/httpd.sh, bench/run).
ALL += $(BUILD)/tests/http_load
$(BUILD)/tests/http_load: tests/http_load.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -MF $@.d -o $@ $<
DEPS_FILES += $(BUILD)/tests/http_load.d

# The file system tests' image (tests/fs.sh): tests/fs/ with one fixed mtime.
ALL += $(BUILD)/tests/fs.img
$(BUILD)/tests/fs.img: $(shell find tests/fs -type d -printf '%p/.\n' -o -print) $(HAKO_MKFS)
	$(call msg,MKFS,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HAKO_MKFS) --mtime 1700000000 tests/fs $@

include tests/containers/containers.mk
include tests/hv/hv.mk
include tests/fuzz/fuzz.mk

# The web server's request parser: test_httpd_<module> gets apps/httpd/<module>.c.
$(BUILD)/tests/unit/test_httpd_%: tests/unit/test_httpd_%.c apps/httpd/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -Iapps/httpd -MF $@.d -o $@ $^ -lcmocka

# The writable file system's engine is three files.
$(BUILD)/tests/unit/test_wfs: lib/wfs_tree.c lib/wfs_data.c

# The hv platform's host half: test_hvhost_<module> gets tools/hv/<module>.c.
$(BUILD)/tests/unit/test_hvhost_%: tests/unit/test_hvhost_%.c tools/hv/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -Itools -MF $@.d -o $@ $^ -lcmocka
