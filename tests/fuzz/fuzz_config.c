/*
 * libFuzzer target for the VM configuration parser (hv/core/config.c): the
 * input is an avisor.cfg file.
 *
 * Besides the sanitizers (the specs array is exactly `max` long, so a write
 * past it is caught):
 *   - every spec returned passes config_check_spec, has a unique name of
 *     1-15 name characters, NUL-terminated paths, options in their ranges,
 *     and line numbers that increase;
 *   - every error names a line of the input, in increasing order, with a
 *     non-empty message, and no line is both a VM and an error;
 *   - a line that is blank or only a comment gives neither, any other line
 *     exactly one of the two;
 *   - with max = 2 the result is the first min(n, 2) specs of max = 8;
 *   - each spec, written back as a configuration line, parses to itself.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

#define MAX_LINES (64 * 1024) /* more than any input libFuzzer is given here */

struct errors {
	unsigned int lines[CONFIG_MAX_VMS + MAX_LINES];
	unsigned int count;
	unsigned int line_count; /* lines in the input */
};

static void fail(const char *what, unsigned int line)
{
	fprintf(stderr, "fuzz_config: %s (line %u)\n", what, line);
	abort();
}

static void on_error(void *ctx, unsigned int line, const char *problem)
{
	struct errors *e = ctx;

	if (problem == NULL || problem[0] == '\0' || strnlen(problem, 1024) == 1024)
		fail("error without a message", line);
	if (line == 0 || line > e->line_count)
		fail("error on a line the input does not have", line);
	if (e->count > 0 && line <= e->lines[e->count - 1])
		fail("errors not in increasing line order", line);
	if (e->count >= sizeof(e->lines) / sizeof(e->lines[0]))
		fail("more errors than lines", line);
	e->lines[e->count++] = line;
}

static void on_error_unexpected(void *ctx, unsigned int line, const char *problem)
{
	(void)ctx;
	fprintf(stderr, "fuzz_config: %s\n", problem);
	fail("a spec written back as a line does not parse", line);
}

/* The parser's lines: split at '\n'; a last line without '\n' counts, an empty end does not. */
static unsigned int count_lines(const char *text, size_t len)
{
	unsigned int n = 0;

	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	return n + (len > 0 && text[len - 1] != '\n');
}

/* Blank or only a comment: spaces, tabs and CRs up to an optional '#', and not too long. */
static bool silent_line(const char *start, size_t len)
{
	if (len >= CONFIG_LINE_MAX)
		return false;
	for (size_t i = 0; i < len && start[i] != '#'; i++) {
		if (start[i] != ' ' && start[i] != '\t' && start[i] != '\r')
			return false;
	}
	return true;
}

static bool terminated(const char *s, size_t size)
{
	return strnlen(s, size) < size;
}

static bool name_ok(const char *name)
{
	size_t len = strnlen(name, CONFIG_NAME_MAX);

	if (len == 0 || len >= CONFIG_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

static void check_spec(const struct vm_spec *s, const struct vm_spec *specs, unsigned int i)
{
	char problem[CONFIG_PROBLEM_MAX];

	if (!config_check_spec(s, problem, sizeof(problem)))
		fail("a returned spec fails config_check_spec", s->line);
	if (!name_ok(s->name) || !terminated(s->image, sizeof(s->image)) ||
	    !terminated(s->dtb, sizeof(s->dtb)))
		fail("a bad name or a path without its NUL", s->line);
	if (s->vcpus < 1 || s->vcpus > 4 || s->slice_ms < 1 || s->slice_ms > 1000)
		fail("vcpus or slice out of range", s->line);
	if (i > 0 && s->line <= specs[i - 1].line)
		fail("spec line numbers do not increase", s->line);
	for (unsigned int j = 0; j < i; j++) {
		if (strcmp(specs[j].name, s->name) == 0)
			fail("two VMs with one name", s->line);
	}
}

/* Field by field: a string's bytes after its NUL do not matter (a repeated option leaves some). */
static bool same_spec(const struct vm_spec *a, const struct vm_spec *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->image, b->image) == 0 &&
	       a->load_addr == b->load_addr && a->entry == b->entry && a->ram_size == b->ram_size &&
	       strcmp(a->dtb, b->dtb) == 0 && a->dtb_addr == b->dtb_addr && a->vcpus == b->vcpus &&
	       a->slice_ms == b->slice_ms && a->autostart == b->autostart;
}

/* Writes the spec back as one configuration line; parsing it must give the spec again. */
static void check_round_trip(const struct vm_spec *s)
{
	char line[2 * CONFIG_LINE_MAX]; /* room for every field at its longest */
	struct vm_spec again;
	int n;

	/* The entry without 0x: addresses are hex either way. */
	n = snprintf(line, sizeof(line), "\"%s\" \"%s\" 0x%llx %llx %lluM vcpus=%u slice=%u%s",
		     s->name, s->image, (unsigned long long)s->load_addr,
		     (unsigned long long)s->entry, (unsigned long long)(s->ram_size >> 20),
		     s->vcpus, s->slice_ms, s->autostart ? "" : " autostart=no");
	if (s->dtb[0])
		n += snprintf(line + n, sizeof(line) - (size_t)n, " \"dtb=%s\"", s->dtb);
	if (s->dtb_addr) /* also without a dtb: the parser keeps it */
		n += snprintf(line + n, sizeof(line) - (size_t)n, " dtb_addr=%#llx",
			      (unsigned long long)s->dtb_addr);
	if (n >= CONFIG_LINE_MAX)
		return; /* every field at its longest does not fit one line */
	if (config_parse(line, (size_t)n, &again, 1, on_error_unexpected, NULL) != 1)
		fail("a spec written back as a line gives no VM", s->line);
	if (!same_spec(&again, s)) {
		fprintf(stderr, "fuzz_config: %s\n", line);
		fail("a spec written back as a line parses differently", s->line);
	}
}

/* Every line is silent, a VM or an error, as the reference classification says. */
static void check_lines(const char *text, size_t len, const struct vm_spec *specs, unsigned int n,
			const struct errors *e)
{
	unsigned int line = 0, si = 0, ei = 0;
	size_t pos = 0;

	while (pos < len) {
		size_t end = pos;
		bool is_spec, is_error;

		while (end < len && text[end] != '\n')
			end++;
		line++;
		is_spec = si < n && specs[si].line == line;
		is_error = ei < e->count && e->lines[ei] == line;
		si += is_spec;
		ei += is_error;
		if (is_spec && is_error)
			fail("a line is both a VM and an error", line);
		if (silent_line(text + pos, end - pos) == (is_spec || is_error))
			fail(is_spec || is_error ? "a blank or comment line gave a VM or an error"
						 : "a line gave neither a VM nor an error",
			     line);
		pos = end + 1;
	}
	if (si != n || ei != e->count)
		fail("VMs or errors on lines the input does not have", line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct errors errors;
	const char *text = (const char *)data;
	struct vm_spec *specs = malloc(CONFIG_MAX_VMS * sizeof(*specs));
	struct vm_spec *two = malloc(2 * sizeof(*two));
	unsigned int n, n2;

	if (!specs || !two)
		fail("out of memory", 0);
	errors.count = 0;
	errors.line_count = count_lines(text, size);
	if (errors.line_count > MAX_LINES)
		goto out;
	n = config_parse(text, size, specs, CONFIG_MAX_VMS, on_error, &errors);
	if (n > CONFIG_MAX_VMS)
		fail("more VMs than max", n);
	for (unsigned int i = 0; i < n; i++) {
		check_spec(&specs[i], specs, i);
		check_round_trip(&specs[i]);
	}
	check_lines(text, size, specs, n, &errors);

	n2 = config_parse(text, size, two, 2, NULL, NULL);
	if (n2 != (n < 2 ? n : 2) || memcmp(two, specs, n2 * sizeof(*two)) != 0)
		fail("max = 2 does not give the first VMs of max = 8", n2);
out:
	free(specs);
	free(two);
	return 0;
}
