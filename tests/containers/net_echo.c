/* SPDX-License-Identifier: ISC */
/*
 * net_echo: answers ARP requests for its address, ICMP echo requests and
 * UDP datagrams to port 7 on raw frames; exits after COUNT answers (ICMP
 * or UDP) or after echoing a datagram that starts with "quit", or with
 * status 1 after TIMEOUT seconds. With FLOOD, it first
 * sends FLOOD full-size frames in batches of 64 as fast as the platform
 * takes them (a stream backend then sees short writes, which must never
 * leave half a frame behind).  usage: net_echo COUNT TIMEOUT [FLOOD]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hako/hako.h>

#include "frames.h"

#define BATCH     16
#define ETH_LEN   14
#define ETH_ARP   0x0806
#define ETH_IP    0x0800
#define ECHO_PORT 7

static uint8_t in[BATCH][HAKO_FRAME_MAX], out[BATCH][HAKO_FRAME_MAX];
static const struct hako_start_info *si;
static long answers;
static int quit;


/* ARP reply (op 2) or gratuitous request (op 1, to broadcast). */
static size_t arp(uint8_t *f, uint16_t op, const uint8_t *tha, const uint8_t *tpa)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t *a = f + ETH_LEN;

	eth(f, op == 1 ? bcast : tha, ETH_ARP);
	put16(a, 1);          /* Ethernet */
	put16(a + 2, ETH_IP); /* IPv4 */
	a[4] = 6, a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, si->mac, 6);
	memcpy(a + 14, &si->ipv4_addr, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, tpa, 4);
	return ETH_LEN + 28;
}

/* Turn a copy of the request around: swap MACs and IPs, fresh header checksum. */
static uint8_t *turn_ip(uint8_t *f, const uint8_t *req, size_t len)
{
	uint8_t *ip = f + ETH_LEN, tmp[4];

	memcpy(f, req, len);
	eth(f, req + 6, ETH_IP);
	memcpy(tmp, ip + 12, 4);
	memcpy(ip + 12, ip + 16, 4);
	memcpy(ip + 16, tmp, 4);
	ip[8] = 64; /* TTL */
	put16(ip + 10, 0);
	put16(ip + 10, csum(ip, (size_t)(ip[0] & 15) * 4, 0));
	return ip + (ip[0] & 15) * 4;
}

/* One received frame; returns the length of the answer put in o, or 0. */
static size_t answer(const uint8_t *f, size_t len, uint8_t *o)
{
	const uint8_t *ip = f + ETH_LEN;
	size_t ihl, tot;

	if (len >= ETH_LEN + 28 && get16(f + 12) == ETH_ARP && get16(ip + 6) == 1 &&
	    !memcmp(ip + 24, &si->ipv4_addr, 4))
		return arp(o, 2, ip + 8, ip + 14);
	if (len < ETH_LEN + 20 || get16(f + 12) != ETH_IP || (ip[0] >> 4) != 4 ||
	    memcmp(ip + 16, &si->ipv4_addr, 4))
		return 0;
	ihl = (size_t)(ip[0] & 15) * 4;
	tot = get16(ip + 2);
	if (ihl < 20 || tot < ihl + 8 || ETH_LEN + tot > len)
		return 0;
	if (ip[9] == 1 && ip[ihl] == 8) { /* ICMP echo request */
		uint8_t *icmp = turn_ip(o, f, ETH_LEN + tot);
		icmp[0] = 0;
		put16(icmp + 2, 0);
		put16(icmp + 2, csum(icmp, tot - ihl, 0));
		answers++;
		return ETH_LEN + tot;
	}
	if (ip[9] == 17 && get16(ip + ihl + 2) == ECHO_PORT) { /* UDP echo */
		uint8_t *udp = turn_ip(o, f, ETH_LEN + tot), port[2];
		uint8_t *oip = o + ETH_LEN;
		size_t ulen = tot - ihl;
		uint32_t pseudo = get16(oip + 12) + get16(oip + 14) + get16(oip + 16) +
				  get16(oip + 18) + 17 + (uint32_t)ulen;
		memcpy(port, udp, 2);
		memcpy(udp, udp + 2, 2);
		memcpy(udp + 2, port, 2);
		put16(udp + 6, 0);
		put16(udp + 6, csum(udp, ulen, pseudo) ?: 0xffff);
		quit = ulen >= 8 + 4 && !memcmp(udp + 8, "quit", 4);
		answers++;
		return ETH_LEN + tot;
	}
	return 0;
}

/* Full-size broadcast frames of the local experimental EtherType, as fast as taken. */
static void flood(long total)
{
	static uint8_t big[HAKO_FRAME_MAX];
	struct hako_iov v[HAKO_NET_BATCH_MAX];
	long sent = 0, short_batches = 0;

	memset(big, 0xff, 6);
	memcpy(big + 6, si->mac, 6);
	put16(big + 12, 0x88b5);
	for (int i = 0; i < HAKO_NET_BATCH_MAX; i++)
		v[i] = (struct hako_iov){ (uint64_t)big, HAKO_FRAME_MAX, 0 };
	/* Bounded: every round either sends or waits 1 ms, for 10 s at most. */
	for (long round = 0; sent < total && round < 10000; round++) {
		long want = total - sent < HAKO_NET_BATCH_MAX ? total - sent : HAKO_NET_BATCH_MAX;
		long n = hako_net_send(v, (size_t)want);
		if (n < 0) {
			printf("net_echo: flood failed: %ld\n", n);
			exit(1);
		}
		sent += n;
		if (n < want) {
			short_batches++;
			hako_yield(hako_time(HAKO_CLOCK_MONOTONIC) + 1000000);
		}
	}
	printf("net_echo: flooded %ld frames, %ld short batches\n", sent, short_batches);
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 3;
	int64_t deadline = hako_time(HAKO_CLOCK_MONOTONIC) + (argc > 2 ? atol(argv[2]) : 10) * 1000000000LL;
	struct hako_iov iov[BATCH], tx[BATCH];
	const uint8_t *a;

	si = hako_start_info();
	a = (const uint8_t *)&si->ipv4_addr;
	if (!(si->flags & HAKO_INFO_NET)) {
		printf("net_echo: no network\n");
		return 2;
	}
	printf("net_echo: %u.%u.%u.%u mac %02x:%02x:%02x:%02x:%02x:%02x mtu %u\n", a[0], a[1], a[2],
	       a[3], si->mac[0], si->mac[1], si->mac[2], si->mac[3], si->mac[4], si->mac[5], si->mtu);
	fflush(stdout);
	/* Announce ourselves: a peer (passt) learns our MAC before it sends us anything. */
	tx[0] = (struct hako_iov){ (uint64_t)out[0], (uint32_t)arp(out[0], 1, (const uint8_t[6]){ 0 },
								   (const uint8_t *)&si->ipv4_addr), 0 };
	hako_net_send(tx, 1);
	if (argc > 3)
		flood(atol(argv[3]));
	fflush(stdout);
	while (answers < count && !quit) {
		long n, m = 0;
		if (hako_time(HAKO_CLOCK_MONOTONIC) >= deadline) {
			printf("net_echo: timeout after %ld answers\n", answers);
			return 1;
		}
		hako_yield(deadline);
		for (int i = 0; i < BATCH; i++)
			iov[i] = (struct hako_iov){ (uint64_t)in[i], HAKO_FRAME_MAX, 0 };
		n = hako_net_recv(iov, BATCH);
		for (long i = 0; i < n; i++) {
			size_t len = answer(in[i], iov[i].len, out[m]);
			if (len)
				tx[m] = (struct hako_iov){ (uint64_t)out[m], (uint32_t)len, 0 }, m++;
		}
		/* A full queue (after a flood, say) takes fewer: wait a little and send the rest. */
		for (long sent = 0, k; sent < m; sent += k) {
			if ((k = hako_net_send(tx + sent, (size_t)(m - sent))) < 0 ||
			    (k == 0 && hako_time(HAKO_CLOCK_MONOTONIC) >= deadline)) {
				printf("net_echo: send took fewer frames than %ld\n", m);
				break;
			}
			if (k == 0)
				hako_yield(hako_time(HAKO_CLOCK_MONOTONIC) + 1000000);
		}
	}
	printf("net_echo: answered %ld\n", answers);
	return 0;
}
