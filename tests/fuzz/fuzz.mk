# SPDX-License-Identifier: ISC
# tests/fuzz: libFuzzer targets (clang, ASan, UBSan), one per parser of hostile input.
#   $(BUILD)/tests/fuzz/<target>, seed corpus tests/fuzz/<target>/; run by tests/fuzz.sh
#   (seconds, in tests/run) and tests/fuzz/run (`make fuzz`, long).
FUZZ_CC      ?= clang
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -O1 -g $(WARN) -Iinclude -Ilib -Itests/fuzz \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TARGETS := image hfs bundle compose http virtq
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/%)
ALL        += $(FUZZ_BINS)
DEPS_FILES += $(FUZZ_BINS:=.d)

# What each target links besides its harness; hv code is built for the host.
$(BUILD)/tests/fuzz/image:   lib/image.c
$(BUILD)/tests/fuzz/hfs:     lib/hfs.c
$(BUILD)/tests/fuzz/bundle:  hv/bundle.c lib/image.c
$(BUILD)/tests/fuzz/compose: tools/compose.c tools/cli.c tools/spec.c lib/image.c lib/sanitize.c
$(BUILD)/tests/fuzz/http:    apps/httpd/http.c
$(BUILD)/tests/fuzz/virtq:   hv/virtio.c
$(BUILD)/tests/fuzz/bundle $(BUILD)/tests/fuzz/virtq: FUZZ_CFLAGS += -Ihv -fno-builtin
$(BUILD)/tests/fuzz/compose: FUZZ_CFLAGS += -Itools
$(BUILD)/tests/fuzz/http:    FUZZ_CFLAGS += -Iapps/httpd

$(BUILD)/tests/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -MF $@.d -o $@ $(filter %.c,$^)

.PHONY: fuzz-build
fuzz-build: $(FUZZ_BINS)
