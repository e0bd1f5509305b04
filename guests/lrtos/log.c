#include "lrtos/log.h"

#include "lib/console.h"

#include <stdarg.h>

void klog(const char *fmt, ...)
{
	va_list ap;

	if (!console_at_line_start())
		console_putc('\n');
	console_write("lrtos: ", 7);
	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	console_putc('\n');
}
