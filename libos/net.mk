# SPDX-License-Identifier: ISC
# libos/net: lwIP from Debian's source and the libOS's socket layer, both into libhako.a.
#
# lwIP is built as its raw API only (NO_SYS=1, libos/net/lwipopts.h); the
# sockets apps use are the libOS's own (libos/net/*.c, see
# docs/architecture.md "libOS networking").

LWIP_SRC    := $(BUILD)/third_party/lwip
LWIP_STAMP  := $(LWIP_SRC)/.unpacked
LWIP_OUT    := $(LIBOS_OUT)/lwip
LWIP_CORE   := init def inet_chksum ip mem memp netif pbuf tcp tcp_in tcp_out timeouts udp \
	       ipv4/dhcp ipv4/etharp ipv4/icmp ipv4/ip4 ipv4/ip4_addr ipv4/ip4_frag
LWIP_OBJS   := $(LWIP_CORE:%=$(LWIP_OUT)/core/%.o) $(LWIP_OUT)/netif/ethernet.o
LWIP_INC    := -Ilibos/net -isystem $(LWIP_SRC)/src/include
NET_SRCS    := $(wildcard libos/net/*.c)
NET_OBJS    := $(NET_SRCS:libos/net/%.c=$(LIBOS_OUT)/net/%.o)

$(LWIP_STAMP): scripts/sources.lock
	$(Q)scripts/fetch-source lwip $(abspath $(LWIP_SRC))
	$(Q)touch $@
# The sources come with the stamp; precious, or make would delete them as intermediates.
$(LWIP_SRC)/src/%.c: | $(LWIP_STAMP) ;
.PRECIOUS: $(LWIP_SRC)/src/%.c

# Third-party code: its own warnings are not ours to fix (-w); our options
# header and glue are checked with ours when the socket layer includes them.
$(LWIP_OUT)/%.o: $(LWIP_SRC)/src/%.c $(LWIP_STAMP) libos/net/lwipopts.h libos/net/arch/cc.h | $(MUSL_LIBC)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(filter-out -MMD -MP -g,$(LIBOS_CFLAGS)) -g0 -w $(LWIP_INC) -c -o $@ $<

$(LIBOS_OUT)/net/%.o: libos/net/%.c $(LWIP_STAMP) | $(MUSL_LIBC) $(LIBOS_OUT)/sysnames.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(LIBOS_CFLAGS) $(LWIP_INC) -c -o $@ $<

# Into the one libOS archive, so hako-cc's link line stays as it is.
$(LIBOS_OUT)/libhako.a: $(LWIP_OBJS) $(NET_OBJS)

DEPS_FILES += $(NET_OBJS:.o=.d)
