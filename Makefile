# SPDX-License-Identifier: ISC
# hako: one make for everything. `make V=1` shows full commands.
#
#   make            build everything: the programs below, tests, fuzz targets, benchmarks
#   make progs      build only what users and the demo run: the CLI, libOS and hako-cc,
#                   hypervisor, apps and the sample site (no test-only packages needed)
#   make test       install what the tests need, build, run every test
#   make demo       install what the demo needs, build, run it
#   make bench      run the benchmarks under bench/
#   make fuzz       run every fuzz target for long (FUZZ_TIME seconds each, default 600)
#   make format-check  the style and license checks CI runs (scripts/format-check)
#   make host       what HOSTCC builds alone (CI: also with HOSTCC=clang)
#
# Each module adds its rules in its own fragment (<dir>/<dir>.mk), its programs
# to PROGS and its tests and benchmarks to ALL; everything built lands in $(BUILD).
# scripts/deps installs the Debian packages of each command (scripts/check-deps
# proves the lists right: .ci/run).

BUILD ?= build
TOP   := $(CURDIR)
V     ?= 0
ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-7s %s\n' '$(1)' '$(2)';
endif

HOSTCC ?= gcc
WARN   := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	  -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wwrite-strings -Wno-unused-parameter
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) -Iinclude -Ilib -MMD -MP

ALL :=
PROGS :=
DEPS_FILES :=

.PHONY: all progs test demo bench fuzz crash clean
all: deps-all
progs: deps-build

include lib/lib.mk
include libos/libos.mk
include tools/tools.mk
include apps/apps.mk
include hv/hv.mk
include tests/tests.mk
include bench/bench.mk

ALL += $(PROGS)
all: $(ALL)
progs: $(PROGS)

deps-build:
	$(Q)scripts/deps build
deps-all:
	$(Q)scripts/deps all

test:
	$(Q)scripts/deps test
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/run

demo:
	$(Q)scripts/deps demo
	$(Q)$(MAKE) --no-print-directory progs
	$(Q)scripts/demo

bench:
	$(Q)scripts/deps bench
	$(Q)$(MAKE) --no-print-directory all
	$(Q)bench/run

FUZZ_TIME ?= 600
fuzz: deps-all
	$(Q)$(MAKE) --no-print-directory fuzz-build
	$(Q)tests/fuzz/run $(FUZZ_TIME)

# The writable file system's crash test at length (the suite runs 40 and 10 kills).
CRASH_PROC ?= 300
CRASH_HV   ?= 100
crash:
	$(Q)scripts/deps test
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/fs_crash.sh proc $(CRASH_PROC)
	$(Q)tests/fs_crash.sh hv $(CRASH_HV)

# What HOSTCC builds alone (no libOS, no hako-cc): the CLI and its tools, the
# hypervisor and its test containers, the unit tests. CI builds it with clang too:
#   make BUILD=build/clang HOSTCC=clang host
HOST_ONLY = $(BUILD)/bin/hako $(HAKO_SCAN) $(HAKO_MKFS) $(BUILD)/hv/hako-hv.elf $(HVT_ELFS) \
	    $(UNIT_TESTS)
.PHONY: host
host: $(HOST_ONLY)

# The style and license checks (scripts/format-check; CI runs them). Only the files
# of scripts/format-files are held to .clang-format, and with FORMAT_BASE=REV the
# C files changed since REV.
.PHONY: format-check
format-check:
	$(Q)FORMAT_BASE=$(FORMAT_BASE) scripts/format-check

clean:
	rm -rf $(BUILD)

.PHONY: deps-build deps-all
-include $(DEPS_FILES)
