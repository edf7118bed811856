/* SPDX-License-Identifier: ISC */
/* lwipopts.h: lwIP configuration for the hako libOS (NO_SYS, raw API, one thread). */
#ifndef HAKO_LWIPOPTS_H
#define HAKO_LWIPOPTS_H

/*
 * The libOS drives lwIP from its own event loop on the container's one
 * thread (libos/net/netif.c): no OS layer, no locks, no tcpip thread. The
 * sockets apps see are the libOS's own (sock.c), on the raw API.
 */
#define NO_SYS                     1
#define SYS_LIGHTWEIGHT_PROT       0
#define LWIP_NETCONN               0
#define LWIP_SOCKET                0
#define LWIP_TIMERS                1

/* Memory: musl's malloc for the heap and for every pool (no fixed arenas). */
#define MEM_LIBC_MALLOC            1
#define MEMP_MEM_MALLOC            1
#define MEM_ALIGNMENT              8
/* Pool pbufs hold a whole frame: the receive path hands them to net_recv. */
#define PBUF_POOL_BUFSIZE          1536

/* Protocols: IPv4, ARP, ICMP, UDP, TCP, DHCP; a loopback interface. */
#define LWIP_IPV4                  1
#define LWIP_IPV6                  0
#define LWIP_ARP                   1
#define LWIP_ETHERNET              1
#define LWIP_ICMP                  1
#define LWIP_RAW                   0
#define LWIP_UDP                   1
#define LWIP_TCP                   1
#define LWIP_DHCP                  1
#define LWIP_DNS                   0
#define LWIP_IGMP                  0
#define LWIP_HAVE_LOOPIF           1
#define LWIP_NETIF_LOOPBACK        1
#define LWIP_LOOPBACK_MAX_PBUFS    256
#define LWIP_NETIF_STATUS_CALLBACK 1
#define ETHARP_SUPPORT_STATIC_ENTRIES 0
#define ARP_TABLE_SIZE             32
/* Packets wait for an ARP answer: enough for a burst of SYN-ACKs to a new gateway. */
#define ARP_QUEUEING               1
#define ARP_QUEUE_LEN              64

/*
 * Datagrams up to 64 KiB: fragmentation on output, reassembly on input.
 * A 65507-byte datagram is 45 fragments of 1480 bytes; two may be in
 * reassembly at once.
 */
#define IP_FRAG                    1
#define IP_REASSEMBLY              1
#define IP_REASS_MAX_PBUFS         100
#define MEMP_NUM_REASSDATA         4
#define IP_REASS_MAXAGE            5 /* seconds, like Linux's ipfrag_time/6 */

/*
 * TCP: a 32-segment window and send buffer (~46 KB), below 64 KiB so a
 * socket's receive queue (one pbuf chain, 16-bit length) cannot overflow.
 * Window scaling is on (with a shift of 0) because a peer may scale the
 * windows it sends us even when we offered no scaling (passt does).
 */
#define TCP_MSS                    1460
#define TCP_WND                    (32 * TCP_MSS)
#define TCP_SND_BUF                (32 * TCP_MSS)
#define TCP_SND_QUEUELEN           (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_SNDLOWAT               (TCP_SND_BUF / 4)
#define TCP_SNDQUEUELOWAT          (TCP_SND_QUEUELEN / 2)
#define TCP_QUEUE_OOSEQ            1
#define TCP_OOSEQ_MAX_PBUFS        64
#define TCP_LISTEN_BACKLOG         1
#define TCP_DEFAULT_LISTEN_BACKLOG 128
#define LWIP_TCP_KEEPALIVE         1
/* TIME_WAIT (2 MSL) lasts 60 s, as on Linux; tcp_hooks.c ends or recycles one early. */
#define TCP_MSL                    30000
#define SO_REUSE                   1
#define LWIP_SO_RCVBUF             0
#define LWIP_WND_SCALE             1
#define TCP_RCV_SCALE              0
/*
 * Counts that only bound lists now that pools are malloc'd: with
 * MEMP_MEM_MALLOC lwIP counts no pcbs, so a server takes as many
 * connections as its memory holds; TIME_WAIT ones are bounded in tcp_hooks.c.
 */
#define MEMP_NUM_TCP_PCB           1024
#define MEMP_NUM_TCP_PCB_LISTEN    64
#define MEMP_NUM_UDP_PCB           256
#define MEMP_NUM_TCP_SEG           (16 * TCP_SND_QUEUELEN)
#define MEMP_NUM_PBUF              1024
#define MEMP_NUM_FRAG_PBUF         128
#define PBUF_POOL_SIZE             1024
#define MEMP_NUM_ARP_QUEUE         256
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1

/* Checksums in software: the platforms deliver plain frames. */
#define CHECKSUM_GEN_IP            1
#define CHECKSUM_GEN_UDP           1
#define CHECKSUM_GEN_TCP           1
#define CHECKSUM_CHECK_IP          1
#define CHECKSUM_CHECK_UDP         1
#define CHECKSUM_CHECK_TCP         1
#define LWIP_CHECKSUM_ON_COPY      1

/* Our hooks (tcp_hooks.c): RFC 6528 ISNs; what a SYN meets first (TIME_WAIT, a full backlog). */
#define LWIP_HOOK_FILENAME         "lwip_hooks.h"

#define LWIP_STATS                 0
#define LWIP_NETIF_HOSTNAME        0
#define LWIP_NETIF_API             0

#endif /* HAKO_LWIPOPTS_H */
