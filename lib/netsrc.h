/* SPDX-License-Identifier: ISC */
/*
 * The source check every frame a container sends must pass, the same on
 * both platforms (the hv switch, the proc tender); freestanding. A port
 * knows its MAC and its IPv4 address (the platform gave both), so, as a
 * cloud's source/destination check does, it lets through only frames
 * that are honestly its own:
 *   - the Ethernet source is the port's MAC;
 *   - ARP (Ethernet/IPv4 only) names the port's MAC as sender and the
 *     port's address as sender address, or 0.0.0.0 in a request (an
 *     RFC 5227 probe, which updates no cache); a gratuitous ARP for its
 *     own address passes. No container can claim a neighbour's address;
 *   - IPv4 carries the port's address as source, or 0.0.0.0 in a DHCP
 *     client message (UDP 68 to 67, first fragment), before a lease;
 *   - the IEEE local experimental EtherTypes 0x88b5 and 0x88b6 pass (raw
 *     frames between containers, which no host stack acts on);
 *   - nothing else: a VLAN tag would hide the frame inside from this
 *     check, no container has an IPv6 address, and 802.3/LLC frames (STP
 *     BPDUs), LLDP and the rest are for the host's network, not for it.
 */
#ifndef HAKO_NETSRC_H
#define HAKO_NETSRC_H

#include <stdint.h>

enum netsrc_verdict {
	NETSRC_OK,
	NETSRC_MAC,   /* Ethernet source not the port's MAC (or no whole header) */
	NETSRC_ARP,   /* ARP not from the port's MAC and address, or malformed */
	NETSRC_IPV4,  /* IPv4 from another address, or malformed */
	NETSRC_TYPE,  /* an EtherType no container may send */
	NETSRC_VERDICTS
};

/* What a port may send as. */
struct netsrc {
	uint8_t mac[6];
	uint32_t ipv4;  /* network byte order; 0: the port has no address (DHCP only) */
};

/*
 * enum netsrc_verdict netsrc_check(const struct netsrc *port (port),
 *                                  const uint8_t *frame (frame), uint32_t len (len))
 *   May port send these len bytes? NETSRC_OK, or why not. Reads only
 *   inside [frame, frame + len); frame MUST not change meanwhile (copy it
 *   in first when the sender could).
 */
enum netsrc_verdict netsrc_check(const struct netsrc *port, const uint8_t *frame, uint32_t len);

#endif /* HAKO_NETSRC_H */
