/* SPDX-License-Identifier: ISC */
/*
 * proc platform, container side: the network device at PROC_FD_NET, either
 * a TAP device (one read/write per frame) or a stream socket to passt
 * (frames behind a 4-byte big-endian length, as QEMU's "-netdev stream"
 * sends them). Freestanding like calls.c. As the hv switch does, net_send
 * drops every frame that fails the source check (lib/netsrc.h: the
 * container's own MAC, ARP and IPv4 source addresses, no other type);
 * received frames that do not fit HAKO_FRAME_MAX are dropped, never
 * truncated (a cut IP packet is worse than a lost one), and both are counted.
 */
#include "dev.h"

#include <linux/sockios.h>
#include <poll.h>
#include <stddef.h>
#include <sys/ioctl.h> /* SIOCOUTQ is TIOCOUTQ */
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

#include "hako/abi.h"
#include "net_order.h"
#include "rawsys.h"

#define RX_SIZE     (64u << 10)      /* passt stream buffer */
#define HDR_LEN     4                /* passt's length prefix */
#define ETH_MIN     14
#define SEND_WAIT   1000000000LL     /* ns to finish a half-written frame */
#define EINTR_MAX   64

static enum proc_net_mode mode;
static struct netsrc own;            /* what the container may send as */
static int down;                     /* passt closed its end */
static uint64_t n_refused[NETSRC_VERDICTS], n_bad_len;

/* passt's byte stream: [rx_head, rx_tail) not parsed yet; rx_skip bytes of a dropped frame to come. */
static uint8_t rx[RX_SIZE];
static uint32_t rx_head, rx_tail, rx_skip;

void proc_net_init(enum proc_net_mode m, const uint8_t mac[6], uint32_t ipv4)
{
	mode = m;
	raw_copy(own.mac, mac, sizeof(own.mac));
	own.ipv4 = ipv4;
}

int proc_net_attached(void)
{
	return mode != PROC_NET_NONE && !down;
}

void proc_net_drops(uint64_t refused[NETSRC_VERDICTS], uint64_t *bad_len)
{
	raw_copy(refused, n_refused, sizeof(n_refused));
	*bad_len = n_bad_len;
}

/* Copy the container's iov array in and check every entry (lib/abicheck.c); 0 or -HAKO_E*. */
static long copy_iovs(struct hako_iov *k, uint64_t uiov, uint64_t n, int recv)
{
	return abi_frames(&proc_mem, mode != PROC_NET_NONE, k, uiov, n, recv);
}

/*
 * The source check of one frame, in the container's memory. It cannot
 * change between this check and the write: the container's one thread is
 * here, in the call.
 */
static enum netsrc_verdict refused(const struct hako_iov *f)
{
	return netsrc_check(&own, (const uint8_t *)f->base, f->len);
}

static long write_retry(long nr, long a1, long a2)
{
	long r;
	int eintr = 0;

	do
		r = sys4(nr, PROC_FD_NET, a1, a2, 0);
	while (r == -RAW_EINTR && ++eintr < EINTR_MAX);
	return r;
}

/* TAP: one write per frame; a full queue (EAGAIN) ends the batch. */
static long tap_send(const struct hako_iov *k, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++) {
		enum netsrc_verdict v = refused(&k[i]);
		long r;
		if (v != NETSRC_OK) {
			n_refused[v]++;
			continue;
		}
		r = write_retry(SYS_write, (long)k[i].base, k[i].len);
		if (r == -RAW_EAGAIN)
			break;
		if (r < 0)
			return i ? (long)i : -HAKO_EIO;
	}
	return (long)i;
}

/* Write the rest of one frame, done bytes of prefix + frame already sent, waiting for room. */
static int finish_frame(uint8_t *hdr, const struct hako_iov *f, uint64_t done)
{
	struct pollfd p = { .fd = PROC_FD_NET, .events = POLLOUT };
	struct timespec ts = { 0, SEND_WAIT / 16 };
	uint8_t *frame = (uint8_t *)f->base;

	/* Bounded: at most 16 waits of 1/16 of SEND_WAIT each. */
	for (int round = 0; round < 16; round++) {
		struct iovec v[2];
		int nv = 0;
		long r;
		if (done < HDR_LEN) {
			v[nv++] = (struct iovec){ hdr + done, HDR_LEN - done };
			v[nv++] = (struct iovec){ frame, f->len };
		} else {
			v[nv++] = (struct iovec){ frame + (done - HDR_LEN), f->len - (done - HDR_LEN) };
		}
		r = write_retry(SYS_writev, (long)v, nv);
		if (r > 0)
			done += (uint64_t)r;
		else if (r != -RAW_EAGAIN)
			return -1;
		if (done == HDR_LEN + f->len)
			return 0;
		sys5(SYS_ppoll, (long)&p, 1, (long)&ts, 0, 8);
	}
	return -1;
}

/* How many frames, from the first, may be written to passt now (net_order.c). */
static uint64_t passt_admitted(const struct hako_iov *k, uint64_t n)
{
	int unread = -1;
	uint64_t i;

	if (sys4(SYS_ioctl, PROC_FD_NET, SIOCOUTQ, (long)&unread, 0) == 0 && unread == 0)
		net_order_drained();
	for (i = 0; i < n; i++)
		if (refused(&k[i]) == NETSRC_OK && !net_order_admit((const uint8_t *)k[i].base, k[i].len))
			break;
	return i;
}

/*
 * passt: the whole batch in one writev, each frame behind its length. The
 * stream must never hold half a frame, so a frame the socket took only
 * part of is finished before returning; frames after it are not taken.
 */
static long passt_send(const struct hako_iov *k, uint64_t n)
{
	static uint8_t hdr[HAKO_NET_BATCH_MAX][HDR_LEN];
	struct iovec v[2 * HAKO_NET_BATCH_MAX];
	uint8_t idx[HAKO_NET_BATCH_MAX];
	uint64_t c = 0, sent = 0, taken, rem;
	long r;

	if (down)
		return -HAKO_EIO;
	if (!(n = passt_admitted(k, n)))
		return 0;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t len = k[i].len;
		if (refused(&k[i]) != NETSRC_OK)
			continue;
		hdr[c][0] = (uint8_t)(len >> 24);
		hdr[c][1] = (uint8_t)(len >> 16);
		hdr[c][2] = (uint8_t)(len >> 8);
		hdr[c][3] = (uint8_t)len;
		v[2 * c] = (struct iovec){ hdr[c], HDR_LEN };
		v[2 * c + 1] = (struct iovec){ (void *)k[i].base, len };
		idx[c++] = (uint8_t)i;
	}
	r = c ? write_retry(SYS_writev, (long)v, (long)(2 * c)) : 0;
	if (r == -RAW_EAGAIN)
		r = 0;
	if (r < 0) {
		down = 1;
		return -HAKO_EIO;
	}
	for (rem = (uint64_t)r; sent < c && rem >= HDR_LEN + k[idx[sent]].len; sent++)
		rem -= HDR_LEN + k[idx[sent]].len;
	if (rem) {
		if (finish_frame(hdr[sent], &k[idx[sent]], rem)) {
			down = 1;
			return -HAKO_EIO;
		}
		sent++;
	}
	taken = sent < c ? idx[sent] : n;
	for (uint64_t i = 0; i < taken; i++) {
		enum netsrc_verdict why = refused(&k[i]);
		if (why != NETSRC_OK)
			n_refused[why]++;
	}
	return (long)taken;
}

long proc_net_send(uint64_t uiov, uint64_t n)
{
	struct hako_iov k[HAKO_NET_BATCH_MAX];
	long rc = copy_iovs(k, uiov, n, 0);

	if (rc || n == 0)
		return rc;
	return mode == PROC_NET_TAP ? tap_send(k, n) : passt_send(k, n);
}

/* Hand the container one received frame: copy, then store its length. */
static void deliver(uint64_t uiov, struct hako_iov *k, uint64_t i, const uint8_t *f, uint32_t len)
{
	if (f)
		raw_copy((void *)k[i].base, f, len);
	k[i].len = len;
	((struct hako_iov *)uiov)[i].len = len;
}

/* TAP: readv with an overflow slot behind the frame, so a long frame is seen and dropped. */
static long tap_recv(uint64_t uiov, struct hako_iov *k, uint64_t n)
{
	static uint8_t overflow[64];
	uint64_t got = 0;

	for (uint64_t round = 0; got < n && round < 2 * n + 2; round++) {
		struct iovec v[2] = { { (void *)k[got].base, HAKO_FRAME_MAX },
				      { overflow, sizeof(overflow) } };
		long r = sys4(SYS_readv, PROC_FD_NET, (long)v, 2, 0);
		if (r == -RAW_EINTR)
			continue;
		if (r < 0)
			break;
		if (r < ETH_MIN || r > HAKO_FRAME_MAX) {
			n_bad_len++;
			continue;
		}
		deliver(uiov, k, got++, NULL, (uint32_t)r);
	}
	return (long)got;
}

/* The next whole frame in passt's stream, or NULL; drops frames of a bad length. */
static const uint8_t *rx_frame(uint32_t *len)
{
	/* Bounded: every pass consumes bytes or returns. */
	for (;;) {
		uint32_t avail = rx_tail - rx_head, l;
		if (rx_skip) {
			uint32_t k = rx_skip < avail ? rx_skip : avail;
			rx_head += k;
			rx_skip -= k;
			if (rx_skip)
				return NULL;
			continue;
		}
		if (avail < HDR_LEN)
			return NULL;
		l = (uint32_t)rx[rx_head] << 24 | (uint32_t)rx[rx_head + 1] << 16 |
		    (uint32_t)rx[rx_head + 2] << 8 | rx[rx_head + 3];
		if (l < ETH_MIN || l > HAKO_FRAME_MAX) {
			n_bad_len++;
			rx_head += HDR_LEN;
			rx_skip = l;
			continue;
		}
		if (avail < HDR_LEN + l)
			return NULL;
		*len = l;
		return rx + rx_head + HDR_LEN;
	}
}

/* Make room at the end of rx: a whole frame always fits once compacted. */
static void rx_compact(void)
{
	if (rx_head == rx_tail) {
		rx_head = rx_tail = 0;
	} else if (RX_SIZE - rx_tail < HDR_LEN + HAKO_FRAME_MAX) {
		raw_copy(rx, rx + rx_head, rx_tail - rx_head);
		rx_tail -= rx_head;
		rx_head = 0;
	}
}

static long passt_recv(uint64_t uiov, struct hako_iov *k, uint64_t n)
{
	uint64_t got = 0;
	const uint8_t *f;
	uint32_t len;

	for (uint64_t reads = 0; got < n;) {
		long r;
		if ((f = rx_frame(&len))) {
			deliver(uiov, k, got++, f, len);
			rx_head += HDR_LEN + len;
			continue;
		}
		if (down || reads++ > 2 * n + 2)
			break;
		rx_compact();
		r = sys4(SYS_read, PROC_FD_NET, (long)(rx + rx_tail), RX_SIZE - rx_tail, 0);
		if (r == -RAW_EINTR)
			continue;
		if (r == 0)
			down = 1;
		if (r <= 0)
			break;
		rx_tail += (uint32_t)r;
	}
	return (long)got;
}

long proc_net_recv(uint64_t uiov, uint64_t n)
{
	struct hako_iov k[HAKO_NET_BATCH_MAX];
	long rc = copy_iovs(k, uiov, n, 1);

	if (rc || n == 0)
		return rc;
	return mode == PROC_NET_TAP ? tap_recv(uiov, k, n) : passt_recv(uiov, k, n);
}

long proc_net_wait(int64_t deadline, int64_t now)
{
	struct pollfd p = { .fd = PROC_FD_NET, .events = POLLIN };
	int64_t left = deadline > now ? deadline - now : 0;
	struct timespec ts = { left / 1000000000, left % 1000000000 };
	uint32_t len;
	long r;

	if (mode == PROC_NET_PASST && rx_frame(&len))
		return HAKO_READY_NET;
	/* EINTR returns early with nothing ready, which yield's contract allows. */
	r = sys5(SYS_ppoll, (long)&p, 1, (long)&ts, 0, 8);
	return r > 0 ? HAKO_READY_NET : 0;
}
