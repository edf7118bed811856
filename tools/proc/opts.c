/* SPDX-License-Identifier: ISC */
/* proc platform, hako's side: a container spec checked for this platform, as the tender's options. */
#include "proc.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "spec.h"

/* passt's default plan, the same as QEMU's user networking: easy to recognise. */
#define PASST_ADDR "10.0.2.15"
#define PASST_BITS 24

static uint32_t mask_of(int bits)
{
	return htonl(bits ? ~0u << (32 - bits) : 0);
}

/* passt's defaults and what must fit together; NULL or why not. */
static const char *plan(const struct spec *s, struct proc_opts *o)
{
	int ip_set = s->ip == SPEC_IP_STATIC;
	uint32_t net;

	if (o->nports && o->net == PROC_NET_NONE)
		o->net = PROC_NET_PASST; /* -p alone means "publish through passt" */
	if (o->nports && o->net != PROC_NET_PASST)
		return "-p needs the passt network, not a TAP device";
	if ((ip_set || s->gw_set || o->dhcp) && o->net == PROC_NET_NONE)
		return "--ip and --gw need a network (--net)";
	if (o->dhcp && o->net != PROC_NET_PASST)
		return "--ip dhcp needs passt, whose DHCP server answers (--net passt or -p)";
	if (o->net != PROC_NET_PASST)
		return NULL;
	if (!ip_set) {
		inet_pton(AF_INET, PASST_ADDR, &o->ipv4_addr);
		o->ipv4_netmask = mask_of(PASST_BITS);
	}
	/* passt plays the gateway (.2) and DNS forwarder (.3) of the subnet. */
	net = o->ipv4_addr & o->ipv4_netmask;
	if (!s->gw_set)
		o->ipv4_gateway = net | htonl(2);
	o->ipv4_dns = net | htonl(3);
	if ((o->ipv4_gateway & o->ipv4_netmask) != net)
		return "the gateway must be in the container's subnet";
	if (o->ipv4_addr == o->ipv4_gateway || o->ipv4_addr == o->ipv4_dns)
		return "with passt, host numbers .2 and .3 of the subnet are passt's: pick another --ip";
	return NULL;
}

static const char *network(const struct spec *s, struct proc_opts *o)
{
	const char *why;

	if (s->ip == SPEC_IP_NONE)
		return "--ip none keeps an hv container off the switch; here leave out --net and -p";
	o->net = PROC_NET_NONE;
	if (s->net == SPEC_NET_TAP || s->net == SPEC_NET_PASST)
		o->net = s->net == SPEC_NET_TAP ? PROC_NET_TAP : PROC_NET_PASST;
	o->tap = s->tap;
	o->dhcp = s->ip == SPEC_IP_DHCP;
	if (s->ip == SPEC_IP_STATIC) {
		o->ipv4_addr = s->ipv4_addr;
		o->ipv4_netmask = s->ipv4_netmask;
	}
	if (s->gw_set)
		o->ipv4_gateway = s->ipv4_gateway;
	o->nports = s->nports;
	for (int i = 0; i < s->nports; i++) {
		o->ports[i].udp = s->ports[i].udp;
		memcpy(o->ports[i].addr, s->ports[i].addr, sizeof(o->ports[i].addr));
		o->ports[i].host = s->ports[i].host;
		o->ports[i].ctr = s->ports[i].ctr;
	}
	if ((why = plan(s, o)))
		return why;
	/* Locally administered, unicast, and unique per address: 02:00:A:B:C:D. */
	o->mac[0] = 0x02;
	o->mac[1] = 0x00;
	memcpy(o->mac + 2, &o->ipv4_addr, 4);
	if (!o->ipv4_addr)
		o->mac[5] = 1;
	return NULL;
}

int proc_opts_of(const struct spec *s, const char *name, struct proc_opts *o)
{
	_Static_assert(PROC_PORTS_MAX == SPEC_PORTS_MAX, "every port of a spec fits");
	const char **argv;
	const char *why;

	*o = (struct proc_opts){ .name = name, .image = s->image, .mem = s->mem, .go_fd = -1 };
	if ((why = spec_check(s)))
		return cli_fail("bad container: %s", why);
	if ((why = network(s, o)))
		return cli_fail("%s", why);
	o->block = s->volume;
	o->block_ro = s->volume_ro;
	if (!(argv = calloc((size_t)s->argc + 2, sizeof(*argv))))
		return cli_fail("out of %s", "memory");
	argv[0] = name;
	for (int i = 0; i < s->argc; i++)
		argv[i + 1] = s->argv[i];
	o->argc = s->argc + 1;
	o->argv = argv;
	o->envc = s->envc;
	o->envp = s->env;
	return 0;
}
