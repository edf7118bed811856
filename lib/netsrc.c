/* SPDX-License-Identifier: ISC */
/* The source check of sent frames (see netsrc.h): no libc, so the proc tender can use it too. */
#include "netsrc.h"

#define ETH_LEN      14
#define ETH_ARP      0x0806
#define ETH_IPV4     0x0800
#define ETH_LOCAL1   0x88b5 /* IEEE 802 local experimental */
#define ETH_LOCAL2   0x88b6
#define ARP_LEN      28
#define ARP_REQUEST  1
#define ARP_REPLY    2
#define IPV4_MIN     20
#define UDP_LEN      8
#define IP_UDP       17
#define DHCP_CLIENT  68
#define DHCP_SERVER  67

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* As it lies in memory, so it compares with the network-order address as is. */
static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	uint8_t *d = (uint8_t *)&v;

	for (int i = 0; i < 4; i++)
		d[i] = p[i];
	return v;
}

static int same_mac(const uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < 6; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* Ethernet/IPv4 ARP from the port's MAC and address; sender 0.0.0.0 only to probe. */
static enum netsrc_verdict check_arp(const struct netsrc *port, const uint8_t *a, uint32_t len)
{
	uint16_t op;
	uint32_t spa;

	if (len < ARP_LEN || get16(a) != 1 || get16(a + 2) != ETH_IPV4 || a[4] != 6 || a[5] != 4)
		return NETSRC_ARP;
	op = get16(a + 6);
	spa = get32(a + 14);
	if ((op != ARP_REQUEST && op != ARP_REPLY) || !same_mac(a + 8, port->mac))
		return NETSRC_ARP;
	if (spa == port->ipv4 || (spa == 0 && op == ARP_REQUEST))
		return NETSRC_OK;
	return NETSRC_ARP;
}

/* A DHCP client message before the lease: UDP 68 -> 67, the first (or only) fragment. */
static int dhcp_client(const uint8_t *ip, uint32_t len)
{
	uint32_t ihl = (uint32_t)(ip[0] & 15) * 4;
	const uint8_t *udp = ip + ihl;

	if (ip[9] != IP_UDP || ihl < IPV4_MIN || (get16(ip + 6) & 0x1fff) || len < ihl + UDP_LEN)
		return 0;
	return get16(udp) == DHCP_CLIENT && get16(udp + 2) == DHCP_SERVER;
}

static enum netsrc_verdict check_ipv4(const struct netsrc *port, const uint8_t *ip, uint32_t len)
{
	uint32_t src;

	if (len < IPV4_MIN || ip[0] >> 4 != 4)
		return NETSRC_IPV4;
	src = get32(ip + 12);
	if (port->ipv4 && src == port->ipv4)
		return NETSRC_OK;
	if (src == 0 && dhcp_client(ip, len))
		return NETSRC_OK;
	return NETSRC_IPV4;
}

enum netsrc_verdict netsrc_check(const struct netsrc *port, const uint8_t *f, uint32_t len)
{
	if (len < ETH_LEN || !same_mac(f + 6, port->mac))
		return NETSRC_MAC;
	switch (get16(f + 12)) {
	case ETH_ARP:
		return check_arp(port, f + ETH_LEN, len - ETH_LEN);
	case ETH_IPV4:
		return check_ipv4(port, f + ETH_LEN, len - ETH_LEN);
	case ETH_LOCAL1:
	case ETH_LOCAL2:
		return NETSRC_OK;
	default:
		return NETSRC_TYPE;
	}
}
