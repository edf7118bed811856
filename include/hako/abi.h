/* SPDX-License-Identifier: ISC */
/* hako ABI: the whole contract between a container and the platform running it. */
#ifndef HAKO_ABI_H
#define HAKO_ABI_H

/*
 * One container binary runs on every platform. It never executes a host
 * system call itself: it calls the platform through the call page, a page
 * of code the platform maps read-only+executable at HAKO_CALL_VA. The page
 * starts with a function of the SysV x86-64 calling convention:
 *
 *     long hako_call(long nr, long a0, long a1, long a2, long a3);
 *
 * What the page does is the platform's business (a `syscall` into the hv,
 * a function inside the proc tender). Results are >= 0 on success and a
 * negative HAKO_E* code on failure. Every pointer and length a container
 * passes is untrusted: the platform copies it in, checks it, then uses it.
 * A buffer is the container's when both its ends lie below HAKO_USER_END
 * and every byte is memory the platform gave it, with the access the call
 * needs; an empty buffer only needs its start below HAKO_USER_END.
 * A call that breaks a MUST below may end with the container killed; the
 * platform itself never fails because of a call.
 *
 * Address space of a container (virtual, low canonical half only):
 *   [0, HAKO_CALL_VA)                 never mapped: NULL and small offsets fault
 *   HAKO_CALL_VA                      call page (r-x)
 *   HAKO_INFO_VA                      start info page (r--)
 *   [HAKO_IMAGE_MIN, HAKO_IMAGE_MAX)  the image's PT_LOAD segments
 *   heap, stack                       placed by the platform, see start info
 *
 * Entry: the platform jumps to the ELF entry point in ring 3 / user mode
 * with %rdi = HAKO_INFO_VA, %rsp 16-byte aligned at the top of the stack,
 * the direction flag clear and the FS base 0.
 */

#ifdef __ASSEMBLER__
#define HAKO_UL(x) x
#else
#include <stdint.h>
#define HAKO_UL(x) x##UL
#endif

#define HAKO_ABI_MAJOR 1 /* incompatible changes */
#define HAKO_ABI_MINOR 1 /* additions; 1: pkey calls, HAKO_EBUSY, domains note */

#define HAKO_PAGE_SIZE HAKO_UL(4096)
#define HAKO_CALL_VA   HAKO_UL(0x100000)
#define HAKO_INFO_VA   HAKO_UL(0x101000)
#define HAKO_IMAGE_MIN HAKO_UL(0x400000)
#define HAKO_IMAGE_MAX HAKO_UL(0x40000000) /* 1 GiB: end of image space */
/*
 * End of the container's addresses: the canonical low half less its last
 * page, where no platform maps anything (as on Linux). Every pointer a
 * call takes and every tls_set base MUST lie below it.
 */
#define HAKO_USER_END  HAKO_UL(0x00007ffffffff000)

/*
 * Every container image carries an ELF note (section .note.hako, owner
 * "hako", type HAKO_NOTE_ABI) holding two uint32_t: the ABI major and minor
 * it was built for. A platform MUST refuse an image without it or with
 * another major.
 */
#define HAKO_NOTE_NAME    "hako"
#define HAKO_NOTE_ABI     1
#define HAKO_NOTE_DOMAINS 2 /* optional: protection-key domains, see below */

/* Call numbers: the first argument of hako_call. */
#define HAKO_CALL_CONSOLE       1
#define HAKO_CALL_EXIT          2
#define HAKO_CALL_TIME          3
#define HAKO_CALL_YIELD         4
#define HAKO_CALL_TLS_SET       5
#define HAKO_CALL_NET_SEND      6
#define HAKO_CALL_NET_RECV      7
#define HAKO_CALL_BLOCK_READ    8
#define HAKO_CALL_BLOCK_WRITE   9
#define HAKO_CALL_BLOCK_FLUSH   10
#define HAKO_CALL_PKEY_ALLOC    11
#define HAKO_CALL_PKEY_FREE     12
#define HAKO_CALL_PKEY_MPROTECT 13
#define HAKO_CALL_MAX           13

/*
 * Error codes, returned negated. The values are Linux's errno values so a
 * libOS can hand them on unchanged.
 */
#define HAKO_EPERM      1   /* not allowed (e.g. pkey the container does not own) */
#define HAKO_EIO        5   /* the device reported an error */
#define HAKO_EAGAIN     11  /* nothing ready now; yield and try again */
#define HAKO_ENOMEM     12  /* out of the container's quota */
#define HAKO_EFAULT     14  /* not the container's memory, or its PKRU denies the access */
#define HAKO_EBUSY      16  /* still in use (pkey_free of a key pages carry); ABI 1.1 */
#define HAKO_EINVAL     22  /* a malformed argument */
#define HAKO_ENOSPC     28  /* range past the end of the block device; no pkey left */
#define HAKO_ENOSYS     38  /* unknown call number */
#define HAKO_EMSGSIZE   90  /* frame larger than the MTU allows */
#define HAKO_ENOTSUP    95  /* known call, not served by this platform or config */

/* Clocks for HAKO_CALL_TIME. */
#define HAKO_CLOCK_MONOTONIC 0 /* ns since an arbitrary start; never goes back */
#define HAKO_CLOCK_WALL      1 /* ns since 1970-01-01 00:00:00 UTC */

/* Ready set returned by HAKO_CALL_YIELD (bit mask). */
#define HAKO_READY_NET   (1u << 0) /* at least one frame waits in net_recv */
#define HAKO_READY_BLOCK (1u << 1) /* reserved: a block completion waits */

/* Frame limits for the batched network calls. */
#define HAKO_NET_BATCH_MAX 64   /* frames per net_send / net_recv call */
#define HAKO_FRAME_MAX     1514 /* Ethernet header + 1500-byte MTU, no FCS */

#ifndef __ASSEMBLER__

/*
 * long console(const char *buf (a0), size_t len (a1))
 *   Writes len bytes to the container's log. On hv each line is prefixed
 *   with the container's name. MAY write fewer than len bytes (at most
 *   HAKO_CONSOLE_MAX per call). Returns the number of bytes taken, or
 *   -HAKO_EFAULT if the range is not the container's readable memory.
 *
 * noreturn exit(int status (a0))
 *   Ends the container. status & 0xff is its exit status. Never returns.
 *   A container the platform kills ends with status HAKO_EXIT_KILLED.
 *
 * int64_t time(int clock (a0))
 *   Returns the time in ns for HAKO_CLOCK_MONOTONIC or HAKO_CLOCK_WALL,
 *   -HAKO_EINVAL for another clock.
 *
 * long yield(int64_t deadline (a0))
 *   Blocks until the monotonic clock reaches deadline (ns) or until an
 *   event in the ready set is pending, whichever comes first; never a busy
 *   poll. deadline <= now returns at once (a plain "let others run").
 *   Returns the ready set (HAKO_READY_*), 0 if the deadline passed with
 *   nothing ready.
 *
 * long tls_set(uint64_t base (a0))
 *   Sets the container's FS base (thread pointer). base MUST be below
 *   HAKO_USER_END, else -HAKO_EINVAL. Returns 0.
 *
 * long net_send(const struct hako_iov *frames (a0), size_t n (a1))
 *   Sends up to n (<= HAKO_NET_BATCH_MAX) Ethernet frames, each 14 to
 *   HAKO_FRAME_MAX bytes and carrying the container's own MAC as source
 *   (others are dropped and counted). Returns how many frames were taken
 *   (MAY be fewer than n when queues are full), -HAKO_EINVAL for a bad n
 *   or frame length, -HAKO_EFAULT for a bad pointer, -HAKO_ENOTSUP
 *   without a network.
 *
 * long net_recv(struct hako_iov *bufs (a0), size_t n (a1))
 *   Fills up to n buffers with received frames, one frame per buffer; on
 *   return bufs[i].len holds the frame's length. A buffer MUST hold at
 *   least HAKO_FRAME_MAX bytes. Returns the number of frames (0 if none).
 *
 * long block_read(uint64_t offset (a0), void *buf (a1), size_t len (a2))
 * long block_write(uint64_t offset (a0), const void *buf (a1), size_t len (a2))
 *   Moves len bytes between buf and the container's block device at
 *   offset. offset and len MUST be multiples of the block size, len at most
 *   HAKO_BLOCK_IO_MAX, and the range inside the device (-HAKO_EINVAL,
 *   -HAKO_ENOSPC). A write returns once the device has completed it.
 *   Returns len, or -HAKO_EFAULT for a bad buffer, -HAKO_EPERM for a write
 *   to a read-only device, -HAKO_EIO on a device error, -HAKO_ENOTSUP
 *   without a block device.
 *
 * long block_flush(void)
 *   Returns once every completed write is on stable storage. 0 or -HAKO_EIO.
 *
 * Memory protection keys, as Linux's calls of the same name, restricted to
 * memory the container owns. Every one returns -HAKO_ENOTSUP where the
 * platform has no PKU (start info flag HAKO_INFO_PKU clear).
 *
 * long pkey_alloc(unsigned flags (a0), unsigned access (a1))
 *   Allocates a key from the container's pool (HAKO_PKEY_POOL_FIRST to
 *   HAKO_PKEY_POOL_LAST; keys 1, 2 and 15 are never handed out) and returns
 *   it. flags MUST be 0 and access a combination of HAKO_PKEY_DISABLE_*,
 *   else -HAKO_EINVAL; -HAKO_ENOSPC when the pool is used up. The caller's
 *   PKRU gets access for the new key, except in an image that declares
 *   domains (below): there PKRU is the image's own business.
 *
 * long pkey_free(int pkey (a0))
 *   Returns pkey to the pool: 0, -HAKO_EINVAL for a number outside 0..15,
 *   -HAKO_EPERM for a key the container did not allocate, -HAKO_EBUSY while
 *   any page still carries it (freeing and reallocating a key in use would
 *   hand its old pages to the new owner).
 *
 * long pkey_mprotect(uint64_t addr (a0), size_t len (a1), int prot (a2), int pkey (a3))
 *   Gives the pages of [addr, addr + len) (len rounded up to pages) the
 *   protection prot and the key pkey (-1: key 0, the default). addr MUST be
 *   page-aligned and prot a combination of HAKO_PROT_READ and
 *   HAKO_PROT_WRITE: PROT_EXEC is never granted, so nothing becomes
 *   executable after load (-HAKO_EINVAL for these and for a number outside
 *   -1..15). The range MUST lie in one of the container's heap, stack or
 *   writable image segments, never its code, read-only data, the call or
 *   the info page (-HAKO_EFAULT); pkey, and every key the range's pages
 *   carry now, MUST be 0 or allocated by the container (-HAKO_EPERM). Pages
 *   not touched yet are brought in (-HAKO_ENOMEM when the quota runs out).
 *   All or nothing: on an error no page changed. Returns 0.
 */
#define HAKO_CONSOLE_MAX  4096
#define HAKO_BLOCK_IO_MAX (1u << 20)
#define HAKO_EXIT_KILLED  255

/* pkey_alloc access rights and pkey_mprotect protections (Linux's values). */
#define HAKO_PKEY_DISABLE_ACCESS 1u
#define HAKO_PKEY_DISABLE_WRITE  2u
#define HAKO_PROT_READ  1
#define HAKO_PROT_WRITE 2
#define HAKO_PROT_EXEC  4 /* refused */

/*
 * Keys. PKRU holds two bits per key: 2k = access disable, 2k + 1 = write
 * disable. Keys 1 and 2 belong to the libOS and the network stack, key 15
 * is closed to everyone; only an image's domains note uses them. The pool
 * for pkey_alloc is 3..14: twelve keys.
 */
#define HAKO_PKEYS           16
#define HAKO_PKEY_LIBOS      1
#define HAKO_PKEY_NET        2
#define HAKO_PKEY_POOL_FIRST 3
#define HAKO_PKEY_POOL_LAST  14
#define HAKO_PKEY_CLOSED     15
/* The PKRU a container without a domains note starts with (Linux's default):
   key 0 open, every other key access-disabled until pkey_alloc opens it. */
#define HAKO_PKRU_DEFAULT 0x55555554u

/*
 * Protection-key domains: the optional ELF note HAKO_NOTE_DOMAINS (owner
 * "hako", in a PT_NOTE segment like the ABI note). An image that switches
 * PKRU itself MUST declare here every PKRU value it installs and the pages
 * that carry a key from the start; the platform keys those pages before
 * the first instruction. The descriptor is a struct hako_domains, then
 * ndomains struct hako_domain, then nranges struct hako_key_range, packed
 * (descsz is exactly that size). A platform refuses a malformed note, and
 * one without PKU refuses the image.
 *
 * The only PKRU writes an image may contain are gates of exactly these
 * bytes, with IMM one of the declared values (lib/image.c scans every
 * byte offset of every executable segment for WRPKRU and XRSTOR(S)):
 *
 *   1: B8 IMM       mov  $IMM, %eax
 *      31 C9        xor  %ecx, %ecx
 *      31 D2        xor  %edx, %edx
 *      0F 01 EF     wrpkru
 *      3D IMM       cmp  $IMM, %eax     (the same IMM)
 *      75 ED        jne  1b
 *
 * A jump onto the wrpkru with another EAX loops back and installs IMM;
 * a jump past it keeps the old rights. The container starts with PKRU =
 * domain[libos].pkru, and every hako call MUST be made with exactly that
 * PKRU: on hv a call with another PKRU kills the container.
 */
#define HAKO_DOMAINS_MAX    16
#define HAKO_KEY_RANGES_MAX 16

struct hako_domains {
	uint32_t ndomains;  /* 1..HAKO_DOMAINS_MAX */
	uint32_t nranges;   /* 0..HAKO_KEY_RANGES_MAX */
	uint32_t libos;     /* index of the libOS's domain: entry and calls */
	uint32_t reserved;  /* MUST be 0 */
};

struct hako_domain {
	uint32_t pkru;      /* the PKRU value its gates install */
	uint32_t reserved;  /* MUST be 0 */
};

/*
 * [start, end): page-aligned, inside one non-executable PT_LOAD segment,
 * sorted and disjoint; pkey one of HAKO_PKEY_LIBOS, HAKO_PKEY_NET,
 * HAKO_PKEY_CLOSED (the pool is pkey_alloc's).
 */
struct hako_key_range {
	uint64_t start, end;
	uint32_t pkey;
	uint32_t reserved;  /* MUST be 0 */
};
_Static_assert(sizeof(struct hako_domains) == 16 && sizeof(struct hako_domain) == 8 &&
	       sizeof(struct hako_key_range) == 24, "domains note layout");

/* One frame of a batched network call (guest pointer as an integer). */
struct hako_iov {
	uint64_t base; /* address of the frame or buffer */
	uint32_t len;  /* send: frame length; recv: capacity in, length out */
	uint32_t reserved; /* MUST be 0 */
};
_Static_assert(sizeof(struct hako_iov) == 16, "hako_iov layout");

/* Platforms. */
#define HAKO_PLATFORM_PROC 1
#define HAKO_PLATFORM_HV   2

/* Start info flags. */
#define HAKO_INFO_PKU   (1u << 0) /* protection keys: pkey calls are served */
#define HAKO_INFO_NET   (1u << 1) /* a network is attached */
#define HAKO_INFO_BLOCK (1u << 2) /* a block device is attached */

#define HAKO_INFO_MAGIC   0x4f4b4148u /* "HAKO" */
#define HAKO_NAME_MAX     32          /* including the NUL */
#define HAKO_STRINGS_MAX  3584        /* argv then envp, each NUL-terminated */

/*
 * The start info page, read-only at HAKO_INFO_VA. Multi-byte fields are
 * little-endian except the IPv4 addresses, which are in network order.
 */
struct hako_start_info {
	uint32_t magic;        /* HAKO_INFO_MAGIC */
	uint16_t abi_major;    /* HAKO_ABI_MAJOR of the platform */
	uint16_t abi_minor;
	uint32_t platform;     /* HAKO_PLATFORM_* */
	uint32_t flags;        /* HAKO_INFO_* */
	char name[HAKO_NAME_MAX]; /* the container's name, NUL-terminated */

	uint64_t heap_base;    /* [heap_base, heap_base + heap_size): the */
	uint64_t heap_size;    /*   container's to use, zero-filled at start */
	uint64_t stack_base;   /* lowest stack address; a guard page lies below */
	uint64_t stack_size;

	uint8_t  mac[6];       /* the container's own MAC */
	uint16_t mtu;
	uint32_t ipv4_addr;    /* 0 when not configured */
	uint32_t ipv4_netmask;
	uint32_t ipv4_gateway;
	uint32_t ipv4_dns;
	uint32_t block_size;   /* bytes per block, 0 without a device */
	uint32_t reserved0;
	uint64_t block_capacity; /* device size in bytes */

	uint8_t  seed[32];     /* random bytes from the platform */

	uint32_t argc;         /* strings[] holds argc NUL-terminated argv */
	uint32_t envc;         /*   strings then envc "KEY=VALUE" strings */
	uint32_t strings_len;  /* bytes of strings[] in use */
	uint32_t reserved1;
	int64_t  created_ns;   /* monotonic time the platform began creating
				  this container (start latency, uptime) */
	char strings[HAKO_STRINGS_MAX];
};
_Static_assert(sizeof(struct hako_start_info) <= HAKO_PAGE_SIZE,
	       "start info fits one page");
_Static_assert(__builtin_offsetof(struct hako_start_info, heap_base) == 48,
	       "start info layout");
_Static_assert(__builtin_offsetof(struct hako_start_info, seed) == 120,
	       "start info layout");
_Static_assert(__builtin_offsetof(struct hako_start_info, strings) == 176,
	       "start info layout");

#endif /* !__ASSEMBLER__ */
#endif /* HAKO_ABI_H */
