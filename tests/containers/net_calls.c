/* SPDX-License-Identifier: ISC */
/*
 * net_calls: the network calls' checks, then frames with a forged source
 * MAC among honest ones (the platform must drop the forged ones).
 * usage: net_calls none | net_calls FORGED HONEST
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hako/hako.h>

static uint8_t frame[HAKO_FRAME_MAX + 64], rxbuf[HAKO_FRAME_MAX];
static int failures;

static void expect(long got, long want, const char *what)
{
	if (got == want) {
		printf("ok: %s = %ld\n", what, got);
		return;
	}
	printf("net_calls FAILED: %s = %ld, expected %ld\n", what, got, want);
	failures++;
}

static void bad_calls(void)
{
	struct hako_iov v = { (uint64_t)frame, 60, 0 }, many[HAKO_NET_BATCH_MAX + 1];
	struct hako_iov r = { (uint64_t)rxbuf, HAKO_FRAME_MAX - 1, 0 };

	for (int i = 0; i <= HAKO_NET_BATCH_MAX; i++)
		many[i] = v;
	expect(hako_net_send(many, HAKO_NET_BATCH_MAX + 1), -HAKO_EINVAL, "send over the batch maximum");
	expect(hako_net_send(NULL, 1), -HAKO_EFAULT, "send with a NULL iov");
	v.len = 13;
	expect(hako_net_send(&v, 1), -HAKO_EINVAL, "send a 13-byte frame");
	v.len = HAKO_FRAME_MAX + 1;
	expect(hako_net_send(&v, 1), -HAKO_EINVAL, "send a frame over the maximum");
	v.len = 60, v.reserved = 1;
	expect(hako_net_send(&v, 1), -HAKO_EINVAL, "send with reserved set");
	v.reserved = 0, v.base = 0x200000;
	expect(hako_net_send(&v, 1), -HAKO_EFAULT, "send from unmapped memory");
	expect(hako_net_recv(&r, 1), -HAKO_EINVAL, "receive into a short buffer");
	r.len = HAKO_FRAME_MAX, r.base = 0;
	expect(hako_net_recv(&r, 1), -HAKO_EFAULT, "receive into NULL");
	expect(hako_net_send(&v, 0), 0, "send of nothing");
}

int main(int argc, char **argv)
{
	const struct hako_start_info *si = hako_start_info();
	struct hako_iov v = { (uint64_t)frame, 60, 0 };
	long forged, honest;

	if (argc < 2 || !strcmp(argv[1], "none")) {
		expect(!!(si->flags & HAKO_INFO_NET), 0, "no network flag");
		expect(hako_net_send(&v, 1), -HAKO_ENOTSUP, "send without a network");
		expect(hako_net_recv(&v, 1), -HAKO_ENOTSUP, "receive without a network");
		return failures ? 1 : (printf("net_calls none ok\n"), 0);
	}
	forged = atol(argv[1]);
	honest = argc > 2 ? atol(argv[2]) : 0;
	bad_calls();
	/* Broadcast frames of the local experimental EtherType 0x88b5. */
	memset(frame, 0xff, 6);
	frame[12] = 0x88, frame[13] = 0xb5;
	memset(frame + 6, 0x02, 6); /* a MAC that is not ours */
	for (long i = 0; i < forged; i++)
		expect(hako_net_send(&v, 1), 1, "forged frame taken (and dropped)");
	memcpy(frame + 6, si->mac, 6);
	for (long i = 0; i < honest; i++)
		expect(hako_net_send(&v, 1), 1, "honest frame sent");
	if (failures)
		return 1;
	printf("net_calls sent %ld forged, %ld honest\n", forged, honest);
	return 0;
}
