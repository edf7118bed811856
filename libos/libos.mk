# SPDX-License-Identifier: ISC
# libos: musl from Debian's source with hako's overlay, the libOS runtime, hako-cc.
#
# Outputs:
#   $(BUILD)/musl/{include,lib/libc.a}   musl, every `syscall` turned into a call
#   $(BUILD)/libos/crt0.o                _start and the ABI note
#   $(BUILD)/libos/libhako.a             the libOS: Linux-syscall layer, memory, start
#   $(BUILD)/libos/include/hako/         headers for apps (hako.h, abi.h)
#   $(BUILD)/bin/hako-cc                 the compiler driver for containers (runs bin/hako-scan)

MUSL_SRC     := $(BUILD)/third_party/musl
MUSL_OUT     := $(BUILD)/musl
MUSL_LOG     := $(BUILD)/musl/build.log
MUSL_STAMP   := $(BUILD)/musl/.unpacked
MUSL_LIBC    := $(MUSL_OUT)/lib/libc.a
MUSL_OVERLAY := $(shell find libos/musl -type f ! -name REMOVE)

# The unpacked tree is thrown away and rebuilt whenever the pin or the
# overlay changes, so an edit to the overlay can never half-apply.
$(MUSL_STAMP): scripts/sources.lock libos/musl/REMOVE $(MUSL_OVERLAY)
	$(Q)mkdir -p $(MUSL_OUT)
	$(Q)scripts/fetch-source musl $(abspath $(MUSL_SRC))
	$(Q)sed -e '/^#/d' -e '/^$$/d' -e 's|^|$(MUSL_SRC)/|' libos/musl/REMOVE | xargs rm -f
	$(Q)cd libos/musl && find . -type f ! -name REMOVE -exec cp --parents {} $(abspath $(MUSL_SRC))/ \;
	$(Q)cd $(MUSL_SRC) && AR=ar RANLIB=ranlib ./configure --disable-shared --target=x86_64 \
		--prefix=$(abspath $(MUSL_OUT)) CC=$(HOSTCC) CFLAGS=-fno-pie >$(abspath $(MUSL_LOG)) 2>&1 \
		|| { tail -n 20 $(abspath $(MUSL_LOG)) | cut -c1-300; exit 1; }
	$(Q)touch $@

# An instruction that enters the kernel (objdump's mnemonic column).
SYSCALL_INSN := '[[:space:]](syscall|sysenter|int[[:space:]]+\$$0x80)[[:space:]]*$$'

# The objdump check is part of the rule: a `syscall` slipping back into
# libc.a (a new .s file upstream, a bad overlay) fails the build.
$(MUSL_LIBC): $(MUSL_STAMP)
	@printf '  %-7s %s\n' MUSL 'building libc (~30 s)'
	$(Q)MAKEFLAGS= scripts/progress MUSL $(MUSL_LOG) ' -c -o obj/src/' \
		$(MAKE) -C $(MUSL_SRC) -j2 lib/libc.a install-headers \
		|| { tail -n 30 $(MUSL_LOG) | cut -c1-300; exit 1; }
	$(Q)if objdump -d $(MUSL_SRC)/lib/libc.a | grep -E -B8 $(SYSCALL_INSN) >$(MUSL_OUT)/syscall.txt; then \
		echo "libos: musl libc.a still enters the kernel directly:"; \
		tail -n 12 $(MUSL_OUT)/syscall.txt; exit 1; fi
	$(Q)mkdir -p $(@D) && cp $(MUSL_SRC)/lib/libc.a $@

# --- the libOS runtime ---------------------------------------------------------

LIBOS_OUT    := $(BUILD)/libos
LIBOS_INC    := $(LIBOS_OUT)/include/hako
GCC_INC      := $(shell $(HOSTCC) -print-file-name=include)
LIBOS_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) -nostdinc \
		-isystem $(MUSL_OUT)/include -isystem $(GCC_INC) -Iinclude -Ilibos \
		-fno-pie -fno-stack-protector -ffunction-sections -MMD -MP
LIBOS_SRCS   := $(wildcard libos/*.c)
LIBOS_OBJS   := $(LIBOS_SRCS:libos/%.c=$(LIBOS_OUT)/%.o)
LIBOS_HDRS   := $(LIBOS_INC)/abi.h $(LIBOS_INC)/hako.h

# Syscall names for the "unsupported syscalls" line, from musl's own table.
$(LIBOS_OUT)/sysnames.h: $(MUSL_LIBC)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed -n 's/^#define SYS_\([a-z0-9_]*\)[[:space:]]*\([0-9][0-9]*\)$$/\2 \1/p' \
		$(MUSL_OUT)/include/bits/syscall.h | sort -n -u -k1,1 | \
		awk '{ printf "[%s] = \"%s\",\n", $$1, $$2 }' >$@

$(LIBOS_OUT)/%.o: libos/%.c | $(MUSL_LIBC) $(LIBOS_OUT)/sysnames.h
	$(call msg,CC,$@)
	$(Q)$(HOSTCC) $(LIBOS_CFLAGS) -I$(LIBOS_OUT) -c -o $@ $<

$(LIBOS_OUT)/crt0.o: libos/start.S | $(MUSL_LIBC)
	$(call msg,AS,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(LIBOS_CFLAGS) -c -o $@ $<

$(LIBOS_OUT)/libhako.a: $(LIBOS_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBOS_INC)/%.h: include/hako/%.h
	$(Q)mkdir -p $(@D) && cp $< $@

$(BUILD)/bin/hako-cc: libos/hako-cc.in
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's|@CC@|$(HOSTCC)|g' $< >$@.tmp && chmod +x $@.tmp && mv $@.tmp $@

# Everything a container link needs; apps depend on this list.
HAKO_CC      := $(BUILD)/bin/hako-cc
HAKO_CC_DEPS := $(HAKO_CC) $(BUILD)/bin/hako-scan $(MUSL_LIBC) $(LIBOS_OUT)/crt0.o \
		$(LIBOS_OUT)/libhako.a $(LIBOS_HDRS)

PROGS      += $(HAKO_CC_DEPS)
DEPS_FILES += $(LIBOS_OBJS:.o=.d) $(LIBOS_OUT)/crt0.d

include libos/net.mk
include libos/fs.mk
