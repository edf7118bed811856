/* SPDX-License-Identifier: ISC */
/* Unit tests of the sent-frame source check: only a port's own MAC and IPv4 address, only IPv4 and ARP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "netsrc.h"

static const uint8_t mac[6] = { 0x02, 0x00, 10, 0, 2, 15 }, other[6] = { 0x02, 0x00, 10, 0, 2, 16 };
static struct netsrc port, bare; /* 10.0.2.15, and a port without an address */
static uint8_t f[1514];

static int setup(void **state)
{
	(void)state;
	memcpy(port.mac, mac, 6);
	memcpy(&port.ipv4, mac + 2, 4);
	memcpy(bare.mac, mac, 6);
	bare.ipv4 = 0;
	return 0;
}

static void eth(const uint8_t *src, uint16_t type)
{
	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	memcpy(f + 6, src, 6);
	f[12] = (uint8_t)(type >> 8), f[13] = (uint8_t)type;
}

/* ARP: op, sender MAC, sender address (4 bytes as on the wire). */
static uint32_t arp(uint16_t op, const uint8_t *sha, const uint8_t *spa)
{
	uint8_t *a = f + 14;

	eth(mac, 0x0806);
	a[1] = 1, a[2] = 0x08, a[4] = 6, a[5] = 4, a[7] = (uint8_t)op;
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, spa, 4);
	return 14 + 28;
}

/* IPv4/UDP from src (4 bytes), sport -> dport. */
static uint32_t udp(const uint8_t *src, uint16_t sport, uint16_t dport)
{
	uint8_t *ip = f + 14, *u = ip + 20;

	eth(mac, 0x0800);
	ip[0] = 0x45, ip[9] = 17;
	memcpy(ip + 12, src, 4);
	u[0] = (uint8_t)(sport >> 8), u[1] = (uint8_t)sport, u[2] = (uint8_t)(dport >> 8), u[3] = (uint8_t)dport;
	return 14 + 20 + 8;
}

static const uint8_t own_ip[4] = { 10, 0, 2, 15 }, their_ip[4] = { 10, 0, 2, 16 }, zero[4] = { 0 };

static void ethernet_source(void **state)
{
	(void)state;
	eth(other, 0x88b5);
	assert_int_equal(netsrc_check(&port, f, 60), NETSRC_MAC);
	eth(mac, 0x88b5);
	assert_int_equal(netsrc_check(&port, f, 60), NETSRC_OK);
	assert_int_equal(netsrc_check(&port, f, 13), NETSRC_MAC); /* no whole header: nothing to trust */
	eth(mac, 0x88b6);
	assert_int_equal(netsrc_check(&port, f, 14), NETSRC_OK);
}

static void arp_sender(void **state)
{
	(void)state;
	assert_int_equal(netsrc_check(&port, f, arp(2, mac, own_ip)), NETSRC_OK);
	assert_int_equal(netsrc_check(&port, f, arp(1, mac, own_ip)), NETSRC_OK); /* gratuitous */
	assert_int_equal(netsrc_check(&port, f, arp(1, mac, zero)), NETSRC_OK);   /* RFC 5227 probe */
	assert_int_equal(netsrc_check(&port, f, arp(2, mac, their_ip)), NETSRC_ARP); /* poisoning */
	assert_int_equal(netsrc_check(&port, f, arp(1, mac, their_ip)), NETSRC_ARP);
	assert_int_equal(netsrc_check(&port, f, arp(2, mac, zero)), NETSRC_ARP);
	assert_int_equal(netsrc_check(&port, f, arp(2, other, own_ip)), NETSRC_ARP); /* another's MAC inside */
	assert_int_equal(netsrc_check(&port, f, arp(3, mac, own_ip)), NETSRC_ARP);   /* RARP and the rest */
	/* Cut short, or not Ethernet/IPv4: the addresses would sit elsewhere. */
	assert_int_equal(netsrc_check(&port, f, arp(2, mac, own_ip) - 1), NETSRC_ARP);
	arp(2, mac, own_ip);
	f[14 + 5] = 16;
	assert_int_equal(netsrc_check(&port, f, 60), NETSRC_ARP);
	arp(2, mac, own_ip);
	f[14 + 1] = 6;
	assert_int_equal(netsrc_check(&port, f, 60), NETSRC_ARP);
}

static void ipv4_source(void **state)
{
	(void)state;
	assert_int_equal(netsrc_check(&port, f, udp(own_ip, 7, 7)), NETSRC_OK);
	assert_int_equal(netsrc_check(&port, f, udp(their_ip, 7, 7)), NETSRC_IPV4);
	assert_int_equal(netsrc_check(&port, f, udp(zero, 68, 67)), NETSRC_OK);
	assert_int_equal(netsrc_check(&port, f, udp(zero, 67, 68)), NETSRC_IPV4);
	assert_int_equal(netsrc_check(&port, f, udp(zero, 68, 53)), NETSRC_IPV4);
	/* 0.0.0.0 in a later fragment, in TCP, or with the UDP header past the frame. */
	udp(zero, 68, 67);
	f[14 + 7] = 1;
	assert_int_equal(netsrc_check(&port, f, 60), NETSRC_IPV4);
	udp(zero, 68, 67);
	f[14 + 9] = 6;
	assert_int_equal(netsrc_check(&port, f, 60), NETSRC_IPV4);
	udp(zero, 68, 67);
	f[14] = 0x4f; /* a 60-byte header */
	assert_int_equal(netsrc_check(&port, f, 14 + 40), NETSRC_IPV4);
	/* Malformed: too short, or not version 4. */
	udp(own_ip, 7, 7);
	assert_int_equal(netsrc_check(&port, f, 14 + 20), NETSRC_OK);
	assert_int_equal(netsrc_check(&port, f, 14 + 19), NETSRC_IPV4);
	udp(own_ip, 7, 7);
	f[14] = 0x65;
	assert_int_equal(netsrc_check(&port, f, 60), NETSRC_IPV4);
}

static void port_without_address(void **state)
{
	(void)state;
	assert_int_equal(netsrc_check(&bare, f, udp(zero, 68, 67)), NETSRC_OK);
	assert_int_equal(netsrc_check(&bare, f, udp(zero, 7, 7)), NETSRC_IPV4);
	assert_int_equal(netsrc_check(&bare, f, udp(own_ip, 7, 7)), NETSRC_IPV4);
	assert_int_equal(netsrc_check(&bare, f, arp(1, mac, zero)), NETSRC_OK);
	assert_int_equal(netsrc_check(&bare, f, arp(2, mac, own_ip)), NETSRC_ARP);
}

static void other_types(void **state)
{
	static const uint16_t types[] = { 0x8100, 0x88a8, 0x9100, 0x86dd, 0x0026, 0x05dc, 0x88cc,
					  0x8863, 0x8847, 0x8035, 0x0000, 0xffff };

	(void)state;
	for (unsigned k = 0; k < sizeof(types) / sizeof(types[0]); k++) {
		eth(mac, types[k]);
		assert_int_equal(netsrc_check(&port, f, 60), NETSRC_TYPE);
	}
	/* A VLAN tag around an honest-looking ARP reply still goes nowhere. */
	arp(2, mac, own_ip);
	memmove(f + 16, f + 12, 42);
	f[12] = 0x81, f[13] = 0x00, f[14] = 0, f[15] = 5;
	assert_int_equal(netsrc_check(&port, f, 64), NETSRC_TYPE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(ethernet_source, setup),
		cmocka_unit_test_setup(arp_sender, setup),
		cmocka_unit_test_setup(ipv4_source, setup),
		cmocka_unit_test_setup(port_without_address, setup),
		cmocka_unit_test_setup(other_types, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
