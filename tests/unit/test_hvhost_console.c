/* SPDX-License-Identifier: ISC */
/* Unit tests of the runner's reading of hv console lines: the contract of hako/protocol.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hako/abi.h"
#include "hako/protocol.h"
#include "hv/console.h"

/* As hv/sched.c prints it. */
#define SUMMARY                                                                           \
	HAKO_LINE_PREFIX "%u" HAKO_LINE_SUMMARY "%u exited 0, %u failed" HAKO_LINE_STATUS \
			 "%d; free pages %lu/%lu"

static struct hv_line parse(const char *line)
{
	struct hv_line l;

	hv_line_parse(line, &l);
	return l;
}

static void end_is(const char *line, const char *name, int status)
{
	struct hv_line l = parse(line);

	assert_int_equal(l.kind, HV_LINE_END);
	assert_int_equal(l.name_len, strlen(name));
	assert_memory_equal(l.name, name, l.name_len);
	assert_int_equal(l.status, status);
}

/* The lines as the hv prints them (hv/sched.c, hv/main.c), built from the same definitions. */
static void test_the_hv_lines(void **state)
{
	char line[256];

	(void)state;
	snprintf(line, sizeof(line), HAKO_LINE_PREFIX "%d" HAKO_LINE_LOADED "%lu us, %lu pages", 3,
		 4200ul, 272ul);
	assert_int_equal(parse(line).kind, HV_LINE_LOADED);
	snprintf(line, sizeof(line), HAKO_LINE_PREFIX "%s" HAKO_LINE_EXITED "%d", "web", 7);
	end_is(line, "web", 7);
	snprintf(line, sizeof(line), HAKO_LINE_PREFIX "%s" HAKO_LINE_KILLED "%s", "a.b-c_1",
		 "page fault");
	end_is(line, "a.b-c_1", HAKO_EXIT_KILLED);
	snprintf(line, sizeof(line), HAKO_LINE_PREFIX "%s" HAKO_LINE_FAILED "%s", "x", "no memory");
	end_is(line, "x", HAKO_EXIT_KILLED);
	snprintf(line, sizeof(line), HAKO_LINE_PREFIX "%s" HAKO_LINE_STOPPED, "db");
	end_is(line, "db", HAKO_EXIT_STOPPED);
	snprintf(line, sizeof(line), SUMMARY, 3u, 2u, 1u, 255, 100ul, 100ul);
	assert_int_equal(parse(line).kind, HV_LINE_SUMMARY);
	assert_int_equal(parse(line).status, 255);
}

static void test_examples(void **state)
{
	(void)state;
	end_is("hako: hello exited 0", "hello", 0);
	end_is("hako: 123 exited 42", "123", 42); /* a name of digits is still a name */
	end_is("hako: w killed: page fault: address not mapped (rip=0x1, addr=0x0, read)", "w",
	       255);
	assert_int_equal(
		parse("hako: 2 containers, 2 exited 0, 0 failed; status 0; free pages 9/9").status,
		0);
	assert_int_equal(parse("hako: 2 containers loaded in 4300 us, 272 pages").kind,
			 HV_LINE_LOADED);
}

/* Everything else is no end and no status: a container's lines, the hv's other lines. */
static void test_other_lines(void **state)
{
	static const char *const other[] = {
		"web: hako: web exited 0", /* a container's line, as shown */
		"hako: web stopped later", /* "stopped" ends the line */
		"hako: web exited",        /* no status */
		"hako: web exited x",
		"hako: web: net: dropped 1 sent frames",
		"hako: ctl: no container named x",
		"hako: hv up in 6476 us on TCG",
		"hako: x containers loaded in 1 us",        /* not a count */
		"hako: 2 containers, 2 exited 0, 0 failed", /* no status */
		"hako:web exited 0",
		"",
		"hako: ",
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		assert_int_equal(parse(other[i]).kind, HV_LINE_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_hv_lines),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_other_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
