/* SPDX-License-Identifier: ISC */
/* virtio-net: the switch's uplink. */
#ifndef HV_VIRTIO_NET_H
#define HV_VIRTIO_NET_H

/*
 * Find the first virtio-net device, fill its receive ring, and make it
 * the switch's uplink (net_uplink). Without one the switch runs alone.
 * Its own MAC is never used: the containers have theirs.
 */
void vnet_init(void);

#endif /* HV_VIRTIO_NET_H */
