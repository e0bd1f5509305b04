#include "lib/cpulist.h"
#include "lib/printf.h"

/* Reads one decimal core number at *s; false if there is no digit or it is too long. */
static bool read_core(const char **s, unsigned int *core)
{
	unsigned int value = 0, digits = 0;

	while (**s >= '0' && **s <= '9') {
		value = value * 10 + (unsigned int)(**s - '0');
		(*s)++;
		if (++digits > 3)
			return false;
	}
	*core = value;
	return digits > 0;
}

/* One item: "n" or "a-b". */
static bool parse_item(const char **s, unsigned int cores, uint32_t *mask, char *problem,
		       size_t size)
{
	const char *start = *s;
	unsigned int first, last;

	if (!read_core(s, &first)) {
		fmt_snprintf(problem, size, "'%s': expected a core number", start);
		return false;
	}
	last = first;
	if (**s == '-') {
		(*s)++;
		if (!read_core(s, &last)) {
			fmt_snprintf(problem, size, "'%s': expected a core number after '-'",
				     start);
			return false;
		}
	}
	if (last < first) {
		fmt_snprintf(problem, size, "range %u-%u runs backwards", first, last);
		return false;
	}
	if (last >= cores) {
		fmt_snprintf(problem, size, "core %u does not exist (cores are 0-%u)", last,
			     cores - 1);
		return false;
	}
	for (unsigned int core = first; core <= last; core++)
		*mask |= 1U << core;
	return true;
}

bool cpulist_parse(const char *text, unsigned int cores, uint32_t *mask, char *problem, size_t size)
{
	const char *s = text;

	*mask = 0;
	for (;;) {
		if (!parse_item(&s, cores, mask, problem, size))
			return false;
		if (*s == '\0')
			return true;
		if (*s != ',') {
			fmt_snprintf(problem, size, "unexpected '%c' (a list is like 0-3 or 1,3)",
				     *s);
			return false;
		}
		s++;
	}
}

void cpulist_format(uint32_t mask, char *buf, size_t size)
{
	size_t used = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (!mask) {
		fmt_snprintf(buf, size, "-");
		return;
	}
	for (unsigned int core = 0; core < 32 && used < size; core++) {
		unsigned int last = core;

		if (!(mask & (1U << core)))
			continue;
		while (last + 1 < 32 && (mask & (1U << (last + 1))))
			last++;
		if (last > core)
			used += (size_t)fmt_snprintf(buf + used, size - used, "%s%u-%u",
						     used ? "," : "", core, last);
		else
			used += (size_t)fmt_snprintf(buf + used, size - used, "%s%u",
						     used ? "," : "", core);
		core = last;
	}
}
