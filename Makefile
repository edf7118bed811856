# hako: one make for everything. `make V=1` shows full commands.
#
#   make            build the CLI, libOS, hypervisor, apps and test containers
#   make test       install what the tests need, build, run every test
#   make demo       install what the demo needs, build, run it
#   make bench      run the benchmarks under bench/
#
# Each module adds its rules in its own fragment (<dir>/<dir>.mk) and its
# outputs to ALL; everything built lands in $(BUILD).

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
	  -Wmissing-prototypes -Wpointer-arith -Wno-unused-parameter
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) -Iinclude -Ilib -MMD -MP

ALL :=
DEPS_FILES :=

.PHONY: all test demo bench crash clean deps
all: deps-build

include lib/lib.mk
include libos/libos.mk
include tools/tools.mk
include apps/apps.mk
include hv/hv.mk
include tests/tests.mk
include bench/bench.mk

all: $(ALL)

deps-build:
	$(Q)scripts/deps build

test:
	$(Q)scripts/deps test
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/run

demo:
	$(Q)scripts/deps demo
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo

bench:
	$(Q)scripts/deps bench
	$(Q)$(MAKE) --no-print-directory all
	$(Q)bench/run

# The writable file system's crash test at length (the suite runs 40 and 10 kills).
CRASH_PROC ?= 300
CRASH_HV   ?= 100
crash:
	$(Q)scripts/deps test
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/fs_crash.sh proc $(CRASH_PROC)
	$(Q)tests/fs_crash.sh hv $(CRASH_HV)

clean:
	rm -rf $(BUILD)

.PHONY: deps-build
-include $(DEPS_FILES)
