/* SPDX-License-Identifier: ISC */
/* Unit tests of QEMU's command line for the hypervisor (tools/hv/qemu.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hv/qemu.h"

static struct hv_qemu_line line;

/* The line for q as one string, arguments separated by one space. */
static const char *joined(const struct hv_qemu *q)
{
	static char buf[1 << 17];
	const char *what = NULL;
	size_t n = 0;

	assert_null(hv_qemu_line(q, &line, &what));
	buf[0] = 0;
	for (int i = 0; line.argv[i]; i++) {
		assert_true(i < HV_QEMU_ARGS_MAX - 1 && n < sizeof(buf));
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "", line.argv[i]);
	}
	return buf;
}

static const struct hv_qemu base = {
	.qemu = "qemu", .mem_mib = 98, .hv = "hv.elf", .bundle = "b.img",
};

static const char machine[] =
	"qemu -accel tcg -cpu max "
	"-M microvm,x-option-roms=off,pit=on,pic=off,rtc=on,isa-serial=on,pcie=on -m 98M "
	"-nodefaults -no-reboot -display none -serial stdio "
	"-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel hv.elf -initrd b.img";

static void test_plain(void **state)
{
	(void)state;
	assert_string_equal(joined(&base), machine);
}

static void test_accelerator_and_cpu(void **state)
{
	struct hv_qemu q = base;

	(void)state;
	q.kvm = 1;
	assert_non_null(strstr(joined(&q), "-accel kvm -cpu host "));
	q.cpu = "max,pku=off";
	assert_non_null(strstr(joined(&q), "-accel kvm -cpu max,pku=off "));
}

static void test_everything(void **state)
{
	static char a[] = "a.img", b[] = "/x,y/b.img";
	struct hv_disks ds = { .n = 2 };
	struct hv_qemu q = base;
	char want[2048];

	(void)state;
	ds.d[0] = (struct hv_disk){ .path = a, .size = 512 };
	ds.d[1] = (struct hv_disk){ .path = b, .size = 1024, .ro = 1 };
	q.netdev = "user,id=n0,net=10.0.0.0/16";
	q.disks = &ds;
	q.pidfile = "q.pid";
	q.ctl = "/s,t/ctl";
	snprintf(want, sizeof(want), "%s %s", machine,
		 "-netdev user,id=n0,net=10.0.0.0/16 "
		 "-device virtio-net-pci,netdev=n0,disable-legacy=on,romfile= "
		 "-drive file=a.img,format=raw,if=none,id=disk0,cache=writeback,discard=ignore "
		 "-device virtio-blk-pci,drive=disk0,disable-legacy=on "
		 "-drive file=/x,,y/b.img,format=raw,if=none,id=disk1,cache=writeback,"
		 "discard=ignore,readonly=on "
		 "-device virtio-blk-pci,drive=disk1,disable-legacy=on "
		 "-pidfile q.pid "
		 "-chardev socket,id=ctl,path=/s,,t/ctl,server=on,wait=off "
		 "-device isa-serial,chardev=ctl,iobase=0x2f8,irq=3");
	assert_string_equal(joined(&q), want);
}

/* As many disks as the hv drives, each with the longest path: it all fits. */
static void test_largest(void **state)
{
	static char path[HV_QEMU_PATH_MAX];
	struct hv_disks ds = { .n = HV_DISKS_MAX };
	struct hv_qemu q = base;

	(void)state;
	memset(path, ',', sizeof(path) - 1); /* each doubled */
	for (unsigned i = 0; i < HV_DISKS_MAX; i++)
		ds.d[i] = (struct hv_disk){ .path = path, .ro = 1 };
	q.netdev = "tap,id=n0,ifname=t0,script=no,downscript=no";
	q.disks = &ds;
	q.pidfile = "p";
	q.ctl = path;
	joined(&q);
	assert_non_null(strstr(line.drive[HV_DISKS_MAX - 1], ",readonly=on"));
}

static void test_too_long(void **state)
{
	static char path[HV_QEMU_PATH_MAX + 1];
	struct hv_disks ds = { .n = 1 };
	struct hv_qemu q = base;
	const char *what = NULL;

	(void)state;
	memset(path, 'a', sizeof(path) - 1);
	ds.d[0] = (struct hv_disk){ .path = path };
	q.disks = &ds;
	assert_string_equal(hv_qemu_line(&q, &line, &what), "disk file name too long: '%s'");
	assert_ptr_equal(what, path);
	q.disks = NULL;
	q.ctl = path;
	assert_non_null(hv_qemu_line(&q, &line, &what));
	assert_ptr_equal(what, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_accelerator_and_cpu),
		cmocka_unit_test(test_everything),
		cmocka_unit_test(test_largest),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
