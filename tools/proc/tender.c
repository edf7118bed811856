/* proc platform: load a container into this process, seal it, run it. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hako/abi.h"
#include "image.h"

#define STACK_SIZE (512u << 10)
#define GUARD_SIZE HAKO_PAGE_SIZE
#define ALTSTACK_SIZE (64u << 10)

static int err(const struct proc_opts *o, const char *what, const char *why)
{
	fprintf(stderr, "hako: %s: %s%s%s\n", o->image, what, why ? ": " : "", why ? why : "");
	return 2;
}

/* Read the whole image; it is validated by img_parse() before any use. */
static void *read_image(const struct proc_opts *o, size_t *size)
{
	struct stat st;
	void *buf = NULL;
	ssize_t n = -1;
	int fd = open(o->image, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		err(o, "cannot open", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > IMG_MAX_SIZE) {
		err(o, S_ISREG(st.st_mode) ? "file too large" : "not a regular file", NULL);
		goto out;
	}
	*size = (size_t)st.st_size;
	buf = malloc(*size ? *size : 1);
	if (buf)
		n = pread(fd, buf, *size, 0);
	if (n != (ssize_t)*size) {
		err(o, "cannot read", n < 0 ? strerror(errno) : "short read");
		free(buf);
		buf = NULL;
	}
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

static int prot_of(unsigned p)
{
	return (p & IMG_R ? PROT_READ : 0) | (p & IMG_W ? PROT_WRITE : 0) |
	       (p & IMG_X ? PROT_EXEC : 0);
}

static void *map_fixed(uint64_t va, uint64_t len)
{
	void *p = mmap((void *)va, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	return p == (void *)va ? p : NULL;
}

static int load_segments(const struct proc_opts *o, const uint8_t *file, const struct img *img)
{
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct img_segment *s = &img->seg[i];
		uint8_t *p = map_fixed(s->vaddr, s->memsz);
		if (!p)
			return err(o, "cannot map segment", strerror(errno));
		memcpy(p + s->skip, file + s->offset, s->filesz);
		if (mprotect(p, s->memsz, prot_of(s->prot)))
			return err(o, "cannot protect segment", strerror(errno));
	}
	return 0;
}

/* Pack argv then envp into info->strings; 0 if everything fits. */
static int pack_strings(struct hako_start_info *si, const struct proc_opts *o)
{
	size_t used = 0;

	for (int i = 0; i < o->argc + o->envc; i++) {
		const char *s = i < o->argc ? o->argv[i] : o->envp[i - o->argc];
		size_t n = strlen(s) + 1;
		if (n > sizeof(si->strings) - used)
			return -1;
		memcpy(si->strings + used, s, n);
		used += n;
	}
	si->argc = (uint32_t)o->argc;
	si->envc = (uint32_t)o->envc;
	si->strings_len = (uint32_t)used;
	return 0;
}

static int setup_info(const struct proc_opts *o, struct hako_start_info *si)
{
	uint64_t heap_size = o->mem - STACK_SIZE;
	uint8_t *stack, *heap;

	stack = mmap(NULL, GUARD_SIZE + STACK_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	heap = mmap(NULL, heap_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (stack == MAP_FAILED || heap == MAP_FAILED ||
	    mprotect(stack + GUARD_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE))
		return err(o, "cannot allocate container memory", strerror(errno));

	si->magic = HAKO_INFO_MAGIC;
	si->abi_major = HAKO_ABI_MAJOR;
	si->abi_minor = HAKO_ABI_MINOR;
	si->platform = HAKO_PLATFORM_PROC;
	snprintf(si->name, sizeof(si->name), "%s", o->name);
	si->heap_base = (uint64_t)heap;
	si->heap_size = heap_size;
	si->stack_base = (uint64_t)(stack + GUARD_SIZE);
	si->stack_size = STACK_SIZE;
	si->mtu = 1500;
	if (getrandom(si->seed, sizeof(si->seed), 0) != sizeof(si->seed))
		return err(o, "cannot get random bytes", strerror(errno));
	if (pack_strings(si, o))
		return err(o, "arguments and environment too long", NULL);
	return 0;
}

/* The call page: `movabs $proc_call, %rax; jmp *%rax`. */
static void fill_call_page(uint8_t *p)
{
	uint64_t target = (uint64_t)proc_call;

	p[0] = 0x48;
	p[1] = 0xb8;
	memcpy(p + 2, &target, sizeof(target));
	p[10] = 0xff;
	p[11] = 0xe0;
}

static int catch_faults(const struct proc_opts *o)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS };
	stack_t alt = { .ss_size = ALTSTACK_SIZE };
	struct sigaction sa = { .sa_sigaction = proc_fault, .sa_flags = SA_SIGINFO | SA_ONSTACK };
	sigset_t none;

	alt.ss_sp = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (alt.ss_sp == MAP_FAILED || sigaltstack(&alt, NULL))
		return err(o, "cannot set up the signal stack", strerror(errno));
	sigfillset(&sa.sa_mask);
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL))
			return err(o, "cannot install fault handler", strerror(errno));
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	proc_fault_init(o->name);
	return 0;
}

int proc_run(const struct proc_opts *o)
{
	struct hako_start_info *si;
	const char *why;
	struct img img;
	uint8_t *call;
	size_t size;
	void *file;

	if (!(file = read_image(o, &size)))
		return 2;
	if (img_parse(file, size, &img, &why)) {
		free(file);
		return err(o, why, NULL);
	}
	if (!(call = map_fixed(HAKO_CALL_VA, 2 * HAKO_PAGE_SIZE)))
		return err(o, "cannot map the call page", strerror(errno));
	si = (struct hako_start_info *)(call + HAKO_PAGE_SIZE);
	fill_call_page(call);
	if (load_segments(o, file, &img) || setup_info(o, si))
		return 2;
	free(file);
	if (mprotect(call, HAKO_PAGE_SIZE, PROT_READ | PROT_EXEC) ||
	    mprotect(si, HAKO_PAGE_SIZE, PROT_READ))
		return err(o, "cannot protect the call page", strerror(errno));
	if (catch_faults(o))
		return 2;

	prctl(PR_SET_NAME, o->name);
	fflush(NULL);
	if (close_range(3, ~0u, 0))
		return err(o, "cannot close inherited descriptors", strerror(errno));
	if (proc_filter_install())
		return 2;
	proc_enter(img.entry, si->stack_base + si->stack_size, HAKO_INFO_VA);
}
