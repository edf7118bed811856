/* SPDX-License-Identifier: ISC */
/* hv platform, host side: the switch's address plan and QEMU's network options. */
#include "hv.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int net_mode(struct hv_run *r)
{
	int ports = 0, ips = 0;

	for (unsigned i = 0; i < r->n; i++) {
		ports += r->c[i].spec->nports;
		ips += r->c[i].ip_set || r->c[i].spec->gw_set;
	}
	if (!r->net)
		r->mode = ports ? NET_USER : ips ? NET_SWITCH : NET_NONE;
	else if (!strcmp(r->net, "none"))
		r->mode = NET_NONE;
	else if (!strcmp(r->net, "switch"))
		r->mode = NET_SWITCH;
	else if (!strcmp(r->net, "user"))
		r->mode = NET_USER;
	else if (!strncmp(r->net, "tap:", 4) && r->net[4] && strlen(r->net) < 4 + 16 &&
		 !strpbrk(r->net + 4, "/,= "))
		r->mode = NET_TAP;
	else
		return cli_fail("bad network '%s': expected user, tap:NAME, switch or none", r->net);
	if (ports && r->mode != NET_USER)
		return cli_fail("-p needs the user network (--net user), not '%s'", r->net);
	if (ips && r->mode == NET_NONE)
		return cli_fail("--ip and --gw need a network (--net %s)", "user, tap:NAME or switch");
	return 0;
}

/* An address not taken by any container yet, from *next (host order) to the subnet's last. */
static uint32_t free_addr(const struct hv_run *r, uint32_t *next)
{
	uint32_t broadcast = ntohl(inet_addr(USER_NET)) | ~(~0u << (32 - USER_BITS));

	for (; *next < broadcast; ++*next) {
		uint32_t a = htonl(*next);
		unsigned i;
		for (i = 0; i < r->n; i++)
			if (r->c[i].addr == a)
				break;
		if (i == r->n)
			return a;
	}
	return 0;
}

/* user mode: one hostfwd per -p, to the container's address. */
static int add_forwards(struct hv_run *r, const struct hv_ctr *c)
{
	for (int k = 0; k < c->spec->nports; k++) {
		const struct spec_port *p = &c->spec->ports[k];
		char ip[INET_ADDRSTRLEN];
		size_t len = strlen(r->netdev);
		inet_ntop(AF_INET, &c->addr, ip, sizeof(ip));
		if ((size_t)snprintf(r->netdev + len, sizeof(r->netdev) - len,
				     ",hostfwd=%s:%s:%u-%s:%u", p->udp ? "udp" : "tcp", p->addr,
				     p->host, ip, p->ctr) >= sizeof(r->netdev) - len)
			return cli_fail("too many published ports in one hypervisor (%s)",
					"QEMU's -netdev option takes 128 KiB, about 2500 ports");
	}
	return 0;
}

/*
 * Put every container (but those with --ip none) on the switch: address,
 * MAC 02:00:<address>, gateway and DNS; and build QEMU's -netdev.
 */
int hv_net_finish(struct hv_run *r)
{
	uint32_t net = inet_addr(USER_NET), mask = htonl(~0u << (32 - USER_BITS));
	uint32_t gw = inet_addr(USER_GW), dns = inet_addr(USER_DNS), next = ntohl(inet_addr(FIRST_ADDR));
	int err;

	if ((err = net_mode(r)) || r->mode == NET_NONE)
		return err;
	if (r->mode == NET_USER)
		snprintf(r->netdev, sizeof(r->netdev), "user,id=n0,net=%s/%d,host=%s,dns=%s", USER_NET,
			 USER_BITS, USER_GW, USER_DNS);
	else if (r->mode == NET_TAP)
		snprintf(r->netdev, sizeof(r->netdev), "tap,id=n0,ifname=%s,script=no,downscript=no",
			 r->net + 4);
	for (unsigned i = 0; i < r->n; i++) {
		struct hv_ctr *c = &r->c[i];
		struct hako_bundle_entry *e = &c->e;
		if (c->no_net) {
			if (c->spec->nports || c->spec->gw_set)
				return cli_fail("%s: --ip none with -p or --gw", e->name);
			continue;
		}
		if (!c->ip_set) {
			if (!(c->addr = free_addr(r, &next)))
				return cli_fail("no free address left in %s (given out from " FIRST_ADDR ")",
						USER_SUBNET);
			c->mask = mask;
		}
		for (unsigned k = 0; k < i; k++)
			if (!r->c[k].no_net && r->c[k].addr == c->addr)
				return cli_fail("two containers with the same address (%s)", e->name);
		e->ipv4_gateway = c->spec->gw_set ? c->spec->ipv4_gateway : 0;
		if (r->mode == NET_USER) {
			/* slirp answers for the whole subnet and owns the gateway and DNS addresses. */
			uint32_t a = c->addr;
			if ((a & mask) != net || a == net || a == (net | ~mask) || a == gw || a == dns)
				return cli_fail("%s: with --net user, the address must be in " USER_SUBNET ", "
						"not the gateway " USER_GW " or DNS " USER_DNS, e->name);
			if (!c->spec->gw_set)
				e->ipv4_gateway = gw;
			e->ipv4_dns = dns;
			if ((err = add_forwards(r, c)))
				return err;
		}
		e->flags |= HAKO_BUNDLE_NET;
		e->ipv4_addr = c->addr;
		e->ipv4_netmask = c->mask;
		e->mac[0] = 0x02;
		e->mac[1] = 0x00;
		memcpy(e->mac + 2, &e->ipv4_addr, 4);
	}
	return 0;
}
