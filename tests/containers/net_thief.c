/* SPDX-License-Identifier: ISC */
/*
 * net_thief: a neighbour that tries to take another container's traffic,
 * with its own honest MAC (the platform must drop every such frame).
 *   net_thief arp VICTIM CLIENT TIMEOUT  claim VICTIM's address: ARP replies
 *                                        "VICTIM is at my MAC", broadcast and
 *                                        to CLIENT, every 2 ms
 *   net_thief ip VICTIM CLIENT TIMEOUT   datagrams "forged" from VICTIM:7 to
 *                                        CLIENT:5000, every 2 ms
 *   net_thief burst VICTIM COUNT         COUNT ARP claims and COUNT forged
 *                                        datagrams (to 02:00:<VICTIM>), then
 *                                        one honest gratuitous ARP; exits
 * arp and ip run until a datagram to their own port 9 (udp_client's "done")
 * or TIMEOUT seconds, answer ARP for their own address, and count the IPv4
 * packets for VICTIM that reach them: what they stole.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hako/hako.h>

#include "frames.h"

#define ETH_LEN  14
#define ETH_ARP  0x0806
#define ETH_IP   0x0800
#define SEC      1000000000LL
#define EVERY_NS 2000000LL

static const struct hako_start_info *si;
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static uint8_t in[16][HAKO_FRAME_MAX], out[HAKO_FRAME_MAX];
static uint32_t victim, client;
static long sent, stolen;
static int done;

static int64_t now(void) { return hako_time(HAKO_CLOCK_MONOTONIC); }

static void mac_of(uint8_t *mac, uint32_t ip)
{
	mac[0] = 0x02, mac[1] = 0x00;
	memcpy(mac + 2, &ip, 4);
}

static void send1(size_t len)
{
	struct hako_iov v = { (uint64_t)out, (uint32_t)len, 0 };

	sent += hako_net_send(&v, 1) == 1;
}

/* ARP op from our MAC, sender address spa, to dst (target tpa). */
static size_t arp(const uint8_t *dst, uint16_t op, uint32_t spa, uint32_t tpa)
{
	uint8_t *a = out + ETH_LEN;

	eth(out, dst, ETH_ARP);
	put16(a, 1), put16(a + 2, ETH_IP), a[4] = 6, a[5] = 4, put16(a + 6, op);
	memcpy(a + 8, si->mac, 6);
	memcpy(a + 14, &spa, 4);
	memcpy(a + 18, dst, 6);
	memcpy(a + 24, &tpa, 4);
	return ETH_LEN + 28;
}

/* A UDP datagram "forged" from victim:7 to dst:5000, checksum left out (IPv4 allows it). */
static size_t forged_datagram(uint32_t dst)
{
	uint8_t *ip = out + ETH_LEN, *udp = ip + 20, mac[6];

	mac_of(mac, dst);
	eth(out, mac, ETH_IP);
	memset(ip, 0, 20 + 8);
	ip[0] = 0x45, put16(ip + 2, 20 + 8 + 6), ip[8] = 64, ip[9] = 17;
	memcpy(ip + 12, &victim, 4);
	memcpy(ip + 16, &dst, 4);
	put16(ip + 10, csum(ip, 20, 0));
	put16(udp, 7), put16(udp + 2, 5000), put16(udp + 4, 8 + 6);
	memcpy(udp + 8, "forged", 6);
	return ETH_LEN + 20 + 8 + 6;
}

/* One received frame: answer ARP for us, notice "done", count what was meant for the victim. */
static void look(const uint8_t *f, uint32_t len)
{
	const uint8_t *p = f + ETH_LEN;

	if (len >= ETH_LEN + 28 && get16(f + 12) == ETH_ARP && get16(p + 6) == 1 &&
	    !memcmp(p + 24, &si->ipv4_addr, 4)) {
		uint32_t tpa;
		memcpy(&tpa, p + 14, 4);
		send1(arp(p + 8, 2, si->ipv4_addr, tpa));
	} else if (len >= ETH_LEN + 28 && get16(f + 12) == ETH_IP && !memcmp(p + 16, &victim, 4)) {
		stolen++;
	} else if (len >= ETH_LEN + 28 && get16(f + 12) == ETH_IP && !memcmp(p + 16, &si->ipv4_addr, 4) &&
		   p[9] == 17 && get16(p + (p[0] & 15) * 4 + 2) == 9) {
		done = 1;
	}
}

static void receive(void)
{
	struct hako_iov v[16];
	long n;

	for (int i = 0; i < 16; i++)
		v[i] = (struct hako_iov){ (uint64_t)in[i], HAKO_FRAME_MAX, 0 };
	n = hako_net_recv(v, 16);
	for (long i = 0; i < n; i++)
		look(in[i], v[i].len);
}

/* arp / ip: one claim every 2 ms until done or the deadline. */
static void run(int by_arp, int64_t deadline)
{
	uint8_t cmac[6];

	mac_of(cmac, client);
	/* Bounded: one round per 2 ms until the deadline. */
	while (!done && now() < deadline) {
		if (by_arp) {
			send1(arp(bcast, 2, victim, client));
			send1(arp(cmac, 2, victim, client));
		} else {
			send1(forged_datagram(client));
		}
		hako_yield(now() + EVERY_NS);
		receive();
	}
}

int main(int argc, char **argv)
{
	si = hako_start_info();
	if (argc < 4 || inet_pton(AF_INET, argv[2], &victim) != 1 ||
	    (strcmp(argv[1], "burst") && inet_pton(AF_INET, argv[3], &client) != 1)) {
		printf("net_thief: usage: net_thief arp|ip VICTIM CLIENT TIMEOUT | burst VICTIM COUNT\n");
		return 2;
	}
	if (!strcmp(argv[1], "burst")) {
		long n = atol(argv[3]);
		for (long i = 0; i < n; i++) {
			send1(arp(bcast, 2, victim, victim));
			send1(forged_datagram(victim));
		}
		send1(arp(bcast, 1, si->ipv4_addr, si->ipv4_addr)); /* gratuitous, honest */
		printf("net_thief: burst of %ld ARP claims and %ld forged datagrams, 1 honest ARP; %ld taken\n",
		       n, n, sent);
		return 0;
	}
	printf("net_thief: claiming %s by %s\n", argv[2], argv[1]);
	fflush(stdout);
	run(!strcmp(argv[1], "arp"), now() + (argc > 4 ? atol(argv[4]) : 10) * SEC);
	printf("net_thief: %ld frames taken, stole %ld packets%s\n", sent, stolen, done ? "" : " (no done)");
	return 0;
}
