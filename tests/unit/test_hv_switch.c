/* SPDX-License-Identifier: ISC */
/* Unit tests of the hv's L2 switch: delivery by MAC, no spoofing (MAC, ARP, IPv4), bounded queues, fair shares. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "switch.h"

#define NP 4

static struct sw sw;
static struct sw_port ports[NP];
static uint8_t bufs[NP][SW_QUEUE][SW_BUF_SIZE];
static uint8_t helds[NP + 1][SW_HELD_SIZE];
static int woken[NP], uplink_frames, uplink_room;
static uint8_t uplink_last[HAKO_FRAME_MAX];

static void wake(struct sw_port *p) { woken[p - ports]++; }

static int uplink_tx(const uint8_t *f, uint32_t len)
{
	if (!uplink_room)
		return -1;
	uplink_room--;
	uplink_frames++;
	memcpy(uplink_last, f, len);
	return 0;
}

static const struct sw_ops ops_uplink = { .wake = wake, .uplink_tx = uplink_tx };
static const struct sw_ops ops_alone = { .wake = wake };

static void mac_of(uint8_t mac[6], int i)
{
	static const uint8_t base[6] = { 0x02, 0x00, 10, 0, 2, 15 };
	memcpy(mac, base, 6);
	mac[5] = (uint8_t)(15 + i);
}

/* Port i's IPv4 address, 10.0.2.(15 + i), in network order: what its MAC is made of. */
static uint32_t ip_of(int i)
{
	uint8_t mac[6];
	uint32_t ip;

	mac_of(mac, i);
	memcpy(&ip, mac + 2, 4);
	return ip;
}

/* Port i's MAC as destination, port from's as source, tag in the payload. */
static uint32_t frame(uint8_t *f, int to, int from, uint8_t tag)
{
	memset(f, 0, 60);
	if (to < 0)
		memset(f, 0xff, 6);
	else
		mac_of(f, to);
	mac_of(f + 6, from);
	f[12] = 0x88, f[13] = 0xb5, f[14] = tag;
	return 60;
}

static int setup(void **state, const struct sw_ops *ops)
{
	(void)state;
	memset(woken, 0, sizeof(woken));
	uplink_frames = 0;
	uplink_room = 1000000;
	sw_init(&sw, ops);
	for (int i = 0; i < NP; i++) {
		uint8_t mac[6];
		for (int k = 0; k < SW_QUEUE; k++)
			ports[i].buf[k] = bufs[i][k];
		ports[i].held = helds[i];
		mac_of(mac, i);
		if (sw_attach(&sw, &ports[i], mac, ip_of(i), NULL))
			return -1;
	}
	return 0;
}

static int setup_uplink(void **state) { return setup(state, &ops_uplink); }
static int setup_alone(void **state) { return setup(state, &ops_alone); }

/* Pop everything queued for port i; returns how many frames, last tag in *tag. */
static int drain(int i, uint8_t *tag)
{
	const uint8_t *f;
	uint32_t len;
	int n = 0;

	while ((f = sw_peek(&ports[i], &len))) {
		if (tag)
			*tag = f[14];
		sw_pop(&ports[i]);
		n++;
	}
	return n;
}

static void unicast_reaches_only_its_owner(void **state)
{
	uint8_t f[HAKO_FRAME_MAX], tag = 0;

	(void)state;
	assert_int_equal(sw_send(&sw, &ports[0], f, frame(f, 1, 0, 7)), 1);
	assert_int_equal(woken[1], 1);
	assert_int_equal(drain(1, &tag), 1);
	assert_int_equal(tag, 7);
	assert_int_equal(drain(0, NULL), 0);
	assert_int_equal(drain(2, NULL), 0);
	assert_int_equal(drain(3, NULL), 0);
	assert_int_equal(uplink_frames, 0);
}

static void broadcast_to_all_but_sender(void **state)
{
	uint8_t f[HAKO_FRAME_MAX];

	(void)state;
	assert_int_equal(sw_send(&sw, &ports[2], f, frame(f, -1, 2, 1)), 1);
	assert_int_equal(drain(0, NULL), 1);
	assert_int_equal(drain(1, NULL), 1);
	assert_int_equal(drain(2, NULL), 0);
	assert_int_equal(drain(3, NULL), 1);
	assert_int_equal(uplink_frames, 1);
	/* Multicast (group bit) goes the same way. */
	frame(f, 1, 2, 1);
	f[0] = 0x01, f[1] = 0x00, f[2] = 0x5e;
	assert_int_equal(sw_send(&sw, &ports[2], f, 60), 1);
	assert_int_equal(drain(0, NULL) + drain(1, NULL) + drain(3, NULL), 3);
}

static void unknown_unicast_to_uplink_only(void **state)
{
	uint8_t f[HAKO_FRAME_MAX];

	(void)state;
	frame(f, 0, 1, 9);
	f[5] = 0x99; /* nobody's */
	assert_int_equal(sw_send(&sw, &ports[1], f, 60), 1);
	assert_int_equal(uplink_frames, 1);
	for (int i = 0; i < NP; i++)
		assert_int_equal(drain(i, NULL), 0);
	/* The uplink's ring full: not taken, the sender tries again later. */
	uplink_room = 0;
	assert_int_equal(sw_send(&sw, &ports[1], f, 60), 0);
	assert_int_equal(ports[1].sent, 1);
}

static void forged_source_dropped_and_counted(void **state)
{
	uint8_t f[HAKO_FRAME_MAX];

	(void)state;
	/* Port 3 claims port 1's MAC: unicast and broadcast both go nowhere. */
	assert_int_equal(sw_send(&sw, &ports[3], f, frame(f, 0, 1, 1)), 1);
	assert_int_equal(sw_send(&sw, &ports[3], f, frame(f, -1, 1, 1)), 1);
	assert_int_equal(ports[3].refused[NETSRC_MAC], 2);
	assert_int_equal(ports[3].sent, 0);
	for (int i = 0; i < NP; i++)
		assert_int_equal(drain(i, NULL), 0);
	assert_int_equal(uplink_frames, 0);
	/* Honest traffic still flows. */
	assert_int_equal(sw_send(&sw, &ports[3], f, frame(f, 0, 3, 1)), 1);
	assert_int_equal(drain(0, NULL), 1);
}

/* An ARP frame from port from's MAC: op, sender MAC of port sha, sender address spa. */
static uint32_t arp(uint8_t *f, int to, int from, uint16_t op, int sha, uint32_t spa)
{
	uint8_t *a = f + 14;

	frame(f, to, from, 0);
	f[12] = 0x08, f[13] = 0x06;
	a[0] = 0, a[1] = 1, a[2] = 0x08, a[3] = 0, a[4] = 6, a[5] = 4, a[6] = 0, a[7] = (uint8_t)op;
	mac_of(a + 8, sha);
	memcpy(a + 14, &spa, 4);
	memset(a + 18, 0, 6);
	memcpy(a + 24, (uint32_t[]){ ip_of(1) }, 4);
	return 60;
}

/* An IPv4/UDP frame from port from's MAC with source address src, ports sport -> dport. */
static uint32_t udp(uint8_t *f, int to, int from, uint32_t src, uint16_t sport, uint16_t dport)
{
	uint8_t *ip = f + 14, *u = ip + 20;

	frame(f, to, from, 0);
	f[12] = 0x08, f[13] = 0x00;
	memset(ip, 0, 28);
	ip[0] = 0x45, ip[9] = 17;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, (uint32_t[]){ ip_of(to < 0 ? 0 : to) }, 4);
	u[0] = (uint8_t)(sport >> 8), u[1] = (uint8_t)sport, u[2] = (uint8_t)(dport >> 8), u[3] = (uint8_t)dport;
	return 60;
}

/* A container claims its neighbour's address by ARP, with its own honest MAC: nobody hears it. */
static void arp_poisoning_dropped_and_counted(void **state)
{
	uint8_t f[HAKO_FRAME_MAX];

	(void)state;
	/* Port 3 says "10.0.2.16 (port 1) is at my MAC", broadcast and to port 0 alone. */
	assert_int_equal(sw_send(&sw, &ports[3], f, arp(f, -1, 3, 2, 3, ip_of(1))), 1);
	assert_int_equal(sw_send(&sw, &ports[3], f, arp(f, 0, 3, 2, 3, ip_of(1))), 1);
	assert_int_equal(sw_send(&sw, &ports[3], f, arp(f, 0, 3, 1, 3, ip_of(1))), 1);
	/* ... or its own address at the neighbour's MAC, or a reply from 0.0.0.0. */
	assert_int_equal(sw_send(&sw, &ports[3], f, arp(f, -1, 3, 2, 1, ip_of(3))), 1);
	assert_int_equal(sw_send(&sw, &ports[3], f, arp(f, -1, 3, 2, 3, 0)), 1);
	assert_int_equal(ports[3].refused[NETSRC_ARP], 5);
	assert_int_equal(ports[3].sent, 0);
	for (int i = 0; i < NP; i++)
		assert_int_equal(drain(i, NULL), 0);
	assert_int_equal(uplink_frames, 0);
	/* Its own address (a reply, a gratuitous ARP) and a probe from 0.0.0.0 go through. */
	assert_int_equal(sw_send(&sw, &ports[3], f, arp(f, 0, 3, 2, 3, ip_of(3))), 1);
	assert_int_equal(sw_send(&sw, &ports[3], f, arp(f, -1, 3, 1, 3, ip_of(3))), 1);
	assert_int_equal(sw_send(&sw, &ports[3], f, arp(f, -1, 3, 1, 3, 0)), 1);
	assert_int_equal(drain(0, NULL), 3);
	assert_int_equal(drain(1, NULL) + drain(2, NULL), 4);
	assert_int_equal(uplink_frames, 2);
	assert_int_equal(ports[3].sent, 3);
}

static void forged_ipv4_source_dropped_and_counted(void **state)
{
	uint8_t f[HAKO_FRAME_MAX];

	(void)state;
	/* Port 2 sends as port 1's address, to port 0 and to the uplink. */
	assert_int_equal(sw_send(&sw, &ports[2], f, udp(f, 0, 2, ip_of(1), 7, 7)), 1);
	assert_int_equal(sw_send(&sw, &ports[2], f, udp(f, -1, 2, ip_of(1), 7, 7)), 1);
	/* From 0.0.0.0 only as a DHCP client (68 -> 67). */
	assert_int_equal(sw_send(&sw, &ports[2], f, udp(f, -1, 2, 0, 7, 67)), 1);
	assert_int_equal(ports[2].refused[NETSRC_IPV4], 3);
	assert_int_equal(drain(0, NULL) + drain(1, NULL) + drain(3, NULL), 0);
	assert_int_equal(uplink_frames, 0);
	assert_int_equal(sw_send(&sw, &ports[2], f, udp(f, 0, 2, ip_of(2), 7, 7)), 1);
	assert_int_equal(sw_send(&sw, &ports[2], f, udp(f, -1, 2, 0, 68, 67)), 1);
	assert_int_equal(drain(0, NULL), 2);
	assert_int_equal(uplink_frames, 1);
}

static void other_types_dropped_and_counted(void **state)
{
	static const uint8_t types[][2] = { { 0x81, 0x00 }, { 0x88, 0xa8 }, { 0x86, 0xdd },
					    { 0x00, 0x26 }, { 0x88, 0xcc } };
	uint8_t f[HAKO_FRAME_MAX];

	(void)state;
	/* VLAN tags (a frame inside that no check sees), IPv6, an 802.3/LLC frame (STP), LLDP. */
	for (unsigned k = 0; k < sizeof(types) / sizeof(types[0]); k++) {
		frame(f, -1, 1, 0);
		f[12] = types[k][0], f[13] = types[k][1];
		assert_int_equal(sw_send(&sw, &ports[1], f, 60), 1);
	}
	assert_int_equal(ports[1].refused[NETSRC_TYPE], 5);
	assert_int_equal(drain(0, NULL) + drain(2, NULL) + drain(3, NULL), 0);
	assert_int_equal(uplink_frames, 0);
}

static void flooder_holds_at_most_its_share(void **state)
{
	uint8_t f[HAKO_FRAME_MAX];
	int taken = 0;

	(void)state;
	for (int k = 0; k < 1000; k++)
		taken += sw_send(&sw, &ports[0], f, frame(f, 1, 0, 1));
	assert_int_equal(taken, SW_SHARE);
	assert_int_equal(woken[1], 1); /* woken once, on the first frame */
	/* Another sender still gets in, up to its own share... */
	for (int k = 0; k < 1000; k++)
		taken += sw_send(&sw, &ports[2], f, frame(f, 1, 2, 2));
	assert_int_equal(taken, 2 * SW_SHARE);
	/* ...and a third finds the queue full (SW_QUEUE = 2 * SW_SHARE). */
	assert_int_equal(sw_send(&sw, &ports[3], f, frame(f, 1, 3, 3)), 0);
	/* Broadcasts to the full queue are dropped there and counted, taken for the rest. */
	assert_int_equal(sw_send(&sw, &ports[3], f, frame(f, -1, 3, 3)), 1);
	assert_int_equal(ports[1].dropped, 1);
	assert_int_equal(drain(0, NULL), 1);
	/* Reading frees the sender's share again. */
	assert_int_equal(drain(1, NULL), SW_QUEUE);
	assert_int_equal(sw_send(&sw, &ports[0], f, frame(f, 1, 0, 1)), 1);
	assert_int_equal(ports[1].held[ports[0].id - 1], 1);
}

static void uplink_input(void **state)
{
	uint8_t f[HAKO_FRAME_MAX], tag = 0;

	(void)state;
	frame(f, 2, 0, 5);
	f[11] = 0x77; /* some host's MAC */
	sw_input(&sw, f, 60);
	assert_int_equal(drain(2, &tag), 1);
	assert_int_equal(tag, 5);
	assert_int_equal(drain(0, NULL) + drain(1, NULL) + drain(3, NULL), 0);
	/* Broadcast from the uplink reaches every port, never the uplink again. */
	sw_input(&sw, f, frame(f, -1, 0, 1));
	assert_int_equal(drain(0, NULL) + drain(1, NULL) + drain(2, NULL) + drain(3, NULL), 4);
	assert_int_equal(uplink_frames, 0);
	/* Unknown unicast and bad lengths are dropped and counted. */
	frame(f, 0, 1, 0);
	f[5] = 0x99;
	sw_input(&sw, f, 60);
	sw_input(&sw, f, 13);
	sw_input(&sw, f, HAKO_FRAME_MAX + 1);
	assert_int_equal(sw.uplink_dropped, 3);
	for (int i = 0; i < NP; i++)
		assert_int_equal(drain(i, NULL), 0);
	/* A full queue drops uplink frames rather than stalling the NIC. */
	frame(f, 1, 0, 0);
	f[11] = 0x77;
	for (int k = 0; k < SW_QUEUE + 10; k++)
		sw_input(&sw, f, 60);
	assert_int_equal(ports[1].count, SW_SHARE);
	assert_int_equal(ports[1].dropped, SW_QUEUE + 10 - SW_SHARE);
}

static void attach_refuses_group_and_duplicate_macs(void **state)
{
	static struct sw_port extra;
	uint8_t mac[6];

	(void)state;
	extra.held = helds[NP];
	mac_of(mac, 1);
	assert_int_equal(sw_attach(&sw, &extra, mac, 0, NULL), -1);
	mac[0] = 0x03;
	assert_int_equal(sw_attach(&sw, &extra, mac, 0, NULL), -1);
	mac[0] = 0x02, mac[5] = 0x50;
	assert_int_equal(sw_attach(&sw, &extra, mac, 0, NULL), 0);
	sw_detach(&sw, &extra);
	assert_int_equal(sw.nports, NP);
}

/*
 * A full hypervisor's worth of ports: every one attaches, and the last
 * sender (the highest id) has its own share of a queue like the first.
 */
static void full_switch_keeps_shares(void **state)
{
	static struct sw_port more[SW_PORTS_MAX - NP], late;
	static uint8_t more_held[SW_PORTS_MAX - NP][SW_HELD_SIZE], late_held[SW_HELD_SIZE];
	struct sw_port *last = &more[SW_PORTS_MAX - NP - 1];
	uint8_t mac[6] = { 0x02, 0x00, 10, 1, 0, 0 }, f[HAKO_FRAME_MAX];

	(void)state;
	for (unsigned j = 0; j < SW_PORTS_MAX - NP; j++) {
		more[j].held = more_held[j];
		mac[4] = (uint8_t)(j >> 8), mac[5] = (uint8_t)j;
		assert_int_equal(sw_attach(&sw, &more[j], mac, 0, NULL), 0);
	}
	assert_int_equal(sw.nports, SW_PORTS_MAX);
	assert_int_equal(last->id, SW_PORTS_MAX);
	late.held = late_held;
	mac[3] = 2;
	assert_int_equal(sw_attach(&sw, &late, mac, 0, NULL), -1); /* the switch is full */
	frame(f, 1, 0, 7);
	memcpy(f + 6, last->src.mac, 6);
	for (int k = 0; k < SW_SHARE; k++)
		assert_int_equal(sw_send(&sw, last, f, 60), 1);
	assert_int_equal(sw_send(&sw, last, f, 60), 0); /* its share is used up... */
	assert_int_equal(sw_send(&sw, &ports[0], f, frame(f, 1, 0, 8)), 1); /* ...not others' */
	assert_int_equal(ports[1].held[last->id - 1], SW_SHARE);
	assert_int_equal(drain(1, NULL), SW_SHARE + 1);
	assert_int_equal(ports[1].held[last->id - 1], 0);
}

static void detached_port_gets_nothing(void **state)
{
	uint8_t f[HAKO_FRAME_MAX];

	(void)state;
	sw_detach(&sw, &ports[1]);
	/* Its MAC is now unknown unicast: uplink only, when there is one. */
	assert_int_equal(sw_send(&sw, &ports[0], f, frame(f, 1, 0, 1)), 1);
	assert_int_equal(drain(1, NULL), 0);
	assert_int_equal(uplink_frames, 1);
}

static void no_uplink(void **state)
{
	uint8_t f[HAKO_FRAME_MAX];

	(void)state;
	frame(f, 0, 1, 0);
	f[5] = 0x99;
	assert_int_equal(sw_send(&sw, &ports[1], f, 60), 1); /* nowhere to go: taken, gone */
	assert_int_equal(sw_send(&sw, &ports[1], f, frame(f, -1, 1, 0)), 1);
	assert_int_equal(drain(0, NULL) + drain(2, NULL) + drain(3, NULL), 3);
	assert_int_equal(sw.uplink_full, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(unicast_reaches_only_its_owner, setup_uplink),
		cmocka_unit_test_setup(broadcast_to_all_but_sender, setup_uplink),
		cmocka_unit_test_setup(unknown_unicast_to_uplink_only, setup_uplink),
		cmocka_unit_test_setup(forged_source_dropped_and_counted, setup_uplink),
		cmocka_unit_test_setup(arp_poisoning_dropped_and_counted, setup_uplink),
		cmocka_unit_test_setup(forged_ipv4_source_dropped_and_counted, setup_uplink),
		cmocka_unit_test_setup(other_types_dropped_and_counted, setup_uplink),
		cmocka_unit_test_setup(flooder_holds_at_most_its_share, setup_uplink),
		cmocka_unit_test_setup(uplink_input, setup_uplink),
		cmocka_unit_test_setup(attach_refuses_group_and_duplicate_macs, setup_uplink),
		cmocka_unit_test_setup(detached_port_gets_nothing, setup_uplink),
		cmocka_unit_test_setup(full_switch_keeps_shares, setup_uplink),
		cmocka_unit_test_setup(no_uplink, setup_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
