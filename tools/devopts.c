/* hako CLI: parse and check the device options of `hako run`. */
#include "devopts.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

/* passt's default plan, the same as QEMU's user networking: easy to recognise. */
#define PASST_ADDR "10.0.2.15"
#define PASST_BITS 24

static int ip_flag, gw_flag;

static int parse_ip(const char *s, uint32_t *a)
{
	return inet_pton(AF_INET, s, a) == 1;
}

/* A decimal number in [lo, hi], the whole string; -1 otherwise. */
static long parse_num(const char *s, long lo, long hi)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	return errno || *end || v < lo || v > hi ? -1 : v;
}

static uint32_t mask_of(int bits)
{
	return htonl(bits ? ~0u << (32 - bits) : 0);
}

const char *devopt_volume(struct proc_opts *o, const char *v)
{
	static char path[4096];
	size_t n = strlen(v);

	if (o->block)
		return "only one -v is supported (got another: '%s')";
	if (n > 3 && (!strcmp(v + n - 3, ":ro") || !strcmp(v + n - 3, ":rw"))) {
		o->block_ro = v[n - 2] == 'r' && v[n - 1] == 'o';
		n -= 3;
	}
	if (n == 0 || n >= sizeof(path))
		return "bad volume '%s': expected FILE or FILE:ro";
	memcpy(path, v, n);
	path[n] = 0;
	o->block = path;
	return NULL;
}

const char *devopt_net(struct proc_opts *o, const char *v)
{
	if (!strcmp(v, "none")) {
		o->net = PROC_NET_NONE;
	} else if (!strcmp(v, "passt")) {
		o->net = PROC_NET_PASST;
	} else if (!strncmp(v, "tap:", 4) && v[4] && strlen(v + 4) < IFNAMSIZ &&
		   !strchr(v + 4, '/')) {
		o->net = PROC_NET_TAP;
		o->tap = v + 4;
	} else {
		return "bad network '%s': expected tap:NAME, passt or none";
	}
	return NULL;
}

const char *devopt_port(struct proc_opts *o, const char *v)
{
	static const char bad[] = "bad port '%s': expected [IP:]HOSTPORT:CTRPORT[/udp]";
	struct proc_port *p = &o->ports[o->nports];
	char buf[64], *proto, *ctr, *host, *ip = NULL;
	long h, c;
	uint32_t a;

	if (o->nports == PROC_PORTS_MAX)
		return "too many -p options (16 at most; '%s' is one more)";
	if (strlen(v) >= sizeof(buf))
		return bad;
	strcpy(buf, v);
	p->udp = 0;
	if ((proto = strchr(buf, '/'))) {
		*proto++ = 0;
		if (strcmp(proto, "udp") && strcmp(proto, "tcp"))
			return bad;
		p->udp = !strcmp(proto, "udp");
	}
	if (!(ctr = strrchr(buf, ':')))
		return bad;
	*ctr++ = 0;
	host = buf;
	if ((ip = strchr(buf, ':'))) {
		*ip = 0;
		host = ip + 1;
		ip = buf;
	}
	h = parse_num(host, 1, 65535);
	c = parse_num(ctr, 1, 65535);
	if (h < 0 || c < 0 || (ip && !parse_ip(ip, &a)))
		return bad;
	strcpy(p->addr, ip ? ip : "127.0.0.1"); /* loopback unless asked: publish nothing by accident */
	p->host = (uint16_t)h;
	p->ctr = (uint16_t)c;
	o->nports++;
	return NULL;
}

const char *devopt_ip(struct proc_opts *o, const char *v)
{
	char buf[32], *slash;
	long bits;

	if (!strcmp(v, "dhcp")) {
		o->dhcp = 1;
		return NULL;
	}
	if (strlen(v) >= sizeof(buf) || !(slash = strchr(strcpy(buf, v), '/')))
		return "bad address '%s': expected A.B.C.D/N or dhcp";
	*slash = 0;
	bits = parse_num(slash + 1, 1, 30);
	if (bits < 0 || !parse_ip(buf, &o->ipv4_addr))
		return "bad address '%s': expected A.B.C.D/N, N from 1 to 30";
	o->ipv4_netmask = mask_of((int)bits);
	ip_flag = 1;
	return NULL;
}

const char *devopt_gw(struct proc_opts *o, const char *v)
{
	if (!parse_ip(v, &o->ipv4_gateway))
		return "bad gateway '%s': expected A.B.C.D";
	gw_flag = 1;
	return NULL;
}

const char *devopt_finish(struct proc_opts *o)
{
	uint32_t net;

	if (o->nports && o->net == PROC_NET_NONE)
		o->net = PROC_NET_PASST; /* -p alone means "publish through passt" */
	if (o->nports && o->net != PROC_NET_PASST)
		return "-p needs the passt network, not a TAP device";
	if ((ip_flag || gw_flag || o->dhcp) && o->net == PROC_NET_NONE)
		return "--ip and --gw need a network (--net)";
	if (o->dhcp && o->net != PROC_NET_PASST)
		return "--ip dhcp needs passt, whose DHCP server answers (--net passt or -p)";
	if (o->net == PROC_NET_PASST) {
		if (!ip_flag) {
			parse_ip(PASST_ADDR, &o->ipv4_addr);
			o->ipv4_netmask = mask_of(PASST_BITS);
		}
		/* passt plays the gateway (.2) and DNS forwarder (.3) of the subnet. */
		net = o->ipv4_addr & o->ipv4_netmask;
		if (!gw_flag)
			o->ipv4_gateway = net | htonl(2);
		o->ipv4_dns = net | htonl(3);
		if ((o->ipv4_gateway & o->ipv4_netmask) != net)
			return "the gateway must be in the container's subnet";
		if (o->ipv4_addr == o->ipv4_gateway || o->ipv4_addr == o->ipv4_dns)
			return "with passt, host numbers .2 and .3 of the subnet are passt's: pick another --ip";
	}
	/* Locally administered, unicast, and unique per address: 02:00:A:B:C:D. */
	o->mac[0] = 0x02;
	o->mac[1] = 0x00;
	memcpy(o->mac + 2, &o->ipv4_addr, 4);
	if (!o->ipv4_addr)
		o->mac[5] = 1;
	return NULL;
}
