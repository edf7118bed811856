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
#define HAKO_ABI_MINOR 0 /* additions */

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
#define HAKO_NOTE_NAME "hako"
#define HAKO_NOTE_ABI  1

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
#define HAKO_EFAULT     14  /* a pointer or range is not the container's memory */
#define HAKO_EINVAL     22  /* a malformed argument */
#define HAKO_ENOSPC     28  /* range past the end of the block device */
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
 * long pkey_alloc(unsigned flags (a0), unsigned access (a1))
 * long pkey_free(int pkey (a0))
 * long pkey_mprotect(uint64_t addr (a0), size_t len (a1), int prot (a2), int pkey (a3))
 *   Memory protection keys, as Linux's calls of the same name, restricted
 *   to the container's heap. -HAKO_ENOTSUP where the CPU lacks PKU (see
 *   HAKO_INFO_PKU).
 */
#define HAKO_CONSOLE_MAX  4096
#define HAKO_BLOCK_IO_MAX (1u << 20)
#define HAKO_EXIT_KILLED  255

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
#define HAKO_INFO_PKU   (1u << 0) /* pkey calls are served */
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
