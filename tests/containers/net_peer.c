/* SPDX-License-Identifier: ISC */
/*
 * net_peer: the other end for net_echo on raw frames, and a bystander.
 *   net_peer ping IP COUNT TIMEOUT [GAP-MS]
 *                                    ARP for IP, then COUNT ICMP echoes one
 *                                    at a time, GAP-MS apart (default 10;
 *                                    0: back to back); prints replies and
 *                                    round trips
 *   net_peer listen TIMEOUT [DONES]  count what arrives until DONES "done"
 *                                    frames (default 1); fail on any unicast
 *                                    that is not for us or from a MAC not 02:00:*
 *   net_peer deaf SECONDS            stay on the network SECONDS, never reading
 *   net_peer flood IP TIMEOUT        full-size unicast frames to 02:00:<IP> as
 *                                    fast as taken, until a "done" frame
 * ping broadcasts one "done" frame (EtherType 0x88b5) at the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <hako/hako.h>

#include "frames.h"

#define ETH_LEN   14
#define ETH_ARP   0x0806
#define ETH_IP    0x0800
#define ETH_LOCAL 0x88b5
#define SEC       1000000000LL

static const struct hako_start_info *si;
static uint8_t in[16][HAKO_FRAME_MAX], out[HAKO_FRAME_MAX];
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static int64_t now(void) { return hako_time(HAKO_CLOCK_MONOTONIC); }

static void send1(const uint8_t *f, size_t len)
{
	struct hako_iov v = { (uint64_t)f, (uint32_t)len, 0 };

	/* Bounded: a full queue is retried for at most 1 s. */
	for (int64_t end = now() + SEC; hako_net_send(&v, 1) == 0 && now() < end;)
		hako_yield(now() + 1000000);
}

static void send_done(void)
{
	memset(out, 0, 60);
	eth(out, bcast, ETH_LOCAL);
	memcpy(out + ETH_LEN, "done", 4);
	send1(out, 60);
}

/*
 * Take frames until deadline (at least one look: 0 means "what is there
 * now", without yielding); calls fn on each, stops when fn returns non-zero.
 */
static int receive(int64_t deadline, int (*fn)(const uint8_t *f, uint32_t len))
{
	struct hako_iov v[16];

	do {
		long n;
		if (deadline)
			hako_yield(deadline);
		for (int i = 0; i < 16; i++)
			v[i] = (struct hako_iov){ (uint64_t)in[i], HAKO_FRAME_MAX, 0 };
		n = hako_net_recv(v, 16);
		for (long i = 0; i < n; i++)
			if (fn(in[i], v[i].len))
				return 1;
	} while (now() < deadline);
	return 0;
}

static uint32_t peer_ip;
static uint8_t peer_mac[6];
static uint16_t seq;

static int arp_reply(const uint8_t *f, uint32_t len)
{
	const uint8_t *a = f + ETH_LEN;

	if (len < ETH_LEN + 28 || get16(f + 12) != ETH_ARP || get16(a + 6) != 2 ||
	    memcmp(a + 14, &peer_ip, 4))
		return 0;
	memcpy(peer_mac, a + 8, 6);
	return 1;
}

static int echo_reply(const uint8_t *f, uint32_t len)
{
	const uint8_t *ip = f + ETH_LEN, *icmp = ip + 20;

	return len >= ETH_LEN + 28 && get16(f + 12) == ETH_IP && ip[9] == 1 && icmp[0] == 0 &&
	       !memcmp(ip + 12, &peer_ip, 4) && get16(icmp + 6) == seq;
}

static size_t arp_request(void)
{
	uint8_t *a = out + ETH_LEN;

	eth(out, bcast, ETH_ARP);
	put16(a, 1), put16(a + 2, ETH_IP), a[4] = 6, a[5] = 4, put16(a + 6, 1);
	memcpy(a + 8, si->mac, 6);
	memcpy(a + 14, &si->ipv4_addr, 4);
	memset(a + 18, 0, 6);
	memcpy(a + 24, &peer_ip, 4);
	return ETH_LEN + 28;
}

static size_t echo_request(void)
{
	uint8_t *ip = out + ETH_LEN, *icmp = ip + 20;

	eth(out, peer_mac, ETH_IP);
	memset(ip, 0, 20 + 8 + 56);
	ip[0] = 0x45, put16(ip + 2, 20 + 8 + 56), ip[8] = 64, ip[9] = 1;
	memcpy(ip + 12, &si->ipv4_addr, 4);
	memcpy(ip + 16, &peer_ip, 4);
	put16(ip + 10, csum(ip, 20, 0));
	icmp[0] = 8;
	put16(icmp + 4, 0x4b48);
	put16(icmp + 6, ++seq);
	memset(icmp + 8, 0x5a, 56);
	put16(icmp + 2, csum(icmp, 8 + 56, 0));
	return ETH_LEN + 20 + 8 + 56;
}

static int ping(long count, int64_t deadline, long gap_ms)
{
	long replies = 0;
	int64_t best = 0, total = 0;

	/* ARP: ask again every 200 ms (the peer may not be listening yet). */
	while (!receive(0, arp_reply)) {
		if (now() >= deadline) {
			printf("net_peer: no ARP reply\n");
			return 1;
		}
		send1(out, arp_request());
		if (receive(now() + SEC / 5 < deadline ? now() + SEC / 5 : deadline, arp_reply))
			break;
	}
	for (long i = 0; i < count && now() < deadline; i++) {
		int64_t t0 = now(), rtt;
		send1(out, echo_request());
		if (!receive(t0 + SEC < deadline ? t0 + SEC : deadline, echo_reply))
			continue;
		rtt = now() - t0;
		total += rtt;
		best = !best || rtt < best ? rtt : best;
		replies++;
		if (gap_ms)
			hako_yield(now() + gap_ms * (SEC / 1000)); /* like ping -i */
	}
	printf("net_peer: %ld/%ld replies, rtt min %lld us avg %lld us\n", replies, count,
	       (long long)best / 1000, replies ? (long long)(total / replies / 1000) : 0LL);
	send_done();
	return replies == count ? 0 : 1;
}

static long n_bcast, n_local, n_alien, n_mine, n_others, n_done, dones = 1;

static int count_frame(const uint8_t *f, uint32_t len)
{
	/* Every container's MAC is 02:00:<IPv4>: anything else was forged. */
	if (f[6] != 0x02 || f[7] != 0x00)
		n_alien++;
	if (f[0] & 1) {
		n_bcast++;
		if (len >= ETH_LEN + 4 && get16(f + 12) == ETH_LOCAL && !memcmp(f + ETH_LEN, "done", 4))
			n_done++;
		else if (get16(f + 12) == ETH_LOCAL)
			n_local++;
	} else if (!memcmp(f, si->mac, 6)) {
		n_mine++;
	} else {
		n_others++;
		printf("net_peer: saw unicast for %02x:%02x:%02x:%02x:%02x:%02x\n", f[0], f[1], f[2],
		       f[3], f[4], f[5]);
	}
	return n_done >= dones;
}

static int bystander(int64_t deadline)
{
	int done = receive(deadline, count_frame);

	printf("net_peer: saw %ld broadcast (%ld of type 0x88b5), %ld unicast to me, "
	       "%ld unicast to others, %ld from a forged MAC%s\n", n_bcast, n_local, n_mine, n_others,
	       n_alien, done ? "" : " (timed out)");
	return done && !n_others && !n_alien ? 0 : 1;
}

static int flood(int64_t deadline)
{
	struct hako_iov v[HAKO_NET_BATCH_MAX];
	long sent = 0, full = 0;

	eth(out, (const uint8_t[6]){ 0x02, 0x00 }, ETH_LOCAL);
	memcpy(out + 2, &peer_ip, 4);
	memset(out + ETH_LEN, 0x46, HAKO_FRAME_MAX - ETH_LEN);
	for (int i = 0; i < HAKO_NET_BATCH_MAX; i++)
		v[i] = (struct hako_iov){ (uint64_t)out, HAKO_FRAME_MAX, 0 };
	while (now() < deadline && !n_done) {
		long n = hako_net_send(v, HAKO_NET_BATCH_MAX);
		if (n < 0) {
			printf("net_peer: flood failed: %ld\n", n);
			return 1;
		}
		sent += n;
		if (n < HAKO_NET_BATCH_MAX) {
			full++;
			hako_yield(0); /* let the others run; no sleeping: keep the pressure on */
		}
		receive(0, count_frame);
	}
	printf("net_peer: flooded %ld frames, %ld full batches%s\n", sent, full,
	       n_done ? "" : " (timed out)");
	return n_done ? 0 : 1;
}

int main(int argc, char **argv)
{
	si = hako_start_info();
	if (!(si->flags & HAKO_INFO_NET) || argc < 3) {
		printf("net_peer: no network or no mode\n");
		return 2;
	}
	if (!strcmp(argv[1], "listen")) {
		if (argc > 3)
			dones = atol(argv[3]);
		printf("net_peer: listening\n");
		return bystander(now() + atol(argv[2]) * SEC);
	}
	if (!strcmp(argv[1], "deaf")) {
		int64_t end = now() + atol(argv[2]) * SEC;
		/* yield returns at once while frames wait: this spins, preempted, as a bad container may. */
		while (now() < end)
			hako_yield(end);
		printf("net_peer: deaf for %ld s\n", atol(argv[2]));
		return 0;
	}
	if (argc < 4 || inet_pton(AF_INET, argv[2], &peer_ip) != 1)
		return 2;
	if (!strcmp(argv[1], "ping"))
		return ping(atol(argv[3]), now() + (argc > 4 ? atol(argv[4]) : 10) * SEC,
			    argc > 5 ? atol(argv[5]) : 10);
	if (!strcmp(argv[1], "flood"))
		return flood(now() + atol(argv[3]) * SEC);
	return 2;
}
