#include "core/config.h"
#include "lib/cmdline.h"
#include "lib/cpulist.h"
#include "lib/printf.h"
#include "lib/string.h"

#include <stdarg.h>

#define MIB (1UL << 20)
/* Without dtb_addr, the device tree goes in the last 2 MiB of the VM's RAM. */
#define DTB_RESERVE (2 * MIB)
/* Room for a number quoted as given and as read: "80000 (0x80000)". */
#define QUOTE_MAX 48

/* The words a VM's numbers were read from, for quoting in a problem; NULL when defaulted. */
struct given_words {
	const char *load, *entry, *memory, *dtb_addr, *initrd_addr;
};

/* One VM's words being parsed: where the problem goes, and what was written. */
struct vm_parser {
	char *problem;
	size_t size;
	struct given_words given;
};

static bool fail(struct vm_parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct vm_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(p->problem, p->size, fmt, ap);
	va_end(ap);
	return false;
}

/*
 * A value as the user wrote it, then as it was read when that looks
 * different ("80000 (0x80000)", "3M (3 MiB)"); as read alone when defaulted.
 */
static const char *quote(char *buf, const char *given, const char *read)
{
	if (!given || strcmp(given, read) == 0)
		fmt_snprintf(buf, QUOTE_MAX, "%s", read);
	else
		fmt_snprintf(buf, QUOTE_MAX, "%s (%s)", given, read);
	return buf;
}

static const char *quote_address(char *buf, const char *given, uint64_t value)
{
	char read[24];

	fmt_snprintf(read, sizeof(read), "0x%lx", value);
	return quote(buf, given, read);
}

static const char *quote_decimal(char *buf, const char *given, uint64_t value)
{
	char read[24];

	fmt_snprintf(read, sizeof(read), "%lu", value);
	return quote(buf, given, read);
}

bool config_is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

static bool parse_name(struct vm_parser *p, const char *word, char *name)
{
	size_t len = strlen(word);

	if (len == 0)
		return fail(p, "the name is empty");
	if (len >= CONFIG_NAME_MAX)
		return fail(p, "name '%s' is longer than %d characters", word, CONFIG_NAME_MAX - 1);
	for (size_t i = 0; i < len; i++) {
		if (!config_is_name_char(word[i]))
			return fail(p, "name '%s' may only have letters, digits, '-', '_' and '.'",
				    word);
	}
	strlcpy(name, word, CONFIG_NAME_MAX);
	return true;
}

static bool parse_path(struct vm_parser *p, const char *what, const char *word, char *out)
{
	if (strlen(word) >= CONFIG_PATH_MAX)
		return fail(p, "%s path '%s' is longer than %d characters", what, word,
			    CONFIG_PATH_MAX - 1);
	strlcpy(out, word, CONFIG_PATH_MAX);
	return true;
}

/* Addresses are hex, 0x optional, as U-Boot and the original aVisor read them. */
static bool parse_address(struct vm_parser *p, const char *what, const char *word, uint64_t *out)
{
	switch (cmdline_parse_number(word, 16, out)) {
	case CMDLINE_NUMBER:
		return true;
	case CMDLINE_TOO_BIG:
		return fail(p, "%s '%s' is out of range (more than 64 bits)", what, word);
	default:
		return fail(p, "%s '%s' is not a hex address (e.g. 80000 or 0x80000)", what, word);
	}
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

static bool parse_memory(struct vm_parser *p, const char *word, struct vm_spec *spec)
{
	uint64_t mib;

	if (!config_parse_size_mib(word, &mib))
		return fail(p, "memory '%s' is not a size (e.g. 16M or 1G)", word);
	spec->ram_size = mib * MIB;
	p->given.memory = word;
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

static bool parse_small_number(struct vm_parser *p, const char *key, const char *value,
			       uint64_t min, uint64_t max, uint64_t *out)
{
	char q[QUOTE_MAX];

	if (!cmdline_parse_u64(value, out))
		return fail(p, "%s=%s: not a number (it must be from %lu to %lu)", key, value, min,
			    max);
	if (*out < min || *out > max)
		return fail(p, "%s=%s: must be from %lu to %lu", key, quote_decimal(q, value, *out),
			    min, max);
	return true;
}

/* disk=sd:N or disk=sd:N:ro: partition N (1-4) of the SD card's MBR. */
static bool parse_disk(struct vm_parser *p, const char *value, struct disk_spec *disk)
{
	const char *n = value + 3;
	bool ro = false;

	if (strncmp(value, "sd:", 3) != 0 || n[0] < '1' || n[0] > '4' ||
	    (n[1] != '\0' && strcmp(n + 1, ":ro") != 0))
		return fail(p,
			    "disk=%s: must be sd:N (partition N, 1-4, of the SD card) or sd:N:ro "
			    "(read-only)",
			    value);
	ro = n[1] != '\0';
	*disk = (struct disk_spec){
	    .kind = DISK_SD_PARTITION, .partition = (unsigned int)(n[0] - '0'), .read_only = ro};
	return true;
}

/* One "key=value" option. */
static bool parse_option(struct vm_parser *p, char *word, struct vm_spec *spec)
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
	if (strcmp(key, "dtb_addr") == 0) {
		p->given.dtb_addr = value;
		return parse_address(p, "dtb_addr", value, &spec->dtb_addr);
	}
	if (strcmp(key, "initrd") == 0)
		return parse_path(p, "initrd", value, spec->initrd);
	if (strcmp(key, "initrd_addr") == 0) {
		p->given.initrd_addr = value;
		return parse_address(p, "initrd_addr", value, &spec->initrd_addr);
	}
	if (strcmp(key, "vcpus") == 0) {
		if (!parse_small_number(p, key, value, 1, 4, &number))
			return false;
		spec->vcpus = (unsigned int)number;
		return true;
	}
	if (strcmp(key, "cpus") == 0) {
		char problem[96];

		if (!cpulist_parse(value, CONFIG_CORES, &spec->cpus, problem, sizeof(problem)))
			return fail(p, "cpus=%s: %s", value, problem);
		return true;
	}
	if (strcmp(key, "slice") == 0) {
		if (!parse_small_number(p, key, value, 1, 1000, &number))
			return false;
		spec->slice_ms = (uint32_t)number;
		return true;
	}
	if (strcmp(key, "disk") == 0)
		return parse_disk(p, value, &spec->disk);
	if (strcmp(key, "autostart") == 0) {
		if (!parse_bool(value, &spec->autostart))
			return fail(p, "autostart=%s: must be yes or no", value);
		return true;
	}
	return fail(p,
		    "unknown option '%s' (known: dtb, dtb_addr, initrd, initrd_addr, vcpus, "
		    "cpus, slice, autostart, disk)",
		    key);
}

/* Where the device tree goes unless dtb_addr says: the start of the last 2 MiB of RAM. */
static uint64_t default_dtb_addr(const struct vm_spec *spec)
{
	return spec->ram_size - DTB_RESERVE;
}

/* An address that must be `align` aligned (`alignment` in words) and inside the VM's RAM. */
static bool check_address(struct vm_parser *p, const struct vm_spec *spec, const char *what,
			  const char *given, uint64_t addr, uint64_t align, const char *alignment)
{
	char q[QUOTE_MAX];

	if (addr % align)
		return fail(p, "%s %s must be %s aligned", what, quote_address(q, given, addr),
			    alignment);
	if (addr >= spec->ram_size)
		return fail(p, "%s %s is outside the VM's memory (%s)", what,
			    quote_address(q, given, addr), SIZE_TEXT(spec->ram_size));
	return true;
}

/*
 * The initial RAM disk: its address is not defaulted, because the device
 * tree the guest gets must name the same address (/chosen
 * linux,initrd-start); the file's size is only known when it is loaded
 * (the loader checks that it fits and overlaps neither image nor dtb).
 */
static bool check_initrd(struct vm_parser *p, const struct vm_spec *spec)
{
	const char *given = p->given.initrd_addr;
	char q[QUOTE_MAX];

	if (!spec->initrd[0])
		return true;
	if (!check_address(p, spec, "initrd_addr", given, spec->initrd_addr, 4096, "4 KiB"))
		return false;
	if (spec->initrd_addr == spec->load_addr)
		return fail(p, "initrd_addr %s is the image's load address",
			    quote_address(q, given, spec->initrd_addr));
	if (spec->dtb[0] && spec->initrd_addr == spec->dtb_addr)
		return fail(p, "initrd_addr %s is the device tree's address",
			    quote_address(q, given, spec->initrd_addr));
	return true;
}

static bool check_memory(struct vm_parser *p, const struct vm_spec *spec)
{
	char q[QUOTE_MAX];

	if (spec->ram_size >= 2 * MIB && spec->ram_size % (2 * MIB) == 0 &&
	    spec->ram_size <= CONFIG_MAX_RAM_MIB * MIB)
		return true;
	return fail(p, "memory %s must be a multiple of 2 MiB, from 2 MiB to %d MiB",
		    quote(q, p->given.memory, SIZE_TEXT(spec->ram_size)), CONFIG_MAX_RAM_MIB);
}

static bool check_spec(struct vm_parser *p, const struct vm_spec *spec)
{
	const struct given_words *g = &p->given;

	if (!spec->name[0])
		return fail(p, "the name is empty");
	return check_memory(p, spec) &&
	       check_address(p, spec, "load address", g->load, spec->load_addr, 4096, "4 KiB") &&
	       check_address(p, spec, "entry", g->entry, spec->entry, 4, "4-byte") &&
	       (!spec->dtb[0] ||
		check_address(p, spec, "dtb_addr", g->dtb_addr, spec->dtb_addr, 8, "8-byte")) &&
	       check_initrd(p, spec);
}

bool config_check_spec(const struct vm_spec *spec, char *problem, size_t size)
{
	struct vm_parser p = {.problem = problem, .size = size};

	return check_spec(&p, spec);
}

/* After the options: defaults, options that need each other, then every value checked. */
static bool finish_spec(struct vm_parser *p, struct vm_spec *spec)
{
	if (spec->dtb[0] && !spec->dtb_addr)
		spec->dtb_addr = default_dtb_addr(spec);
	if (spec->initrd[0] && !p->given.initrd_addr)
		return fail(p, "initrd needs initrd_addr=ADDR (the guest must be told the same "
			       "address)");
	if (!spec->initrd[0] && p->given.initrd_addr)
		return fail(p, "initrd_addr without initrd=FILE");
	return check_spec(p, spec);
}

/* The words after the name: image load entry [memory] [key=value ...]. */
static bool parse_vm_words(struct vm_parser *p, char **words, int count, struct vm_spec *spec)
{
	int i = 3;

	if (count < 3)
		return fail(p, "expected: image load entry [memory] [option=value ...]");
	if (!parse_path(p, "image", words[0], spec->image) ||
	    !parse_address(p, "load address", words[1], &spec->load_addr) ||
	    !parse_address(p, "entry", words[2], &spec->entry))
		return false;
	p->given.load = words[1];
	p->given.entry = words[2];
	/* The memory size is the one word without '=' after the addresses. */
	if (count > 3 && !strchr(words[3], '=')) {
		if (!parse_memory(p, words[3], spec))
			return false;
		i = 4;
	}
	for (; i < count; i++) {
		if (!parse_option(p, words[i], spec))
			return false;
	}
	return finish_spec(p, spec);
}

bool config_parse_vm(const char *name, char **words, int count, struct vm_spec *spec, char *problem,
		     size_t size)
{
	struct vm_parser p = {.problem = problem, .size = size};

	memset(spec, 0, sizeof(*spec));
	spec->ram_size = CONFIG_DEFAULT_RAM_MIB * MIB;
	spec->vcpus = 1;
	spec->slice_ms = CONFIG_DEFAULT_SLICE_MS;
	spec->autostart = true;
	return parse_name(&p, name, spec->name) && parse_vm_words(&p, words, count, spec);
}

/* The file being parsed, one line at a time. */
struct parser {
	config_error_fn on_error;
	void *ctx;
	unsigned int line;
	char problem[CONFIG_PROBLEM_MAX];
	struct vm_parser out; /* for the line's own problems: writes into problem */
};

static bool parse_words(struct parser *p, char **argv, int argc, struct vm_spec *spec)
{
	if (argc < 4)
		return fail(&p->out,
			    "expected: name image load entry [memory] [option=value ...], found %d "
			    "word%s",
			    argc, argc == 1 ? "" : "s");
	if (!config_parse_vm(argv[0], argv + 1, argc - 1, spec, p->problem, sizeof(p->problem)))
		return false;
	spec->line = p->line;
	return true;
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
		return fail(&p->out, "line is longer than %d characters", CONFIG_LINE_MAX - 1);
	for (size_t i = 0; i < len && start[i] != '#'; i++) {
		char c = start[i];
		if (c == '\t' || c == '\r')
			c = ' ';
		if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e)
			return fail(&p->out, "byte 0x%02x at column %zu is not text",
				    (unsigned char)c, i + 1);
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
		return fail(&p->out, argc == CMDLINE_ERR_QUOTE ? "unterminated quote"
							       : "too many words (at most 16)");
	if (count >= max)
		return fail(&p->out, "too many VMs: at most %u", max);
	if (!parse_words(p, argv, argc, &specs[count]))
		return false;
	if (has_name(specs, count, specs[count].name))
		return fail(&p->out, "a VM named '%s' is already defined", specs[count].name);
	return true;
}

unsigned int config_parse(const char *text, size_t len, struct vm_spec *specs, unsigned int max,
			  config_error_fn on_error, void *ctx)
{
	struct parser p = {.on_error = on_error, .ctx = ctx};
	unsigned int count = 0;
	size_t pos = 0;

	p.out.problem = p.problem;
	p.out.size = sizeof(p.problem);

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
