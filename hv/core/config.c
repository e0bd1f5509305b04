#include "core/config.h"
#include "lib/cmdline.h"
#include "lib/printf.h"
#include "lib/string.h"

#include <stdarg.h>

#define MIB (1UL << 20)
/* Without dtb_addr, the device tree goes in the last 2 MiB of the VM's RAM. */
#define DTB_RESERVE (2 * MIB)

struct parser {
	config_error_fn on_error;
	void *ctx;
	unsigned int line;
	char problem[128];
	bool initrd_addr_given; /* on this line: 0 is a valid address, so a flag */
};

static bool fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(p->problem, sizeof(p->problem), fmt, ap);
	va_end(ap);
	return false;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

static bool parse_name(struct parser *p, const char *word, struct vm_spec *spec)
{
	size_t len = strlen(word);

	if (len == 0)
		return fail(p, "the name is empty");
	if (len >= CONFIG_NAME_MAX)
		return fail(p, "name '%s' is longer than %d characters", word, CONFIG_NAME_MAX - 1);
	for (size_t i = 0; i < len; i++) {
		if (!is_name_char(word[i]))
			return fail(p, "name '%s' may only have letters, digits, '-', '_' and '.'",
				    word);
	}
	strlcpy(spec->name, word, sizeof(spec->name));
	return true;
}

static bool parse_path(struct parser *p, const char *what, const char *word, char *out)
{
	if (strlen(word) >= CONFIG_PATH_MAX)
		return fail(p, "%s path '%s' is longer than %d characters", what, word,
			    CONFIG_PATH_MAX - 1);
	strlcpy(out, word, CONFIG_PATH_MAX);
	return true;
}

static bool parse_address(struct parser *p, const char *what, const char *word, uint64_t *out)
{
	if (!cmdline_parse_u64(word, out))
		return fail(p, "%s '%s' is not a number (hex with 0x, or decimal)", what, word);
	return true;
}

bool config_parse_size_mib(const char *s, uint64_t *mib)
{
	char digits[24];
	size_t n = 0;
	uint64_t value, scale = 1;

	while (s[n] >= '0' && s[n] <= '9' && n < sizeof(digits) - 1) {
		digits[n] = s[n];
		n++;
	}
	digits[n] = '\0';
	if (n == 0 || !cmdline_parse_u64(digits, &value))
		return false;
	if (strcmp(s + n, "G") == 0 || strcmp(s + n, "GiB") == 0)
		scale = 1024;
	else if (s[n] && strcmp(s + n, "M") != 0 && strcmp(s + n, "MiB") != 0)
		return false;
	if (value > CONFIG_MAX_RAM_MIB * 2)
		return false;
	*mib = value * scale;
	return true;
}

static bool parse_memory(struct parser *p, const char *word, struct vm_spec *spec)
{
	uint64_t mib;

	if (!config_parse_size_mib(word, &mib))
		return fail(p, "memory '%s' is not a size (e.g. 16M or 1G)", word);
	spec->ram_size = mib * MIB;
	return true;
}

static bool parse_bool(const char *word, bool *out)
{
	if (strcmp(word, "yes") == 0 || strcmp(word, "true") == 0 || strcmp(word, "1") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(word, "no") == 0 || strcmp(word, "false") == 0 || strcmp(word, "0") == 0) {
		*out = false;
		return true;
	}
	return false;
}

static bool parse_small_number(struct parser *p, const char *key, const char *value, uint64_t min,
			       uint64_t max, uint64_t *out)
{
	if (!cmdline_parse_u64(value, out) || *out < min || *out > max)
		return fail(p, "%s=%s: must be a number from %lu to %lu", key, value, min, max);
	return true;
}

/* One "key=value" option. */
static bool parse_option(struct parser *p, char *word, struct vm_spec *spec)
{
	char *eq = strchr(word, '=');
	const char *key = word, *value;
	uint64_t number;

	if (!eq || eq == word)
		return fail(p, "'%s' is not an option (key=value)", word);
	*eq = '\0';
	value = eq + 1;
	if (strcmp(key, "dtb") == 0)
		return parse_path(p, "dtb", value, spec->dtb);
	if (strcmp(key, "dtb_addr") == 0)
		return parse_address(p, "dtb_addr", value, &spec->dtb_addr);
	if (strcmp(key, "initrd") == 0)
		return parse_path(p, "initrd", value, spec->initrd);
	if (strcmp(key, "initrd_addr") == 0) {
		p->initrd_addr_given = true;
		return parse_address(p, "initrd_addr", value, &spec->initrd_addr);
	}
	if (strcmp(key, "vcpus") == 0) {
		if (!parse_small_number(p, key, value, 1, 4, &number))
			return false;
		spec->vcpus = (unsigned int)number;
		return true;
	}
	if (strcmp(key, "slice") == 0) {
		if (!parse_small_number(p, key, value, 1, 1000, &number))
			return false;
		spec->slice_ms = (uint32_t)number;
		return true;
	}
	if (strcmp(key, "autostart") == 0) {
		if (!parse_bool(value, &spec->autostart))
			return fail(p, "autostart=%s: must be yes or no", value);
		return true;
	}
	return fail(p,
		    "unknown option '%s' (known: dtb, dtb_addr, initrd, initrd_addr, vcpus, "
		    "slice, autostart)",
		    key);
}

/* Where the device tree goes unless dtb_addr says: the start of the last 2 MiB of RAM. */
static uint64_t default_dtb_addr(const struct vm_spec *spec)
{
	return spec->ram_size - DTB_RESERVE;
}

/*
 * The initial RAM disk: its address is not defaulted, because the device
 * tree the guest gets must name the same address (/chosen
 * linux,initrd-start); the file's size is only known when it is loaded
 * (the loader checks that it fits and overlaps neither image nor dtb).
 */
static const char *check_initrd(const struct vm_spec *spec)
{
	if (!spec->initrd[0])
		return NULL;
	if (spec->initrd_addr % 4096)
		return "initrd_addr must be 4 KiB aligned";
	if (spec->initrd_addr >= spec->ram_size)
		return "initrd_addr is outside the VM's memory";
	if (spec->initrd_addr == spec->load_addr)
		return "initrd_addr is the image's load address";
	if (spec->dtb[0] && spec->initrd_addr == spec->dtb_addr)
		return "initrd_addr is the device tree's address";
	return NULL;
}

const char *config_check_spec(const struct vm_spec *spec)
{
	if (!spec->name[0])
		return "the name is empty";
	if (spec->ram_size < 2 * MIB || spec->ram_size % (2 * MIB) ||
	    spec->ram_size > CONFIG_MAX_RAM_MIB * MIB)
		return "memory must be a multiple of 2 MiB, from 2 MiB to 1008 MiB";
	if (spec->load_addr % 4096)
		return "load address must be 4 KiB aligned";
	if (spec->load_addr >= spec->ram_size)
		return "load address is outside the VM's memory";
	if (spec->entry % 4 || spec->entry >= spec->ram_size)
		return "entry point must be 4-byte aligned and inside the VM's memory";
	if (spec->dtb[0] && (spec->dtb_addr % 8 || spec->dtb_addr >= spec->ram_size))
		return "dtb_addr must be 8-byte aligned and inside the VM's memory";
	return check_initrd(spec);
}

/* After the options: defaults, options that need each other, then every value checked. */
static bool finish_spec(struct parser *p, struct vm_spec *spec)
{
	const char *problem;

	if (spec->dtb[0] && !spec->dtb_addr)
		spec->dtb_addr = default_dtb_addr(spec);
	if (spec->initrd[0] && !p->initrd_addr_given)
		return fail(p, "initrd needs initrd_addr=ADDR (the guest must be told the same "
			       "address)");
	if (!spec->initrd[0] && p->initrd_addr_given)
		return fail(p, "initrd_addr without initrd=FILE");
	problem = config_check_spec(spec);
	if (problem)
		return fail(p, "%s", problem);
	return true;
}

static bool parse_words(struct parser *p, char **argv, int argc, struct vm_spec *spec)
{
	if (argc < 5)
		return fail(p, "expected: name image load entry memory [options], found %d word%s",
			    argc, argc == 1 ? "" : "s");
	memset(spec, 0, sizeof(*spec));
	p->initrd_addr_given = false;
	spec->line = p->line;
	spec->vcpus = 1;
	spec->slice_ms = CONFIG_DEFAULT_SLICE_MS;
	spec->autostart = true;
	if (!parse_name(p, argv[0], spec) || !parse_path(p, "image", argv[1], spec->image) ||
	    !parse_address(p, "load address", argv[2], &spec->load_addr) ||
	    !parse_address(p, "entry", argv[3], &spec->entry) || !parse_memory(p, argv[4], spec))
		return false;
	for (int i = 5; i < argc; i++) {
		if (!parse_option(p, argv[i], spec))
			return false;
	}
	return finish_spec(p, spec);
}

static bool has_name(const struct vm_spec *specs, unsigned int count, const char *name)
{
	for (unsigned int i = 0; i < count; i++) {
		if (strcmp(specs[i].name, name) == 0)
			return true;
	}
	return false;
}

/* Copies one line out of the text, without its comment; false if too long or not text. */
static bool take_line(struct parser *p, const char *start, size_t len, char *out)
{
	size_t n = 0;

	if (len >= CONFIG_LINE_MAX)
		return fail(p, "line is longer than %d characters", CONFIG_LINE_MAX - 1);
	for (size_t i = 0; i < len && start[i] != '#'; i++) {
		char c = start[i];
		if (c == '\t' || c == '\r')
			c = ' ';
		if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e)
			return fail(p, "byte 0x%02x at column %zu is not text", (unsigned char)c,
				    i + 1);
		out[n++] = c;
	}
	out[n] = '\0';
	return true;
}

static void report(struct parser *p)
{
	if (p->on_error)
		p->on_error(p->ctx, p->line, p->problem);
}

/* Parses one line; returns true if it added a spec. */
static bool parse_line(struct parser *p, const char *start, size_t len, struct vm_spec *specs,
		       unsigned int count, unsigned int max)
{
	char line[CONFIG_LINE_MAX];
	char *argv[CMDLINE_MAX_ARGS];
	int argc;

	if (!take_line(p, start, len, line))
		return false;
	argc = cmdline_split(line, argv, CMDLINE_MAX_ARGS);
	if (argc == 0)
		return false; /* blank or comment */
	if (argc < 0)
		return fail(p, argc == CMDLINE_ERR_QUOTE ? "unterminated quote"
							 : "too many words (at most 16)");
	if (count >= max)
		return fail(p, "too many VMs: at most %u", max);
	if (!parse_words(p, argv, argc, &specs[count]))
		return false;
	if (has_name(specs, count, specs[count].name))
		return fail(p, "a VM named '%s' is already defined", specs[count].name);
	return true;
}

unsigned int config_parse(const char *text, size_t len, struct vm_spec *specs, unsigned int max,
			  config_error_fn on_error, void *ctx)
{
	struct parser p = {.on_error = on_error, .ctx = ctx};
	unsigned int count = 0;
	size_t pos = 0;

	while (pos < len) {
		size_t end = pos;

		while (end < len && text[end] != '\n')
			end++;
		p.line++;
		p.problem[0] = '\0';
		if (parse_line(&p, text + pos, end - pos, specs, count, max))
			count++;
		else if (p.problem[0])
			report(&p);
		pos = end + 1;
	}
	return count;
}
